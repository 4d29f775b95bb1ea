package io.deepclust.recipe;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.type.TypeReference;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.embed.Embedder;
import io.deepclust.embed.NpyWriter;
import io.deepclust.engine.TorchMatrixProducts;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ConfusionMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ModelSummary;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.PcaModel;
import io.deepclust.reduce.RandomizedPca;
import io.deepclust.reduce.RandomizedPcaConfig;
import io.deepclust.reduce.Tsne;
import io.deepclust.reduce.TsneConfig;
import io.deepclust.report.Assignments;
import io.deepclust.report.HtmlReport;
import io.deepclust.report.MetricsTable;
import io.deepclust.report.Provenance;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.train.AdamConfig;
import io.deepclust.train.BatchConfig;
import io.deepclust.train.BatchSource;
import io.deepclust.train.CheckpointListener;
import io.deepclust.train.EpochResult;
import io.deepclust.train.LossHistory;
import io.deepclust.train.MetricsCsvListener;
import io.deepclust.train.Phase;
import io.deepclust.train.ProgressListener;
import io.deepclust.train.TrainingListener;
import io.deepclust.train.TrainingLoop;
import io.deepclust.train.TripletPhase;
import io.deepclust.util.Seeds;
import io.deepclust.viz.Heatmap;
import io.deepclust.viz.ImageGrid;
import io.deepclust.viz.LinePlot;
import io.deepclust.viz.ScatterPlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Runs a {@link Recipe} end to end into a {@link RunFolder}: data, autoencoder training phases,
 * embeddings, optional reduction, clustering, evaluation, figures.
 *
 * <p>Files written: {@code config.json} (resolved recipe, overrides, provenance), {@code
 * metrics.json}, {@code assignments.csv}, {@code features.npy} / {@code labels.npy} (the clustered
 * features and true labels), {@code training.csv}, {@code checkpoints/}, {@code figures/*.png} and
 * {@code run.log}.
 */
public final class RecipeRunner {
  private final Recipe recipe;
  private final List<String> overrides;
  private final DataLocator locator;
  private final RunFolder folder;
  private final RunLog log;
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** Up to this many dimensions PCA is exact (covariance + eigen); above, randomized. */
  static final int EXACT_PCA_MAX_DIM = 2048;

  /**
   * @param overrides the {@code key=value} overrides already applied to {@code recipe}, recorded in
   *     {@code config.json}
   */
  public RecipeRunner(
      Recipe recipe, List<String> overrides, DataLocator locator, RunFolder folder, RunLog log) {
    this.recipe = recipe;
    this.overrides = List.copyOf(overrides);
    this.locator = locator;
    this.folder = folder;
    this.log = log;
  }

  /** What a run produced. */
  public record Result(MetricsTable table, Map<String, Double> metrics, Path folder) {}

  /**
   * Runs the recipe.
   *
   * @param resumeFrom a checkpoint (or checkpoints folder) to continue training from, or null
   */
  public Result run(Path resumeFrom) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("recipe", recipe);
    config.put("overrides", overrides);
    config.put("provenance", Provenance.collect());
    folder.writeJson("config.json", config);
    long seed = recipe.seed();
    Engine.getInstance().setRandomSeed((int) seed);

    long t = System.nanoTime();
    Recipe.Data d = recipe.data();
    ImageDataset all =
        Datasets.obtain(d.dataset(), Split.parse(d.split()), d.subset(), seed, locator, log::info);
    ImageDataset eval =
        d.evalSplit().equals(d.split())
            ? all
            : Datasets.obtain(
                d.dataset(), Split.parse(d.evalSplit()), d.subset(), seed, locator, log::info);
    ImageDataset train = all;
    ImageDataset validation = null;
    if (d.validationFraction() > 0) {
      int[][] parts = validationSplit(all.size(), d.validationFraction(), seed);
      train = all.subset(parts[0]);
      validation = all.subset(parts[1]);
    }
    seconds.put("load", since(t));
    log.info(
        String.format(
            Locale.ROOT,
            "data: %s/%s %d images for training%s, %s %d for clustering",
            all.name(),
            d.split(),
            train.size(),
            validation == null ? "" : " + " + validation.size() + " for validation",
            d.evalSplit(),
            eval.size()));

    Architecture arch =
        Architectures.create(recipe.model().architecture(), recipe.model().params());
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    Shape chw = arch.inputShape();
    try (Model model = Model.newInstance(recipe.name())) {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      long params = ModelSummary.countParameters(ae.block());
      log.info(String.format(Locale.ROOT, "model: %s, %,d parameters", arch.name(), params));

      Map<String, Map<String, Double>> perPhase = new LinkedHashMap<>();
      if (resumeFrom != null) {
        perPhase.putAll(readPerPhase());
      }
      List<Phase> phases = new ArrayList<>();
      LossHistory history =
          train(model, ae, train, validation, eval, chw, resumeFrom, phases, perPhase);

      t = System.nanoTime();
      FloatMatrix embeddings = embed(model, ae, eval);
      seconds.put("embed", since(t));
      log.info(
          String.format(
              Locale.ROOT,
              "embeddings: %d x %d in %.1f s",
              embeddings.rows(),
              embeddings.cols(),
              seconds.get("embed")));

      Clustering last = clusterAndEvaluate(embeddings, eval.labels(), true);
      FloatMatrix features = last.features();
      ClusterResult clusters = last.clusters();
      Map<String, Double> metrics = last.metrics();
      MetricsTable table = new MetricsTable();
      if (recipe.evaluation().afterEachPhase() && !phases.isEmpty()) {
        perPhase.put(phases.get(phases.size() - 1).name(), metrics);
        perPhase.forEach((phase, m) -> table.add("after " + phase, m));
      } else {
        table.add(recipe.name(), metrics);
      }

      NpyWriter.write(folder.file("features.npy"), features);
      if (eval.labels() != null) {
        NpyWriter.write(folder.file("labels.npy"), eval.labels());
      }
      Assignments.write(
          folder.file("assignments.csv"), eval.labels(), Map.of("cluster", clusters.labels()));

      t = System.nanoTime();
      figures(model, ae, eval, features, clusters.labels(), history);
      seconds.put("figures", since(t));

      seconds.put("total", log.elapsedSeconds());
      Map<String, Object> out = new LinkedHashMap<>(metrics);
      out.put("parameters", params);
      out.put("embedding_dim", embeddings.cols());
      out.put("feature_dim", features.cols());
      out.put("inertia", clusters.inertia());
      out.put("seconds", seconds);
      out.put("final_loss", history.epochs().isEmpty() ? null : history.last().loss());
      out.put("training", trainingSummary(history));
      if (!perPhase.isEmpty()) {
        out.put("per_phase", perPhase);
      }
      folder.writeJson("metrics.json", out);
      log.info("metrics:\n" + table.toText());
      HtmlReport.write(
          folder.dir(),
          recipe.paperMetrics().isEmpty() ? Map.of() : Map.of(recipe.name(), recipe.paperMetrics()),
          null);
      log.info(
          String.format(
              Locale.ROOT, "done in %.1f s; wrote %s", seconds.get("total"), folder.dir()));
      return new Result(table, metrics, folder.dir());
    }
  }

  /**
   * A seeded split of {@code n} rows into training and validation rows (each ascending): {@code
   * round(n * fraction)} rows, drawn by a Fisher-Yates shuffle from {@code Seeds.stream(seed,
   * "validation-split")}, validate; the rest train.
   *
   * @return {@code {trainRows, validationRows}}
   * @throws RecipeException if either part would be empty
   */
  static int[][] validationSplit(int n, double fraction, long seed) {
    int nVal = (int) Math.round(n * fraction);
    if (nVal < 1 || nVal >= n) {
      throw new RecipeException(
          String.format(
              Locale.ROOT,
              "invalid value for 'data.validation_fraction': %s of %d images leaves %d for"
                  + " validation and %d for training; both need images (use more images via"
                  + " data.subset, or validation_fraction 0)",
              fraction,
              n,
              nVal,
              n - nVal));
    }
    int[] order = IntStream.range(0, n).toArray();
    SplittableRandom rnd = Seeds.stream(seed, "validation-split");
    for (int i = 0; i < nVal; i++) {
      int j = i + rnd.nextInt(n - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int[] val = Arrays.copyOfRange(order, 0, nVal);
    int[] tr = Arrays.copyOfRange(order, nVal, n);
    Arrays.sort(val);
    Arrays.sort(tr);
    return new int[][] {tr, val};
  }

  private FloatMatrix embed(Model model, Autoencoder ae, ImageDataset images) {
    try (NDManager scope = model.getNDManager().newSubManager()) {
      return new Embedder(ae.encoder(), ae.inputShape(), recipe.training().batchSize())
          .embed(scope, images.pixels());
    }
  }

  /** Reduced features, clusters and metrics of one set of embeddings. */
  private record Clustering(
      FloatMatrix features, ClusterResult clusters, Map<String, Double> metrics) {}

  /**
   * Reduces, clusters and evaluates {@code embeddings}; {@code timed}: record the stages' seconds
   * (the final evaluation) rather than only log them (evaluations after a phase).
   */
  private Clustering clusterAndEvaluate(FloatMatrix embeddings, int[] truth, boolean timed) {
    FloatMatrix features = reduce(embeddings, timed);
    ClusterResult clusters = cluster(features, timed);
    Map<String, Double> metrics = evaluate(features, truth, clusters.labels(), timed);
    return new Clustering(features, clusters, metrics);
  }

  /** Per-phase rows written while training runs, so that a resumed run still reports them. */
  static final String PER_PHASE_FILE = "per_phase.json";

  /** Evaluates the encoder on the evaluation images at the end of every phase but the last. */
  private final class PhaseEvaluator implements TrainingListener {
    private final Model model;
    private final Autoencoder ae;
    private final ImageDataset eval;
    private final int lastPhase;
    private final Map<String, Map<String, Double>> rows;
    private double seconds;

    PhaseEvaluator(
        Model model,
        Autoencoder ae,
        ImageDataset eval,
        int lastPhase,
        Map<String, Map<String, Double>> rows) {
      this.model = model;
      this.ae = ae;
      this.eval = eval;
      this.lastPhase = lastPhase;
      this.rows = rows;
    }

    @Override
    public void onEpochEnd(TrainingLoop loop, EpochResult r) {
      // the last phase's row is the run's final evaluation, made after training
      if (r.epoch() != r.epochs() || r.phaseIndex() == lastPhase) {
        return;
      }
      long t = System.nanoTime();
      Map<String, Double> m =
          clusterAndEvaluate(embed(model, ae, eval), eval.labels(), false).metrics();
      rows.put(r.phase(), m);
      folder.writeJson(PER_PHASE_FILE, rows);
      double s = since(t);
      seconds += s;
      log.info(
          String.format(Locale.ROOT, "evaluation after phase '%s' (%.1f s):%n", r.phase(), s)
              + new MetricsTable().add("after " + r.phase(), m).toText());
    }
  }

  private Map<String, Map<String, Double>> readPerPhase() {
    Path f = folder.dir().resolve(PER_PHASE_FILE);
    if (!recipe.evaluation().afterEachPhase() || !Files.isRegularFile(f)) {
      return Map.of();
    }
    try {
      return RunFolder.json()
          .readValue(
              f.toFile(), new TypeReference<LinkedHashMap<String, Map<String, Double>>>() {});
    } catch (IOException e) {
      log.info("cannot read " + f + " (" + e.getMessage() + "); per-phase rows start afresh");
      return Map.of();
    }
  }

  private LossHistory train(
      Model model,
      Autoencoder ae,
      ImageDataset train,
      ImageDataset validation,
      ImageDataset eval,
      Shape chw,
      Path resumeFrom,
      List<Phase> phases,
      Map<String, Map<String, Double>> perPhase) {
    Recipe.Training tr = recipe.training();
    BatchSource source =
        new BatchSource(
            train.pixels(), chw, new BatchConfig(tr.batchSize(), true, false), recipe.seed());
    List<Integer> imagesPerEpoch = new ArrayList<>();
    for (int i = 0; i < tr.phases().size(); i++) {
      Recipe.Phase p = tr.phases().get(i);
      if (p.epochs() > 0) {
        Phase phase = PhaseSettings.create(p, i, ae);
        phases.add(phase);
        imagesPerEpoch.add(
            phase instanceof TripletPhase tp
                ? Math.min(tp.config().subsetSize(), train.size())
                : train.size());
      }
    }
    if (phases.isEmpty()) {
      log.info("training: no epochs in the recipe; clustering the untrained encoder");
      return new LossHistory();
    }
    TrainingLoop.Builder b =
        TrainingLoop.builder(model, source)
            .optAdam(
                new AdamConfig(
                    (float) tr.optimizer().lr(),
                    0.9f,
                    0.999f,
                    1e-8f,
                    (float) tr.optimizer().weightDecay()))
            .addListener(new ProgressListener())
            .addListener(new MetricsCsvListener(folder.file("training.csv")))
            .addListener(new CheckpointListener(folder.file("checkpoints/.keep").getParent()));
    if (validation != null) {
      b.optValidationData(
          new BatchSource(
              validation.pixels(),
              chw,
              new BatchConfig(tr.batchSize(), false, false),
              recipe.seed()));
    }
    PhaseEvaluator evaluator = null;
    if (recipe.evaluation().afterEachPhase()) {
      evaluator = new PhaseEvaluator(model, ae, eval, phases.size() - 1, perPhase);
      b.addListener(evaluator);
    }
    // epochs trained by this process per phase (a resumed run restores the others' history)
    Map<String, Integer> epochsRun = new LinkedHashMap<>();
    b.addListener(
        new TrainingListener() {
          @Override
          public void onEpochEnd(TrainingLoop loop, EpochResult r) {
            epochsRun.merge(r.phase(), 1, Integer::sum);
          }
        });
    phases.forEach(b::addPhase);
    TrainingLoop loop = b.build();
    long t = System.nanoTime();
    LossHistory history;
    if (resumeFrom != null) {
      log.info("training: resuming from " + resumeFrom);
      history = loop.resume(resumeFrom);
    } else {
      history = loop.run();
    }
    double evalSeconds = evaluator == null ? 0 : evaluator.seconds;
    double s = since(t) - evalSeconds;
    seconds.put("train", s);
    if (evalSeconds > 0) {
      seconds.put("evaluate_after_phases", evalSeconds);
    }
    long images = 0;
    int epochs = 0;
    for (int i = 0; i < phases.size(); i++) {
      Phase phase = phases.get(i);
      List<EpochResult> rs = history.epochsOf(phase.name());
      int ran = epochsRun.getOrDefault(phase.name(), 0);
      images += (long) imagesPerEpoch.get(i) * ran;
      epochs += ran;
      if (rs.isEmpty()) {
        continue;
      }
      double phaseSeconds = 0;
      double rate = 0;
      for (EpochResult r : rs) {
        phaseSeconds += r.seconds();
        rate += r.imagesPerSecond();
      }
      EpochResult lastEpoch = rs.get(rs.size() - 1);
      log.info(
          String.format(
              Locale.ROOT,
              "phase '%s': %d epochs x %d images in %.1f s, %.1f images/s in training steps;"
                  + " last loss %.5f%s",
              phase.name(),
              rs.size(),
              imagesPerEpoch.get(i),
              phaseSeconds,
              rate / rs.size(),
              lastEpoch.loss(),
              lastEpoch.hasValLoss()
                  ? String.format(Locale.ROOT, ", validation %.5f", lastEpoch.valLoss())
                  : ""));
    }
    log.info(
        String.format(
            Locale.ROOT,
            "training: %d epochs in %.1f s (%.1f images/s over these epochs, mining and"
                + " validation included)",
            epochs,
            s,
            images / Math.max(s, 1e-9)));
    return history;
  }

  /** Per phase: epochs, training and validation loss per epoch, seconds, mean images/s. */
  private static Map<String, Object> trainingSummary(LossHistory history) {
    Map<String, List<EpochResult>> byPhase = new LinkedHashMap<>();
    for (EpochResult r : history.epochs()) {
      byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    byPhase.forEach(
        (phase, rs) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("epochs", rs.size());
          m.put("loss", rs.stream().map(EpochResult::loss).toList());
          if (rs.get(0).hasValLoss()) {
            m.put("val_loss", rs.stream().map(EpochResult::valLoss).toList());
          }
          m.put("seconds", rs.stream().mapToDouble(EpochResult::seconds).sum());
          m.put(
              "images_per_second",
              rs.stream().mapToDouble(EpochResult::imagesPerSecond).average().orElse(0));
          out.put(phase, m);
        });
    return out;
  }

  private FloatMatrix reduce(FloatMatrix embeddings, boolean timed) {
    Recipe.Reduce r = recipe.reduce();
    if (r.type().equals("none")) {
      return embeddings;
    }
    long t = System.nanoTime();
    PcaConfig cfg = new PcaConfig(r.components(), false);
    PcaModel pca;
    if (embeddings.cols() <= EXACT_PCA_MAX_DIM) {
      pca = new Pca(cfg).fit(embeddings);
    } else {
      // a d x d eigen-decomposition is O(d^3): 12,544-d feature maps need the randomized
      // solver, which is also what scikit-learn's PCA picks for such shapes
      try (TorchMatrixProducts products = TorchMatrixProducts.onDefaultDevice()) {
        pca =
            new RandomizedPca(RandomizedPcaConfig.of(cfg, recipe.seed()), products).fit(embeddings);
      }
    }
    FloatMatrix reduced = pca.transform(embeddings);
    double took = since(t);
    if (timed) {
      seconds.put("reduce", took);
    }
    double kept = 0;
    for (double v : pca.explainedVarianceRatio()) {
      kept += v;
    }
    log.info(
        String.format(
            Locale.ROOT,
            "PCA-%d of %d-d embeddings keeps %.1f%% of the variance (%.1f s)",
            r.components(),
            embeddings.cols(),
            100 * kept,
            took));
    return reduced;
  }

  private ClusterResult cluster(FloatMatrix features, boolean timed) {
    Recipe.Cluster c = recipe.cluster();
    long t = System.nanoTime();
    KMeansConfig cfg =
        KMeansConfig.defaults()
            .withK(c.k())
            .withNInit(c.nInit())
            .withMaxIter(c.maxIter())
            .withSeed(recipe.seed());
    ClusterResult r = new KMeans(cfg).fit(features);
    double took = since(t);
    if (timed) {
      seconds.put("cluster", took);
    }
    log.info(
        String.format(
            Locale.ROOT,
            "k-means k=%d (%d restarts): inertia %.1f in %.1f s",
            c.k(),
            c.nInit(),
            r.inertia(),
            took));
    return r;
  }

  private Map<String, Double> evaluate(
      FloatMatrix features, int[] truth, int[] pred, boolean timed) {
    long t = System.nanoTime();
    EvaluationOptions opts =
        EvaluationOptions.defaults()
            .withSilhouetteSample(recipe.evaluation().silhouetteSample(), recipe.seed());
    Map<String, Double> m = Evaluation.of(features, truth, pred, opts).metrics();
    if (timed) {
      seconds.put("evaluate", since(t));
    }
    return m;
  }

  private void figures(
      Model model,
      Autoencoder ae,
      ImageDataset eval,
      FloatMatrix features,
      int[] clusters,
      LossHistory history) {
    List<String> wanted = recipe.report().figures();
    if (wanted.contains("loss") && !history.epochs().isEmpty()) {
      lossFigure(history);
    }
    if (wanted.contains("reconstructions")) {
      reconstructionFigure(model, ae, eval);
    }
    List<String> classNames = eval.classNames();
    if (wanted.contains("pca2d")) {
      FloatMatrix p2 = new Pca(new PcaConfig(2, false)).fitTransform(features);
      scatterPair("pca2d", p2, eval.labels(), clusters, classNames, "PC 1", "PC 2");
    }
    if (wanted.contains("tsne")) {
      int n = Math.min(recipe.report().tsnePoints(), features.rows());
      int[] first = IntStream.range(0, n).toArray();
      long t = System.nanoTime();
      FloatMatrix pts =
          new Tsne(TsneConfig.defaults().withSeed(recipe.seed()))
              .fit(features.selectRows(first))
              .embedding();
      seconds.put("tsne", since(t));
      log.info(String.format(Locale.ROOT, "t-SNE of %d points in %.1f s", n, seconds.get("tsne")));
      scatterPair(
          "tsne",
          pts,
          eval.labels() == null ? null : Arrays.copyOf(eval.labels(), n),
          Arrays.copyOf(clusters, n),
          classNames,
          "t-SNE 1",
          "t-SNE 2");
    }
    if (wanted.contains("confusion") && eval.labels() != null) {
      ConfusionMatrix cm = ExternalMetrics.confusionMatrix(eval.labels(), clusters);
      List<String> rows = new ArrayList<>();
      for (int id : cm.classIds()) {
        rows.add(classNames != null && id < classNames.size() ? classNames.get(id) : "" + id);
      }
      List<String> cols = new ArrayList<>();
      for (int col = 0; col < cm.matchedColumnCluster().length; col++) {
        int ci = cm.matchedColumnCluster()[col];
        cols.add(ci < 0 ? "-" : "c" + cm.clusterIds()[ci]);
      }
      Heatmap.write(
          folder.file("figures/confusion.png"),
          cm.matched(),
          rows,
          cols,
          Heatmap.Options.defaults()
              .withTitle(recipe.name() + ": classes vs matched clusters")
              .withAxisLabels("cluster (Hungarian-matched)", "true class"));
    }
  }

  /**
   * {@code figures/loss.png}: training (and validation) loss per epoch of all phases on one epoch
   * axis; with several phases also {@code figures/loss_<phase>.png} per phase, since their losses
   * live on different scales (e.g. MSE ~0.01 vs triplet margin loss ~0.5).
   */
  private void lossFigure(LossHistory history) {
    List<LinePlot.Series> series = new ArrayList<>();
    Map<String, List<EpochResult>> byPhase = new LinkedHashMap<>();
    for (EpochResult r : history.epochs()) {
      byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r);
    }
    int offset = 0;
    for (Map.Entry<String, List<EpochResult>> e : byPhase.entrySet()) {
      List<LinePlot.Series> own = phaseSeries(e.getKey(), e.getValue(), offset);
      series.addAll(own);
      if (byPhase.size() > 1) {
        LinePlot.write(
            folder.file("figures/loss_" + e.getKey() + ".png"),
            own,
            LinePlot.Options.defaults()
                .withTitle(recipe.name() + ": " + e.getKey() + " loss per epoch")
                .withAxisLabels("epoch", "loss")
                .withMarkers(true));
      }
      offset += e.getValue().size();
    }
    LinePlot.write(
        folder.file("figures/loss.png"),
        series,
        LinePlot.Options.defaults()
            .withTitle(recipe.name() + ": training loss per epoch")
            .withAxisLabels("epoch", "loss")
            .withMarkers(true));
  }

  private static List<LinePlot.Series> phaseSeries(String phase, List<EpochResult> rs, int offset) {
    double[] x = new double[rs.size()];
    double[] y = new double[rs.size()];
    double[] v = new double[rs.size()];
    boolean hasVal = false;
    for (int i = 0; i < rs.size(); i++) {
      x[i] = offset + i + 1;
      y[i] = rs.get(i).loss();
      v[i] = rs.get(i).valLoss();
      hasVal |= !Double.isNaN(v[i]);
    }
    List<LinePlot.Series> series = new ArrayList<>();
    series.add(new LinePlot.Series(phase + " (train)", x, y));
    if (hasVal) {
      series.add(new LinePlot.Series(phase + " (validation)", x, v));
    }
    return series;
  }

  private void reconstructionFigure(Model model, Autoencoder ae, ImageDataset eval) {
    int n = Math.min(recipe.report().reconstructions(), eval.size());
    FloatMatrix inputs = eval.pixels().selectRows(IntStream.range(0, n).toArray());
    FloatMatrix recon;
    try (NDManager scope = model.getNDManager().newSubManager()) {
      Shape chw = ae.inputShape();
      NDArray x = scope.create(inputs.data(), new Shape(n, chw.get(0), chw.get(1), chw.get(2)));
      NDArray y = ae.reconstruct(new ParameterStore(scope, false), x, false);
      recon = new FloatMatrix(n, inputs.cols(), y.toFloatArray());
    }
    int columns = Math.min(n, 8);
    ImageGrid.write(
        folder.file("figures/reconstructions.png"),
        ImageGrid.interleaveRows(columns, inputs, recon),
        eval.height(),
        eval.width(),
        ImageGrid.Options.defaults()
            .withColumns(columns)
            .withScale(3)
            .withRowLabels(rowLabels((n + columns - 1) / columns)));
  }

  private static List<String> rowLabels(int blocks) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      labels.add("input");
      labels.add("output");
    }
    return labels;
  }

  private void scatterPair(
      String name,
      FloatMatrix pts,
      int[] truth,
      int[] clusters,
      List<String> classNames,
      String xLabel,
      String yLabel) {
    if (truth != null) {
      ScatterPlot.write(
          folder.file("figures/" + name + "_truth.png"),
          pts,
          truth,
          ScatterPlot.Options.defaults()
              .withTitle(recipe.name() + ": " + name + " coloured by true label")
              .withAxisLabels(xLabel, yLabel)
              .withClassNames(classNames));
    }
    ScatterPlot.write(
        folder.file("figures/" + name + "_clusters.png"),
        pts,
        clusters,
        ScatterPlot.Options.defaults()
            .withTitle(recipe.name() + ": " + name + " coloured by k-means cluster")
            .withAxisLabels(xLabel, yLabel));
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Whether {@code dir} holds a checkpoint to resume from. */
  public static boolean hasCheckpoint(Path dir) {
    return Files.isDirectory(dir.resolve("checkpoints"))
        && Files.exists(dir.resolve("checkpoints").resolve("latest"));
  }
}
