package io.deepclust.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.deepclust.data.ImageDataset;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ConfusionMatrix;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.Tsne;
import io.deepclust.reduce.TsneConfig;
import io.deepclust.reduce.Umap;
import io.deepclust.reduce.UmapConfig;
import io.deepclust.reduce.UmapModel;
import io.deepclust.train.EpochResult;
import io.deepclust.train.LossHistory;
import io.deepclust.viz.Heatmap;
import io.deepclust.viz.ImageGrid;
import io.deepclust.viz.LinePlot;
import io.deepclust.viz.ScatterPlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Draws the recipe's figures into {@code figures/}, after the results are written. Each figure is
 * optional: one that cannot be drawn (t-SNE of 3 points, reconstructions without a model) is
 * skipped with a warning in the log, and the run still succeeds.
 */
final class FigureStage {
  private final RunContext ctx;
  private final Trained trained;
  private final ImageDataset eval;
  private final Clustering first;

  private FigureStage(RunContext ctx, Trained trained, ImageDataset eval, Clustering first) {
    this.ctx = ctx;
    this.trained = trained;
    this.eval = eval;
    this.first = first;
  }

  /**
   * Draws every figure the recipe asks for, of the first method's clustering; with {@code loss},
   * also each clusterer's loss per epoch ({@code figures/loss_<method>.png}) for clusterers trained
   * by epochs.
   */
  static void run(
      RunContext ctx, Trained trained, ImageDataset eval, List<Clustering> clusterings) {
    FigureStage f = new FigureStage(ctx, trained, eval, clusterings.get(0));
    f.drawAll();
    if (ctx.recipe().report().figures().contains("loss")) {
      for (Clustering c : clusterings) {
        f.clustererLoss(c);
      }
    }
    // with several methods, each one's own images and labels, e.g. train and test of paper 002
    if (clusterings.size() > 1 && ctx.recipe().report().figures().contains("pca2d")) {
      for (Clustering c : clusterings) {
        f.methodPca2d(c);
      }
    }
  }

  /** {@code figures/pca2d_<method>.png}: PCA-2 of a method's features, coloured by its labels. */
  private void methodPca2d(Clustering c) {
    String name = "pca2d_" + c.method().name();
    try {
      FloatMatrix p2 = new Pca(new PcaConfig(2, false)).fitTransform(c.features());
      ScatterPlot.write(
          ctx.folder().file("figures/" + name + ".png"),
          p2,
          c.labels(),
          ScatterPlot.Options.defaults()
              .withTitle(
                  ctx.recipe().name()
                      + ": "
                      + c.method().name()
                      + " clusters ("
                      + c.method().predictOn()
                      + " images)")
              .withAxisLabels("PC 1", "PC 2"));
    } catch (RuntimeException e) {
      ctx.info("warning: figure '" + name + "' skipped: " + e.getMessage());
    }
  }

