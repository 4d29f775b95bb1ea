package io.deepclust.recipe;

import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.SourceSpec;
import io.deepclust.data.Split;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.nn.Architecture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A recipe: the data that picks and parameterises every stage of one deep-clustering run. Read from
 * YAML by {@link RecipeLoader}; each part is an immutable record, and the pluggable parts are typed
 * components chosen by {@code type} ({@link Architecture}, {@link PhaseSpec}, {@link
 * OptimizerSpec}, {@link ReducerSpec}, {@link ClustererSpec}). Every record validates its own
 * fields when it is built: a missing field takes its documented default, an explicit invalid value
 * is an error naming the field. A recipe that loads is a recipe that can run.
 *
 * @param name short name, e.g. {@code cae-pca-kmeans}; letters, digits, {@code _ - .}
 * @param description one line for {@code deepclust recipes} (default "")
 * @param paper the paper the recipe reproduces and its published values, one line (default "")
 * @param seed the one seed that fixes shuffling, initialisation and sampling (default 0)
 * @param device where training, embedding and the libtorch kernels run: {@code cpu}, {@code gpu}
 *     (GPU 0), {@code gpu:N} or {@code auto} (default: {@code DEEPCLUST_DEVICE} when set, else a
 *     GPU when this build can use one, else the CPU; see {@link DeviceChoice})
 * @param data which images train and which are clustered
 * @param model the autoencoder; may be absent when {@code embedding.source} is {@code pixels}
 * @param training batch size, optimizer and phases (default: no training)
 * @param embedding where the clustered vectors come from (default: the encoder)
 * @param methods the clustering methods, each a reducer and a clusterer, one result row each
 * @param evaluation evaluation options
 * @param report figures and their sizes
 */
