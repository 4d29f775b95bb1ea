package io.deepclust.recipe;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.embed.Embedder;
import io.deepclust.embed.NpyWriter;
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
import io.deepclust.reduce.Tsne;
import io.deepclust.reduce.TsneConfig;
import io.deepclust.report.Assignments;
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
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.TrainingLoop;
import io.deepclust.viz.Heatmap;
import io.deepclust.viz.ImageGrid;
import io.deepclust.viz.LinePlot;
import io.deepclust.viz.ScatterPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Runs a {@link Recipe} end to end into a {@link RunFolder}: data, autoencoder training phases,
 * embeddings, optional reduction, clustering, evaluation, figures.
 *
 * <p>Files written: {@code config.json} (resolved recipe, overrides, provenance), {@code
 * metrics.json}, {@code assignments.csv}, {@code features.npy} / {@code labels.npy} (the
 * clustered features and true labels), {@code training.csv}, {@code checkpoints/}, {@code
 * figures/*.png} and {@code run.log}.
 */
public final class RecipeRunner {
  private final Recipe recipe;
  private final List<String> overrides;
  private final DataLocator locator;
  private final RunFolder folder;
  private final RunLog log;
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /**
   * @param overrides the {@code key=value} overrides already applied to {@code recipe}, recorded
   *     in {@code config.json}
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
    ImageDataset train =
        Datasets.obtain(d.dataset(), Split.parse(d.split()), d.subset(), seed, locator, log::info);
    ImageDataset eval =
        d.evalSplit().equals(d.split())
            ? train
            : Datasets.obtain(
                d.dataset(), Split.parse(d.evalSplit()), d.subset(), seed, locator, log::info);
    seconds.put("load", since(t));
    log.info(
        String.format(
            Locale.ROOT,
            "data: %s/%s %d images for training, %s %d for clustering",
            train.name(),
            d.split(),
            train.size(),
            d.evalSplit(),
            eval.size()));

    Architecture arch = Architectures.create(recipe.model().architecture(), recipe.model().params());
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    Shape chw = arch.inputShape();
    try (Model model = Model.newInstance(recipe.name())) {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      long params = ModelSummary.countParameters(ae.block());
      log.info(
          String.format(
              Locale.ROOT, "model: %s, %,d parameters", arch.name(), params));

      LossHistory history = train(model, ae, train, chw, resumeFrom);

      t = System.nanoTime();
      int batch = recipe.training().batchSize();
      FloatMatrix embeddings;
      try (NDManager scope = model.getNDManager().newSubManager()) {
        embeddings = new Embedder(ae.encoder(), chw, batch).embed(scope, eval.pixels());
      }
      seconds.put("embed", since(t));
      log.info(
          String.format(
              Locale.ROOT,
              "embeddings: %d x %d in %.1f s",
              embeddings.rows(),
              embeddings.cols(),
              seconds.get("embed")));

      FloatMatrix features = reduce(embeddings);
      ClusterResult clusters = cluster(features);
      Map<String, Double> metrics = evaluate(features, eval.labels(), clusters.labels());
      MetricsTable table = new MetricsTable().add(recipe.name(), metrics);

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
      folder.writeJson("metrics.json", out);
      log.info("metrics:\n" + table.toText());
      log.info(
          String.format(
              Locale.ROOT, "done in %.1f s; wrote %s", seconds.get("total"), folder.dir()));
      return new Result(table, metrics, folder.dir());
    }
  }

  private LossHistory train(
      Model model, Autoencoder ae, ImageDataset train, Shape chw, Path resumeFrom) {
    Recipe.Training tr = recipe.training();
    BatchSource source =
        new BatchSource(
            train.pixels(), chw, new BatchConfig(tr.batchSize(), true, false), recipe.seed());
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
    int epochs = 0;
    for (Recipe.Phase p : tr.phases()) {
      b.addPhase(phase(p, ae));
      epochs += p.epochs();
    }
    if (epochs == 0) {
      log.info("training: no epochs in the recipe; clustering the untrained encoder");
      return new LossHistory();
    }
    TrainingLoop loop = b.build();
    long t = System.nanoTime();
    LossHistory history;
    if (resumeFrom != null) {
      log.info("training: resuming from " + resumeFrom);
      history = loop.resume(resumeFrom);
    } else {
      history = loop.run();
    }
    double s = since(t);
    seconds.put("train", s);
    long images = (long) train.size() * epochs;
    log.info(
        String.format(
            Locale.ROOT,
            "training: %d epochs in %.1f s (%.1f images/s over the run)",
            epochs,
            s,
            images / Math.max(s, 1e-9)));
    return history;
  }

  private static Phase phase(Recipe.Phase p, Autoencoder ae) {
    switch (p.type()) {
      case "reconstruction":
        return new ReconstructionPhase(
            ae,
            new ReconstructionPhase.Config(
                "reconstruction", p.epochs(), ReconstructionPhase.LossKind.parse(p.loss())));
      default:
        throw new RecipeException(
            "invalid value for 'training.phases[].type': '"
                + p.type()
                + "' is not a phase; use 'reconstruction'");
    }
  }

  private FloatMatrix reduce(FloatMatrix embeddings) {
    Recipe.Reduce r = recipe.reduce();
    if (r.type().equals("none")) {
      return embeddings;
    }
    long t = System.nanoTime();
    PcaModel pca = new Pca(new PcaConfig(r.components(), false)).fit(embeddings);
    FloatMatrix reduced = pca.transform(embeddings);
    seconds.put("reduce", since(t));
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
            seconds.get("reduce")));
    return reduced;
  }

  private ClusterResult cluster(FloatMatrix features) {
    Recipe.Cluster c = recipe.cluster();
    long t = System.nanoTime();
    KMeansConfig cfg =
        KMeansConfig.defaults()
            .withK(c.k())
            .withNInit(c.nInit())
            .withMaxIter(c.maxIter())
            .withSeed(recipe.seed());
    ClusterResult r = new KMeans(cfg).fit(features);
    seconds.put("cluster", since(t));
    log.info(
        String.format(
            Locale.ROOT,
            "k-means k=%d (%d restarts): inertia %.1f in %.1f s",
            c.k(),
            c.nInit(),
            r.inertia(),
            seconds.get("cluster")));
    return r;
  }

  private Map<String, Double> evaluate(FloatMatrix features, int[] truth, int[] pred) {
    long t = System.nanoTime();
    EvaluationOptions opts =
        EvaluationOptions.defaults()
            .withSilhouetteSample(recipe.evaluation().silhouetteSample(), recipe.seed());
    Map<String, Double> m = Evaluation.of(features, truth, pred, opts).metrics();
    seconds.put("evaluate", since(t));
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
          eval.labels() == null ? null : java.util.Arrays.copyOf(eval.labels(), n),
          java.util.Arrays.copyOf(clusters, n),
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

  private void lossFigure(LossHistory history) {
    List<LinePlot.Series> series = new ArrayList<>();
    Map<String, List<EpochResult>> byPhase = new LinkedHashMap<>();
    for (EpochResult r : history.epochs()) {
      byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r);
    }
    int offset = 0;
    for (Map.Entry<String, List<EpochResult>> e : byPhase.entrySet()) {
      List<EpochResult> rs = e.getValue();
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
      series.add(new LinePlot.Series(e.getKey() + " (train)", x, y));
      if (hasVal) {
        series.add(new LinePlot.Series(e.getKey() + " (validation)", x, v));
      }
      offset += rs.size();
    }
    LinePlot.write(
        folder.file("figures/loss.png"),
        series,
        LinePlot.Options.defaults()
            .withTitle(recipe.name() + ": training loss per epoch")
            .withAxisLabels("epoch", "loss")
            .withMarkers(true));
  }

  private void reconstructionFigure(Model model, Autoencoder ae, ImageDataset eval) {
    int n = Math.min(recipe.report().reconstructions(), eval.size());
    FloatMatrix inputs = eval.pixels().selectRows(IntStream.range(0, n).toArray());
    FloatMatrix recon;
    try (NDManager scope = model.getNDManager().newSubManager()) {
      Shape chw = ae.inputShape();
      NDArray x =
          scope.create(
              inputs.data(), new Shape(n, chw.get(0), chw.get(1), chw.get(2)));
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