  /** {@code figures/loss_<method>.png} of a clusterer trained by epochs; skipped otherwise. */
  private void clustererLoss(Clustering c) {
    double[] loss = c.lossHistory();
    if (loss.length == 0) {
      return;
    }
    // two methods sharing one fit (same clusterer, same seed) draw the same curve once each
    double[] x = new double[loss.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    try {
      LinePlot.write(
          ctx.folder().file("figures/loss_" + c.method().name() + ".png"),
          List.of(new LinePlot.Series(c.method().name(), x, loss)),
          LinePlot.Options.defaults()
              .withTitle(
                  ctx.recipe().name() + ": " + c.method().name() + " clusterer loss per epoch")
              .withAxisLabels("epoch", "loss")
              .withMarkers(loss.length <= 50));
    } catch (RuntimeException e) {
      ctx.info("warning: figure 'loss_" + c.method().name() + "' skipped: " + e.getMessage());
    }
  }

  private void drawAll() {
    Map<String, Runnable> figures = new LinkedHashMap<>();
    figures.put("loss", this::loss);
    figures.put("reconstructions", this::reconstructions);
    figures.put("pca2d", this::pca2d);
    figures.put("tsne", this::tsne);
    figures.put("umap", this::umap);
    figures.put("confusion", this::confusion);
    figures.put("cluster_updates", this::clusterUpdates);
    figures.put("clusters", () -> ClusterView.write(ctx, eval, first));
    for (String name : ctx.recipe().report().figures()) {
      try {
        ctx.timings().time("figures", () -> run(figures.get(name)));
      } catch (RuntimeException e) {
        ctx.info("warning: figure '" + name + "' skipped: " + e.getMessage());
      }
    }
  }

  /**
   * {@code figures/cluster_updates.png} from {@code cluster_updates.csv}: per update, the fraction
   * of labels changed, the largest cluster's share, clusters in use / k and, with labels, ACC and
   * NMI; x is the optimizer step. A {@code restore} row (the best-silhouette labels a phase ended
   * with, at the same step as its {@code end} row) is drawn as separate points, not joined to the
   * lines, whose last points stay the phase's final parameters. With labels, {@code
   * figures/cluster_updates_quality.png} shows ACC and NMI alone, on an axis fitted to their range.
   */
  private void clusterUpdates() {
    Path csv = ctx.folder().dir().resolve(ClusterMonitor.FILE);
    if (!Files.isRegularFile(csv)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
    }
    String[] names = {"changed_fraction", "largest_share", "clusters_in_use / k", "acc", "nmi"};
    List<List<double[]>> points = new ArrayList<>();
    List<List<double[]>> restored = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      points.add(new ArrayList<>());
      restored.add(new ArrayList<>());
    }
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length < 10) {
        continue;
      }
      // rows written before the event column existed have 10 fields: plotted as updates
      boolean restore = f.length > 10 && f[10].equals("restore");
      double step = Double.parseDouble(f[2]);
      String[] v = {f[3], f[6], null, f[7], f[8]};
      for (int i = 0; i < names.length; i++) {
        double y =
            i == 2
                ? Double.parseDouble(f[4]) / Double.parseDouble(f[5])
                : v[i].isEmpty() ? Double.NaN : Double.parseDouble(v[i]);
        // a restore row's changed fraction compares with the end row's labels, not an update
        if (!Double.isNaN(y) && !(restore && i == 0)) {
          (restore ? restored : points).get(i).add(new double[] {step, y});
        }
      }
    }
    List<LinePlot.Series> series = updateSeries(names, points, restored, 0);
    if (series.isEmpty()) {
      return;
    }
    LinePlot.write(
        ctx.folder().file("figures/cluster_updates.png"),
        series,
        LinePlot.Options.defaults()
            .withTitle(ctx.recipe().name() + ": clustering phase, per update")
            .withAxisLabels("optimizer step", "fraction")
            .withMarkers(points.get(0).size() <= 60));
    // ACC and NMI again on an axis of their own range: on the 0-1 axis a phase's gain of a few
    // tenths of a point (the flagship's DEC-DA: 0.979 -> 0.982) looks flat
    List<LinePlot.Series> quality = updateSeries(names, points, restored, 3);
    if (!quality.isEmpty()) {
      LinePlot.write(
          ctx.folder().file("figures/cluster_updates_quality.png"),
          quality,
          LinePlot.Options.defaults()
              .withTitle(ctx.recipe().name() + ": ACC and NMI of the clustering phase, per update")
              .withAxisLabels("optimizer step", "score")
              .withMarkers(points.get(3).size() <= 60));
    }
  }

  /** The lines of {@code names[from..]}, then their restored-best rows as separate points. */
  private static List<LinePlot.Series> updateSeries(
      String[] names, List<List<double[]>> points, List<List<double[]>> restored, int from) {
    List<LinePlot.Series> series = new ArrayList<>();
    for (int i = from; i < names.length; i++) {
      addSeries(series, names[i], points.get(i), false);
    }
    for (int i = from; i < names.length; i++) {
      addSeries(series, names[i] + ", restored best", restored.get(i), true);
    }
    return series;
  }

  /** Adds the (x, y) points as a line, or as separate points, unless there are none. */
  private static void addSeries(
      List<LinePlot.Series> series, String name, List<double[]> p, boolean pointsOnly) {
    if (p.isEmpty()) {
      return;
    }
    double[] x = new double[p.size()];
    double[] y = new double[p.size()];
    for (int j = 0; j < x.length; j++) {
      x[j] = p.get(j)[0];
      y[j] = p.get(j)[1];
    }
    series.add(new LinePlot.Series(name, x, y, pointsOnly));
  }

  private static Void run(Runnable r) {
    r.run();
    return null;
  }

  private int[] clusters() {
    return first.labels();
  }

  private void loss() {
    LossHistory history = trained.history();
    if (history.epochs().isEmpty()) {
      return;
    }
    List<LinePlot.Series> series = new ArrayList<>();
    Map<String, List<EpochResult>> byPhase = new LinkedHashMap<>();
    for (EpochResult r : history.epochs()) {
      byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r);
    }
    int offset = 0;
    for (Map.Entry<String, List<EpochResult>> e : byPhase.entrySet()) {
      List<LinePlot.Series> own = phaseSeries(e.getKey(), e.getValue(), offset);
      series.addAll(own);
      // phases' losses live on different scales (MSE ~0.01, triplet ~0.5): one figure each too
      if (byPhase.size() > 1) {
        linePlot("figures/loss_" + e.getKey() + ".png", own, e.getKey() + " loss per epoch");
      }
      offset += e.getValue().size();
    }
    linePlot("figures/loss.png", series, "training loss per epoch");
  }

  private void linePlot(String file, List<LinePlot.Series> series, String title) {
    LinePlot.write(
        ctx.folder().file(file),
        series,
        LinePlot.Options.defaults()
            .withTitle(ctx.recipe().name() + ": " + title)
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

  private void reconstructions() {
    if (trained.model() == null) {
      return;
    }
    int n = Math.min(ctx.recipe().report().reconstructions(), eval.size());
    if (n == 0) {
      return;
    }
    FloatMatrix inputs = eval.pixels().selectRows(IntStream.range(0, n).toArray());
    FloatMatrix recon;
    try (NDManager scope = trained.model().getNDManager().newSubManager()) {
      Shape chw = trained.autoencoder().inputShape();
      NDArray x = scope.create(inputs.data(), new Shape(n, chw.get(0), chw.get(1), chw.get(2)));
      NDArray y = trained.autoencoder().reconstruct(new ParameterStore(scope, false), x, false);
      recon = new FloatMatrix(n, inputs.cols(), y.toFloatArray());
    }
    int columns = Math.min(n, 8);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < (n + columns - 1) / columns; i++) {
      labels.add("input");
      labels.add("output");
    }
    if (eval.channels() != 1) {
      // the grid draws grey images: colour ones are shown by their luma
      inputs = luma(inputs, eval);
      recon = luma(recon, eval);
    }
    ImageGrid.write(
        ctx.folder().file("figures/reconstructions.png"),
        ImageGrid.interleaveRows(columns, inputs, recon),
        eval.height(),
        eval.width(),
        ImageGrid.Options.defaults().withColumns(columns).withScale(3).withRowLabels(labels));
  }

  /**
   * Rows of {@code (C, H, W)} images as grey {@code (1, H, W)}: the luma of RGB, else channel 0.
   */
  private static FloatMatrix luma(FloatMatrix images, ImageDataset like) {
    int hw = like.height() * like.width();
    float[] out = new float[images.rows() * hw];
    for (int i = 0; i < images.rows(); i++) {
      float[] row = images.row(i);
      float[] grey =
          like.channels() == 3
              ? io.deepclust.data.ImageTransforms.toChannels(row, 3, like.height(), like.width(), 1)
              : java.util.Arrays.copyOf(row, hw);
      System.arraycopy(grey, 0, out, i * hw, hw);
    }
    return new FloatMatrix(images.rows(), hw, out);
  }

  private void pca2d() {
    FloatMatrix p2 = new Pca(new PcaConfig(2, false)).fitTransform(first.features());
    scatterPair("pca2d", p2, eval.labels(), clusters(), "PC 1", "PC 2");
  }

  /**
   * {@code figures/tsne_after_<phase>_truth.png} and {@code _clusters.png} at the end of a phase
   * that is not the last ({@code evaluation.after_each_phase}), of that evaluation's features and
   * clusters, when the recipe's figures include {@code tsne}: with the final {@code tsne_*.png},
   * the embedding before and after a later phase, e.g. paper 004's Fig. 2 (without, then with the
   * clustering term). Drawn after the phase's row is written; one that cannot be drawn is a
   * warning.
   */
  static void afterPhase(
      RunContext ctx, Trained trained, ImageDataset eval, Clustering c, String phase) {
    if (!ctx.recipe().report().figures().contains("tsne")) {
      return;
    }
    String name = "tsne_after_" + phase;
    try {
      // its time counts in evaluate_after_phases, whose hook draws it: not in figures as well
      new FigureStage(ctx, trained, eval, c).tsne(name);
    } catch (RuntimeException e) {
      ctx.info("warning: figure '" + name + "' skipped: " + e.getMessage());
    }
  }

  private void tsne() {
    tsne("tsne");
  }

  private void tsne(String name) {
    int n = Math.min(ctx.recipe().report().tsnePoints(), first.features().rows());
    if (n == 0) {
      return;
    }
    int[] firstRows = IntStream.range(0, n).toArray();
    long t = System.nanoTime();
    FloatMatrix pts =
        new Tsne(TsneConfig.defaults().withSeed(ctx.recipe().seedValue()))
            .fit(first.features().selectRows(firstRows))
            .embedding();
    ctx.info(
        String.format(
            Locale.ROOT, "t-SNE of %d points in %.1f s", n, (System.nanoTime() - t) / 1e9));
    scatterPair(
        name,
        pts,
        eval.labels() == null ? null : Arrays.copyOf(eval.labels(), n),
        Arrays.copyOf(clusters(), n),
        "t-SNE 1",
        "t-SNE 2");
  }

  /**
   * {@code figures/umap_truth.png} and {@code umap_clusters.png}: a 2-D UMAP (umap-learn's
   * defaults: 15 neighbours, min_dist 0.1) of the first method's features, of the first {@code
   * report.umap_points} points or all of them.
   */
  private void umap() {
    int n = ctx.recipe().report().umapPointsOf(first.features().rows());
    if (n == 0) {
      return;
    }
    int[] firstRows = IntStream.range(0, n).toArray();
    FloatMatrix x =
        n == first.features().rows() ? first.features() : first.features().selectRows(firstRows);
    long t = System.nanoTime();
    UmapModel u =
        new Umap(
                UmapConfig.defaults()
                    .withSeed(ctx.recipe().seedValue())
                    .withThreads(Runtime.getRuntime().availableProcessors()))
            .fit(x);
    ctx.info(
        String.format(
            Locale.ROOT,
            "UMAP map of %d points in %.1f s: %s",
            n,
            (System.nanoTime() - t) / 1e9,
            u.summary()));
    scatterPair(
        "umap",
        u.embedding(),
        eval.labels() == null ? null : Arrays.copyOf(eval.labels(), n),
        Arrays.copyOf(clusters(), n),
        "UMAP 1",
        "UMAP 2");
  }

  private void confusion() {
    if (eval.labels() == null) {
      return;
    }
    List<String> classNames = eval.classNames();
    ConfusionMatrix cm = ExternalMetrics.confusionMatrix(eval.labels(), clusters());
    List<String> rows = new ArrayList<>();
    for (int id : cm.classIds()) {
      rows.add(id < classNames.size() ? classNames.get(id) : "" + id);
    }
    List<String> cols = new ArrayList<>();
    for (int col = 0; col < cm.matchedColumnCluster().length; col++) {
      int ci = cm.matchedColumnCluster()[col];
      // a class matched to no cluster (fewer clusters than classes): one distinct blank each
      cols.add(
          ci < 0
              ? "-".repeat(1 + (int) cols.stream().filter(c -> c.startsWith("-")).count())
              : "c" + cm.clusterIds()[ci]);
    }
    Heatmap.write(
        ctx.folder().file("figures/confusion.png"),
        cm.matched(),
        rows,
        cols,
        Heatmap.Options.defaults()
            .withTitle(
                ctx.recipe().name() + " (" + first.method().name() + "): classes vs clusters")
            .withAxisLabels("cluster (Hungarian-matched)", "true class"));
  }

  private void scatterPair(
      String name, FloatMatrix pts, int[] truth, int[] clusters, String xLabel, String yLabel) {
    String title = ctx.recipe().name() + ": " + name;
    if (truth != null) {
      ScatterPlot.write(
          ctx.folder().file("figures/" + name + "_truth.png"),
          pts,
          truth,
          ScatterPlot.Options.defaults()
              .withTitle(title + " coloured by true label")
              .withAxisLabels(xLabel, yLabel)
              .withClassNames(eval.classNames()));
    }
    ScatterPlot.write(
        ctx.folder().file("figures/" + name + "_clusters.png"),
        pts,
        clusters,
        ScatterPlot.Options.defaults()
            .withTitle(title + " coloured by " + first.method().name() + " cluster")
            .withAxisLabels(xLabel, yLabel));
  }
}