public record Recipe(
    String name,
    String description,
    String paper,
    Long seed,
    String device,
    Data data,
    Architecture model,
    Training training,
    Embedding embedding,
    List<MethodSpec> methods,
    Evaluation evaluation,
    Report report) {

  /** Fills defaults and checks the parts against each other. */
  public Recipe {
    Checks.requireFileName(name, "name");
    description = Checks.orDefault(description, "");
    paper = Checks.orDefault(paper, "");
    seed = Checks.orDefault(seed, 0L);
    try {
      device = DeviceChoice.parse(Checks.orDefault(device, AUTO_DEVICE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device: " + e.getMessage(), e);
    }
    data = Checks.orDefault(data, new Data(null, null, null, null, null, null));
    training = Checks.orDefault(training, new Training(null, null, null, null, null));
    embedding = Checks.orDefault(embedding, new Embedding(null));
    evaluation = Checks.orDefault(evaluation, new Evaluation(null, null));
    report = Checks.orDefault(report, new Report(null, null, null, null));
    Checks.require(
        methods != null && !methods.isEmpty(),
        "methods",
        "list at least one clustering method, e.g. [{name: kmeans, cluster: {type: kmeans, k:"
            + " 10}}]");
    methods = List.copyOf(methods);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < methods.size(); i++) {
      Checks.require(
          names.add(methods.get(i).name()),
          "methods." + i + ".name",
          "'" + methods.get(i).name() + "' is used twice; give each method its own name");
    }
    if (embedding.source().equals(Embedding.ENCODER)) {
      Checks.require(
          model != null,
          "model",
          "embedding.source 'encoder' needs a model (e.g. model: {type: mlp, dims: [784, 500,"
              + " 10]}); use embedding.source 'pixels' to cluster raw pixels");
    } else {
      Checks.require(
          training.phases().isEmpty(),
          "training.phases",
          "embedding.source 'pixels' clusters raw pixels, so nothing would use the training;"
              + " remove the phases or use embedding.source 'encoder'");
    }
    Checks.require(
        training.phases().isEmpty() || model != null,
        "model",
        "training phases need a model to train");
    for (int i = 0; i < training.phases().size(); i++) {
      PhaseSpec p = training.phases().get(i);
      boolean needsValidation =
          (p.schedule() instanceof ScheduleSpec.Plateau plateau
                  && plateau.monitor().equals(VAL_LOSS))
              || (p.earlyStopping() != null && p.earlyStopping().monitor().equals(VAL_LOSS));
      Checks.require(
          !needsValidation || data.validationFraction() > 0,
          "training.phases." + i,
          "monitors val_loss, which needs a validation set: set data.validation_fraction (e.g."
              + " 0.1), or monitor loss");
    }
    checkHead(training.phases(), methods);
    Checks.require(
        training.initFrom() == null
            || (model != null && embedding.source().equals(Embedding.ENCODER)),
        "training.init_from",
        "starts a model from another run's weights, but this recipe clusters "
            + (model == null ? "without a model" : "raw pixels")
            + "; remove init_from");
  }

  /** This recipe with {@code training.init_from} set to {@code path}. */
  public Recipe withInitFrom(String path) {
    Training t =
        new Training(
            training.batchSize(),
            training.optimizer(),
            training.phases(),
            path,
            training.augmentation());
    return new Recipe(
        name,
        description,
        paper,
        seed,
        device,
        data,
        model,
        t,
        embedding,
        methods,
        evaluation,
        report);
  }

  /** One clustering head per model; a method of type head needs it, unreduced, with its k. */
  private static void checkHead(List<PhaseSpec> phases, List<MethodSpec> methods) {
    HeadSpec head = null;
    for (int i = 0; i < phases.size(); i++) {
      HeadSpec h = phases.get(i).epochs() > 0 ? phases.get(i).head() : null;
      if (h != null) {
        Checks.require(
            head == null || head.equals(h),
            "training.phases." + i,
            "asks for a clustering head "
                + h
                + " but an earlier phase asked for "
                + head
                + "; a model has one head: give the phases the same k, alpha and kernel");
        head = h;
      }
    }
    for (int i = 0; i < methods.size(); i++) {
      MethodSpec m = methods.get(i);
      if (m.cluster() instanceof HeadClustererSpec hc) {
        Checks.require(
            head != null,
            "methods." + i + ".cluster",
            "type 'head' labels images with the model's clustering head, but no training phase"
                + " trains one (a dec phase with epochs 0 is skipped); add a phase of type dec"
                + " with epochs, or use another clusterer");
        Checks.require(
            hc.k() == null || hc.k() == head.k(),
            "methods." + i + ".cluster.k",
            hc.k()
                + " differs from the head's k "
                + head.k()
                + "; leave it out or make them equal");
        Checks.require(
            m.reduce() instanceof NoReductionSpec,
            "methods." + i + ".reduce",
            "the clustering head lives in the embedding space; use reduce: {type: none}");
      }
    }
  }

  private static final String VAL_LOSS = "val_loss";

  /** The default {@link #device}: the machine's choice. */
  public static final String AUTO_DEVICE = DeviceChoice.AUTO;

  /** The seed as a primitive. */
  public long seedValue() {
    return seed;
  }

  /**
   * Which images the model trains on and which it clusters.
   *
   * @param dataset a registered dataset ({@code mnist}, the default, or {@code fashion-mnist}), a
   *     source ({@code folder:PATH}, {@code idx:IMAGES[,LABELS]}, {@code npy:IMAGES[,LABELS]},
   *     {@code csv:PATH[?label=COLUMN]}; see {@link io.deepclust.data.SourceSpec}) or a name from
   *     the user's datasets file ({@link UserDatasets}). A source is one set of images: every split
   *     ({@code train}, {@code test}, {@code all}) is all of it
   * @param split the images training uses: {@code train} (default), {@code test} or {@code all}
   * @param subset 0 (default) for all images, else a seeded stratified sample of that many, taken
   *     from the training split and from the evaluation split alike; more than the split holds is
   *     an error
   * @param evalSplit the images that are embedded, clustered and evaluated (default: {@code split})
   * @param validationFraction share of the training images held out, seeded, as a validation set
   *     whose loss is tracked every epoch (paper 001: 0.2); 0 (default) for none, below 1
   * @param shape {@code [C, H, W]} every image is brought to (resized bilinear, grey and colour
   *     converted; {@link io.deepclust.data.ImageTransforms}), or null (default) to keep the
   *     images' own shape; the model takes the images' shape either way
   */
  public record Data(
      String dataset,
      String split,
      Integer subset,
      String evalSplit,
      Double validationFraction,
      List<Integer> shape) {
    /** Fills defaults; checks names and ranges. */
    public Data {
      dataset = Checks.orDefault(dataset, "mnist");
      requireDataset(dataset);
      if (shape != null) {
        Checks.require(
            shape.size() == 3 && shape.stream().allMatch(v -> v != null && v > 0),
            "shape",
            "give [C, H, W] with positive sizes, e.g. [1, 28, 28] or [3, 32, 32]; got " + shape);
        shape = List.copyOf(shape);
        Checks.require(
            (long) shape.get(0) * shape.get(1) * shape.get(2) <= 1 << 24,
            "shape",
            shape + " is more than 16,777,216 values per image; use a smaller shape");
      }
      split = Checks.orDefault(split, "train");
      evalSplit = Checks.orDefault(evalSplit, split);
      requireSplit(split, "split");
      requireSplit(evalSplit, "eval_split");
      subset = Checks.orDefault(subset, 0);
      Checks.require(subset >= 0, "subset", "use 0 for all images or a positive count");
      validationFraction = Checks.orDefault(validationFraction, 0.0);
      Checks.require(
          validationFraction >= 0 && validationFraction < 1,
          "validation_fraction",
          "use 0 (no validation set) or a share below 1, e.g. 0.2; got " + validationFraction);
    }

    /** {@link #shape} as {@code int[]}, or null. */
    public int[] shapeArray() {
      return shape == null ? null : shape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether {@link #dataset} names a registered dataset (else a source or a user's name). */
    public boolean registered() {
      return DatasetRegistry.contains(dataset);
    }

    private static void requireDataset(String dataset) {
      if (DatasetRegistry.contains(dataset)) {
        return;
      }
      if (SourceSpec.isSource(dataset)) {
        try {
          SourceSpec.parse(dataset);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("dataset: " + e.getMessage(), e);
        }
        return;
      }
      Map<String, UserDatasets.Entry> user;
      try {
        user = UserDatasets.read(UserDatasets.file());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("dataset: " + e.getMessage(), e);
      }
      List<String> known = new ArrayList<>(DatasetRegistry.names());
      known.addAll(user.keySet());
      Checks.require(
          user.containsKey(dataset),
          "dataset",
          "unknown dataset '"
              + dataset
              + "'; known: "
              + String.join(", ", known)
              + " (deepclust data list), or a source: "
              + SourceSpec.FORMS);
    }

    private static void requireSplit(String split, String field) {
      try {
        Split.parse(split);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Optimisation shared by all phases, and the phases in order.
   *
   * @param batchSize images per training step (default 256)
   * @param optimizer the optimizer; its state continues from one phase to the next (default Adam,
   *     lr 1e-3)
   * @param phases training phases in order (default none: the untrained encoder is clustered)
   * @param initFrom start from the encoder and decoder weights of another run (its folder, its
   *     {@code checkpoints} folder or one checkpoint; the same architecture), e.g. DEC and IDEC
   *     sharing one pretrained autoencoder as their papers' code does; default none (fresh init)
   * @param augmentation a data augmentation of the training steps' images, e.g. {@code {type:
   *     gaussian_noise, sigma: 0.02}} (paper 003) or {@code {type: random_affine, rotation: 10,
   *     shift: 0.1}} (DEC-DA), or null (default) for none; a phase may have its own ({@code
   *     phases.N.augmentation})
   */
  public record Training(
      Integer batchSize,
      OptimizerSpec optimizer,
      List<PhaseSpec> phases,
      String initFrom,
      AugmentationSpec augmentation) {
    /** Fills defaults; phase names must be unique (they name checkpoints and rows). */
    public Training {
      batchSize = Checks.orDefault(batchSize, 256);
      Checks.require(batchSize > 0, "batch_size", "use a positive batch size, got " + batchSize);
      optimizer = Checks.orDefault(optimizer, new AdamSpec(null, null, null, null, null));
      phases = phases == null ? List.of() : List.copyOf(phases);
      Checks.require(
          initFrom == null || !initFrom.isBlank(),
          "init_from",
          "give a run folder or checkpoint to start from, or leave init_from out");
      Set<String> names = new HashSet<>();
      for (int i = 0; i < phases.size(); i++) {
        PhaseSpec p = Objects.requireNonNull(phases.get(i), "phases." + i);
        Checks.require(
            names.add(p.name()),
            "phases." + i + ".name",
            "'" + p.name() + "' is used twice; name one of them, e.g. name: " + p.name() + "2");
        Checks.require(
            p.augmentation() == null || !p.augmentation().appliedOnce(),
            "phases." + i + ".augmentation.apply",
            "noise applied once changes the training data for every phase; set it in"
                + " training.augmentation, or use per_batch for this phase");
      }
    }
  }

  /**
   * Where the clustered vectors come from.
   *
   * @param source {@code encoder} (default): the encoder output, flattened; {@code pixels}: the raw
   *     pixels (the k-means baselines; no model needed)
   */
  public record Embedding(String source) {
    /** The encoder's output. */
    public static final String ENCODER = "encoder";

    /** The images' pixels. */
    public static final String PIXELS = "pixels";

    /** Fills the default; checks the value. */
    public Embedding {
      source = Checks.orDefault(source, ENCODER);
      Checks.require(
          source.equals(ENCODER) || source.equals(PIXELS),
          "source",
          "'" + source + "' is not a source; use 'encoder' or 'pixels'");
    }
  }

  /**
   * Evaluation options.
   *
   * @param silhouetteSample 0 (default) for the exact silhouette on all points, else a seeded
   *     sample of that many points
   * @param afterEachPhase also embed, cluster (with the first method) and evaluate at the end of
   *     every training phase (default false), e.g. paper 001's phase 1 alone vs with triplets
   */
  public record Evaluation(Integer silhouetteSample, Boolean afterEachPhase) {
    /** Fills defaults. */
    public Evaluation {
      silhouetteSample = Checks.orDefault(silhouetteSample, 0);
      Checks.require(silhouetteSample >= 0, "silhouette_sample", "use 0 (all) or a count");
      afterEachPhase = Checks.orDefault(afterEachPhase, false);
    }
  }

  /**
   * Figures, drawn after the results are written; one that cannot be drawn is skipped with a
   * warning.
   *
   * @param tsnePoints points in the t-SNE figure, the first ones of the evaluation set (default
   *     3000)
   * @param reconstructions inputs shown beside their reconstructions (default 16)
   * @param umapPoints points in the 2-D UMAP figure ({@code figures/umap_truth.png}, {@code
   *     umap_clusters.png}; n_neighbors 15, min_dist 0.1, umap-learn's defaults): {@code 0} (the
   *     default) draws none, {@code N} the first N points of the evaluation set, {@code all} every
   *     point
   * @param figures which figures: {@code loss}, {@code reconstructions}, {@code pca2d}, {@code
   *     tsne} (with {@code evaluation.after_each_phase} also one after each phase but the last:
   *     {@code figures/tsne_after_<phase>_*.png}), {@code umap} (when {@code umap_points} is not
   *     0), {@code confusion}, {@code cluster_updates} (a clustering phase's label changes,
   *     clusters in use and ACC/NMI per update; drawn when a phase made updates), {@code clusters}
   *     (each cluster's size, majority class and purity, the images nearest its centre and a random
   *     sample, with {@code clusters.csv}) (default all)
   */
  public record Report(
      Integer tsnePoints,
      Integer reconstructions,
      @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = CountOrAll.class)
          String umapPoints,
      List<String> figures) {
    /**
     * Points in the UMAP figure for {@code n} evaluation points: {@code min(n, umap_points)}, or
     * {@code n} for {@code all}.
     */
    public int umapPointsOf(int n) {
      return umapPoints.equals(ALL) ? n : Math.min(n, Integer.parseInt(umapPoints));
    }

    /** Every figure a run can draw. */
    public static final List<String> FIGURES =
        List.of(
            "loss",
            "reconstructions",
            "pca2d",
            "tsne",
            "umap",
            "confusion",
            "cluster_updates",
            "clusters");

    /** {@code umap_points: all}. */
    public static final String ALL = "all";

    /** Fills defaults; checks figure names. */
    public Report {
      tsnePoints = Checks.orDefault(tsnePoints, 3000);
      Checks.require(tsnePoints >= 0, "tsne_points", "use 0 or more points");
      reconstructions = Checks.orDefault(reconstructions, 16);
      Checks.require(reconstructions >= 0, "reconstructions", "use 0 or more images");
      umapPoints = Checks.orDefault(umapPoints, "0").trim().toLowerCase(java.util.Locale.ROOT);
      Checks.require(
          umapPoints.equals(ALL) || umapPoints.matches("[0-9]{1,9}"),
          "umap_points",
          "'" + umapPoints + "' is not a count; use 0 (no UMAP figure), a number of points or all");
      figures = figures == null ? FIGURES : List.copyOf(figures);
      for (int i = 0; i < figures.size(); i++) {
        Checks.require(
            FIGURES.contains(figures.get(i)),
            "figures." + i,
            "'" + figures.get(i) + "' is not a figure; use any of " + String.join(", ", FIGURES));
      }
    }
  }

  /** A count or the word {@code all}, read as text (the recipe reader coerces no scalars). */
  static final class CountOrAll
      extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;

    CountOrAll() {
      super(String.class);
    }

    @Override
    public String deserialize(
        com.fasterxml.jackson.core.JsonParser p,
        com.fasterxml.jackson.databind.DeserializationContext ctxt)
        throws java.io.IOException {
      return switch (p.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_STRING -> p.getText();
        default -> (String) ctxt.handleUnexpectedToken(String.class, p);
      };
    }
  }

  /** Checks that every key of a paper-values map names a metric. */
  static void requireMetricKeys(java.util.Map<String, Double> values, String field) {
    for (String key : values.keySet()) {
      Checks.require(
          io.deepclust.metrics.Evaluation.KEYS.contains(key),
          field + "." + key,
          "not a metric; use any of " + String.join(", ", io.deepclust.metrics.Evaluation.KEYS));
      double v = values.get(key);
      double low = key.equals("ari") || key.equals("silhouette") ? -1 : 0;
      double high =
          key.equals("davies_bouldin")
                  || key.equals("calinski_harabasz")
                  || key.equals("n_clusters")
              ? Double.POSITIVE_INFINITY
              : 1;
      Checks.require(
          v >= low && v <= high,
          field + "." + key,
          v
              + " is outside ["
              + low
              + ", "
              + high
              + "]; give fractions as metrics.json has them (92.14% is 0.9214)");
    }
  }
}
