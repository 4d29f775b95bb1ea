package io.deepclust.recipe;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A recipe: the data that picks and parameterises every stage of one deep-clustering run. It is
 * read from YAML ({@link RecipeLoader}); each nested record validates its own fields and fills
 * defaults, so a recipe that loads is a recipe that can run.
 *
 * @param name short name, e.g. {@code cae-pca-kmeans}
 * @param description one line for {@code deepclust recipes}
 * @param paper the paper the recipe reproduces, or empty
 * @param seed the one seed that fixes shuffling, initialisation and sampling
 */
public record Recipe(
    String name,
    String description,
    String paper,
    long seed,
    Data data,
    Model model,
    Training training,
    Embedding embedding,
    Reduce reduce,
    Cluster cluster,
    Evaluation evaluation,
    Report report) {

  public Recipe {
    require(name != null && !name.isBlank(), "name", "give the recipe a name");
    description = Objects.requireNonNullElse(description, "");
    paper = Objects.requireNonNullElse(paper, "");
    data = Objects.requireNonNullElseGet(data, () -> new Data(null, null, 0, null));
    require(model != null, "model", "add a model section with an architecture");
    training = Objects.requireNonNullElseGet(training, () -> new Training(0, null, null));
    embedding = Objects.requireNonNullElseGet(embedding, () -> new Embedding(null));
    reduce = Objects.requireNonNullElseGet(reduce, () -> new Reduce(null, 0));
    cluster = Objects.requireNonNullElseGet(cluster, () -> new Cluster(null, 0, 0, 0));
    evaluation = Objects.requireNonNullElseGet(evaluation, () -> new Evaluation(0));
    report = Objects.requireNonNullElseGet(report, () -> new Report(0, 0, null));
  }

  /** Which images the model trains on and which it clusters. */
  public record Data(String dataset, String split, int subset, String evalSplit) {
    public Data {
      dataset = Objects.requireNonNullElse(dataset, "mnist");
      split = Objects.requireNonNullElse(split, "train");
      evalSplit = Objects.requireNonNullElse(evalSplit, split);
      require(subset >= 0, "data.subset", "use 0 for all images or a positive count");
    }
  }

  /** The autoencoder: a named architecture and its parameters. */
  public record Model(String architecture, Map<String, Object> params) {
    public Model {
      require(
          architecture != null && !architecture.isBlank(),
          "model.architecture",
          "name an architecture (deepclust recipes lists those in use)");
      params = params == null ? Map.of() : Map.copyOf(params);
    }
  }

  /** Optimisation shared by all phases, and the phases in order. */
  public record Training(int batchSize, Optimizer optimizer, List<Phase> phases) {
    public Training {
      batchSize = batchSize == 0 ? 256 : batchSize;
      require(batchSize > 0, "training.batch_size", "use a positive batch size");
      optimizer = Objects.requireNonNullElseGet(optimizer, () -> new Optimizer(null, 0, 0));
      phases = phases == null ? List.of() : List.copyOf(phases);
    }
  }

  /** The optimizer; its state continues from one phase to the next. */
  public record Optimizer(String type, double lr, double weightDecay) {
    public Optimizer {
      type = Objects.requireNonNullElse(type, "adam");
      require(type.equals("adam"), "training.optimizer.type", "only 'adam' is available");
      lr = lr == 0 ? 1e-3 : lr;
      require(lr > 0, "training.optimizer.lr", "use a positive learning rate");
      require(weightDecay >= 0, "training.optimizer.weight_decay", "use 0 or a positive decay");
    }
  }

  /** One training phase: its type (reconstruction, ...), epochs, loss and extra parameters. */
  public record Phase(String type, int epochs, String loss, Map<String, Object> params) {
    public Phase {
      type = Objects.requireNonNullElse(type, "reconstruction");
      require(epochs >= 0, "training.phases[].epochs", "use 0 or more epochs");
      loss = Objects.requireNonNullElse(loss, "mse");
      params = params == null ? Map.of() : Map.copyOf(params);
    }
  }

  /** Where embeddings come from: {@code encoder} (the encoder output, flattened). */
  public record Embedding(String source) {
    public Embedding {
      source = Objects.requireNonNullElse(source, "encoder");
      require(source.equals("encoder"), "embedding.source", "only 'encoder' is available");
    }
  }

  /** Optional reduction of embeddings before clustering: {@code none} or {@code pca}. */
  public record Reduce(String type, int components) {
    public Reduce {
      type = Objects.requireNonNullElse(type, "none");
      require(type.equals("none") || type.equals("pca"), "reduce.type", "use 'none' or 'pca'");
      require(
          !type.equals("pca") || components > 0,
          "reduce.components",
          "give a positive number of PCA components");
    }
  }

  /** The clusterer over the (reduced) embeddings. */
  public record Cluster(String type, int k, int nInit, int maxIter) {
    public Cluster {
      type = Objects.requireNonNullElse(type, "kmeans");
      require(type.equals("kmeans"), "cluster.type", "only 'kmeans' is available");
      k = k == 0 ? 10 : k;
      require(k >= 2, "cluster.k", "use at least 2 clusters");
      nInit = nInit == 0 ? 10 : nInit;
      maxIter = maxIter == 0 ? 300 : maxIter;
    }
  }

  /** Evaluation options; 0 silhouette sample means all points. */
  public record Evaluation(int silhouetteSample) {
    public Evaluation {
      require(silhouetteSample >= 0, "evaluation.silhouette_sample", "use 0 (all) or a count");
    }
  }

  /** Figures: how many points go into t-SNE, how many reconstructions are shown. */
  public record Report(int tsnePoints, int reconstructions, List<String> figures) {
    public Report {
      tsnePoints = tsnePoints == 0 ? 3000 : tsnePoints;
      reconstructions = reconstructions == 0 ? 16 : reconstructions;
      figures =
          figures == null
              ? List.of("loss", "reconstructions", "pca2d", "tsne", "confusion")
              : List.copyOf(figures);
    }
  }

  static void require(boolean ok, String field, String fix) {
    if (!ok) {
      throw new RecipeException("invalid value for '" + field + "': " + fix);
    }
  }
}
