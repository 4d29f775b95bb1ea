package io.deepclust.recipe;

import io.deepclust.data.Split;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A recipe: the data that picks and parameterises every stage of one deep-clustering run. It is
 * read from YAML ({@link RecipeLoader}); each nested record validates its own fields and fills
 * defaults, so a recipe that loads is a recipe that can run.
 *
 * @param name short name, e.g. {@code cae-pca-kmeans}
 * @param description one line for {@code deepclust recipes}
 * @param paper the paper the recipe reproduces, or empty
 * @param seed the one seed that fixes shuffling, initialisation and sampling
 * @param paperMetrics the paper's published values (metric key to value, e.g. {@code nmi}), shown
 *     beside the measured ones in {@code report.html}
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
    Report report,
    Map<String, Double> paperMetrics) {

  public Recipe {
    require(name != null && !name.isBlank(), "name", "give the recipe a name");
    description = Objects.requireNonNullElse(description, "");
    paper = Objects.requireNonNullElse(paper, "");
    data = Objects.requireNonNullElseGet(data, () -> new Data(null, null, 0, null, 0));
    require(model != null, "model", "add a model section with an architecture");
    training = Objects.requireNonNullElseGet(training, () -> new Training(0, null, null));
    embedding = Objects.requireNonNullElseGet(embedding, () -> new Embedding(null));
    reduce = Objects.requireNonNullElseGet(reduce, () -> new Reduce(null, 0));
    cluster = Objects.requireNonNullElseGet(cluster, () -> new Cluster(null, 0, 0, 0));
    evaluation = Objects.requireNonNullElseGet(evaluation, () -> new Evaluation(0, false));
    report = Objects.requireNonNullElseGet(report, () -> new Report(0, 0, null));
    paperMetrics = paperMetrics == null ? Map.of() : Map.copyOf(paperMetrics);
  }

  /**
   * Which images the model trains on and which it clusters.
   *
   * @param dataset registry name, e.g. {@code mnist}
   * @param split the images training uses: {@code train}, {@code test} or {@code all}
   * @param subset 0 for all images, else a seeded stratified sample of that many, taken from the
   *     training split and from the evaluation split alike (small CI runs)
   * @param evalSplit the images that are embedded, clustered and evaluated (default: {@code split})
   * @param validationFraction share of the training images held out, seeded, as a validation set
   *     whose loss is tracked every epoch (paper 001: 0.2 of the 60,000); 0 for none
   */
  public record Data(
      String dataset, String split, int subset, String evalSplit, double validationFraction) {
    public Data {
      dataset = Objects.requireNonNullElse(dataset, "mnist");
      split = Objects.requireNonNullElse(split, "train");
      evalSplit = Objects.requireNonNullElse(evalSplit, split);
      requireSplit(split, "data.split");
      requireSplit(evalSplit, "data.eval_split");
      require(subset >= 0, "data.subset", "use 0 for all images or a positive count");
      require(
          validationFraction >= 0 && validationFraction < 1,
          "data.validation_fraction",
          "use 0 (no validation set) or a share below 1, e.g. 0.2; got " + validationFraction);
    }

    private static void requireSplit(String split, String field) {
      try {
        Split.parse(split);
      } catch (IllegalArgumentException e) {
        throw new RecipeException("invalid value for '" + field + "': " + e.getMessage(), e);
      }
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

  /**
   * Optimisation shared by all phases, and the phases in order. Each phase's type, loss and params
   * are checked here ({@link PhaseSettings}), so that a bad value is reported with its place, e.g.
   * {@code training.phases.1.params.mining}, before anything runs.
   */
  public record Training(int batchSize, Optimizer optimizer, List<Phase> phases) {
    public Training {
      batchSize = batchSize == 0 ? 256 : batchSize;
      require(batchSize > 0, "training.batch_size", "use a positive batch size");
      optimizer = Objects.requireNonNullElseGet(optimizer, () -> new Optimizer(null, 0, 0));
      phases = phases == null ? List.of() : List.copyOf(phases);
      Set<String> names = new HashSet<>();
      for (int i = 0; i < phases.size(); i++) {
        Phase p = phases.get(i);
        require(p != null, "training.phases." + i, "give the phase a type and epochs");
        PhaseSettings.validate(p, i);
        require(
            names.add(p.name()),
            "training.phases." + i + ".name",
            "phase names must be unique; '"
                + p.name()
                + "' is used twice (name one of them, e.g. name: "
                + p.name()
                + "2)");
      }
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

  /**
   * One training phase.
   *
   * @param type {@code reconstruction} (autoencoder, MSE or BCE) or {@code triplet} (paper 001's
   *     triplet fine-tuning of the encoder)
   * @param name the phase's name in logs, checkpoints and per-phase metrics (default: the type)
   * @param epochs epochs to train; a phase with 0 epochs is skipped
   * @param loss reconstruction: {@code mse} (default) or {@code bce}; triplet: {@code
   *     triplet_margin} (default)
   * @param params extra settings of the phase type, see {@link PhaseSettings}
   */
  public record Phase(
      String type, String name, int epochs, String loss, Map<String, Object> params) {
    public Phase {
      type = Objects.requireNonNullElse(type, PhaseSettings.RECONSTRUCTION);
      name = Objects.requireNonNullElse(name, type);
      require(
          name.matches("[A-Za-z0-9_.-]+"),
          "training.phases[].name",
          "'" + name + "' must use only letters, digits, '_', '-' or '.' (it names files)");
      require(epochs >= 0, "training.phases[].epochs", "use 0 or more epochs");
      loss = Objects.requireNonNullElse(loss, PhaseSettings.defaultLoss(type));
      params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
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

  /**
   * Evaluation options.
   *
   * @param silhouetteSample 0 for the exact silhouette on all points, else a seeded sample size
   * @param afterEachPhase also embed, cluster and evaluate the evaluation images at the end of
   *     every training phase (rows {@code per_phase} in metrics.json), e.g. to compare paper 001's
   *     phase 1 alone with phase 1 + triplet fine-tuning
   */
  public record Evaluation(int silhouetteSample, boolean afterEachPhase) {
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
