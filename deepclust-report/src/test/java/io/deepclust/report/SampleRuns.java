package io.deepclust.report;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.report.RunRecord.Method;
import io.deepclust.report.RunRecord.PhaseSummary;
import io.deepclust.util.Seeds;
import io.deepclust.viz.Heatmap;
import io.deepclust.viz.ImageGrid;
import io.deepclust.viz.LinePlot;
import io.deepclust.viz.ScatterPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Run folders shaped like those a run writes ({@code config.json} with the recipe in the YAML's
 * snake_case schema, {@code metrics.json} as a {@link RunRecord}), with synthetic numbers and small
 * synthetic figures, for the report tests.
 */
final class SampleRuns {
  private SampleRuns() {}

  static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** The CSV header {@code io.deepclust.train.MetricsCsvListener} writes. */
  static final String TRAINING_HEADER = "phase,epoch,loss,val_loss,seconds,images_per_s";

  /**
   * A recipe run. {@code name} becomes the recipe name (so tests can put markup in it); {@code
   * paper} the paper's values for its one method row; with {@code allFigures} every figure kind is
   * drawn, else only the loss curve.
   */
  static Path recipeRun(Path dir, String name, Map<String, Double> paper, boolean allFigures) {
    try (RunFolder folder = RunFolder.prepare(null, null, dir, RunFolder.Mode.NEW).open()) {
      folder.writeJson("config.json", config(recipe(name), List.of("data.subset=2000")));

      int epochs = 20;
      StringBuilder csv = new StringBuilder(TRAINING_HEADER).append('\n');
      double[] loss = new double[epochs];
      List<Double> lossList = new ArrayList<>();
      for (int e = 0; e < epochs; e++) {
        loss[e] = 0.09 + 0.2 * Math.exp(-e / 3.5);
        lossList.add(loss[e]);
        csv.append(
            String.format(
                Locale.ROOT,
                "reconstruction,%d,%.8g,,%.3f,%.1f%n",
                e + 1,
                loss[e],
                11.8 + 0.3 * Math.sin(e),
                5900.0 + 40 * Math.cos(e)));
      }
      folder.writeText("training.csv", csv.toString());

      Map<String, Double> metrics =
          metrics(0.6124, 0.5391, 0.4187, 0.5376, 0.6402, 0.1093, 2.0713, 287.44);
      Map<String, Double> extra = new LinkedHashMap<>();
      extra.put("n_clusters", 10.0);
      extra.put("inertia", 1.2345678e6);
      Map<String, Double> seconds = new LinkedHashMap<>();
      seconds.put("load", 0.84);
      seconds.put("train", 241.7);
      seconds.put("embed", 6.2);
      seconds.put("reduce", 3.9);
      seconds.put("cluster", 12.4);
      seconds.put("evaluate", 18.3);
      seconds.put("tsne", 41.0);
      seconds.put("figures", 44.6);
      seconds.put("total", 328.5);
      Map<String, Double> facts = new LinkedHashMap<>();
      facts.put("parameters", 1_194_689.0);
      facts.put("embedding_dim", 12544.0);
      facts.put("feature_dim", 50.0);
      facts.put("final_loss", loss[epochs - 1]);
      new RunRecord(
              RunRecord.FORMAT_VERSION,
              name,
              paper.isEmpty() ? "" : "000 Deep autoencoder-based feature learning",
              List.of(new Method(name, metrics, paper, extra)),
              List.of(),
              Map.of("reconstruction", new PhaseSummary(epochs, lossList, List.of(), 241.7, 5900)),
              seconds,
              facts)
          .write(folder);

      LinePlot.write(
          folder.file("figures/loss.png"),
          List.of(LinePlot.Series.of("reconstruction (train)", loss)),
          LinePlot.Options.defaults()
              .withTitle(name + ": training loss per epoch")
              .withMarkers(true));
      if (allFigures) {
        drawFigures(folder, name);
      }

      StringBuilder log = new StringBuilder();
      log.append("12:00:00 data: mnist/all 2000 images for training, all 2000 for clustering\n");
      log.append("12:00:01 model: cae-bn-000, 1,194,689 parameters\n");
      for (int e = 0; e < epochs; e++) {
        log.append(
            String.format(
                Locale.ROOT, "12:%02d:%02d epoch %d loss %.5f%n", e / 5, e, e + 1, loss[e]));
      }
      log.append("12:05:28 metrics: <acc> & \"nmi\" done\n");
      folder.writeText("run.log", log.toString());
    }
    return dir;
  }

  /** The shipped cae-pca-kmeans recipe as its YAML reads, named {@code name}. */
  static Map<String, Object> recipe(String name) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("description", "BN conv autoencoder, encoder maps -> PCA-50 -> k-means (paper 000)");
    r.put("seed", 0);
    r.put("data", Map.of("dataset", "mnist", "split", "all", "subset", 2000));
    r.put("model", Map.of("architecture", "cae-bn-000"));
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("batch_size", 256);
    training.put("optimizer", Map.of("type", "adam", "lr", 0.001));
    training.put("phases", List.of(Map.of("type", "reconstruction", "loss", "bce", "epochs", 20)));
    r.put("training", training);
    r.put("embedding", Map.of("source", "encoder"));
    r.put("reduce", Map.of("type", "pca", "components", 50));
    r.put("cluster", Map.of("type", "kmeans", "k", 10, "n_init", 10));
    r.put("evaluation", Map.of("silhouette_sample", 0));
    return r;
  }

  /** A {@code config.json} of the given recipe and overrides. */
  static Map<String, Object> config(Map<String, Object> recipe, List<String> overrides) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("recipe", recipe);
    config.put("overrides", overrides);
    config.put("provenance", Provenance.collect());
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("name", "PyTorch");
    engine.put("version", "2.7.1");
    engine.put("device", "cpu");
    config.put("engine", engine);
    return config;
  }

  /** A baseline run with two method rows (one with an undefined silhouette) and stage timings. */
  static Path baselineRun(Path dir, Map<String, Double> rawPaper) {
    try (RunFolder folder = RunFolder.prepare(null, null, dir, RunFolder.Mode.NEW).open()) {
      Map<String, Object> recipe = new LinkedHashMap<>();
      recipe.put("name", "baseline-mnist");
      recipe.put("seed", 0);
      recipe.put("data", Map.of("dataset", "mnist", "split", "test"));
      recipe.put("reduce", Map.of("type", "pca", "components", 50));
      recipe.put("cluster", Map.of("type", "kmeans", "k", 10, "n_init", 10));
      recipe.put("evaluation", Map.of("silhouette_sample", 0));
      Map<String, Object> config = config(recipe, List.of());
      config.put("command", "baseline");
      folder.writeJson("config.json", config);
      Map<String, Double> pca =
          metrics(0.5482, 0.5056, 0.3803, 0.5043, 0.6011, 0.0912, 2.2046, 618.3);
      pca.put("silhouette", null);
      Map<String, Double> seconds = new LinkedHashMap<>();
      seconds.put("load", 0.41);
      seconds.put("kmeans_raw", 9.72);
      seconds.put("evaluate_raw", 14.1);
      seconds.put("pca", 1.32);
      seconds.put("kmeans_pca", 0.88);
      seconds.put("evaluate_pca", 2.05);
      seconds.put("total", 28.48);
      new RunRecord(
              RunRecord.FORMAT_VERSION,
              "baseline-mnist",
              "",
              List.of(
                  new Method(
                      "kmeans_raw",
                      metrics(0.5337, 0.4962, 0.3652, 0.4951, 0.5903, 0.0585, 2.6541, 431.52),
                      rawPaper,
                      Map.of("n_clusters", 10.0)),
                  new Method("kmeans_pca50", pca, Map.of(), Map.of("n_clusters", 10.0))),
              List.of(),
              Map.of(),
              seconds,
              Map.of())
          .write(folder);
      folder.writeText(
          "run.log",
          "10:00:00 mnist/test: 10000 images of 28x28, 10 classes\n" + "10:00:28 done in 28.5 s\n");
    }
    return dir;
  }

  /** The eight metrics in catalog order. */
  static Map<String, Double> metrics(double... v) {
    String[] keys = {
      "acc", "nmi", "ari", "ami", "purity", "silhouette", "davies_bouldin", "calinski_harabasz"
    };
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], v[i]);
    }
    return m;
  }

  /** Blobs for the scatter plots, blurry strokes for the reconstructions, a confusion matrix. */
  private static void drawFigures(RunFolder folder, String name) {
    SplittableRandom rnd = Seeds.stream(7, "sample-figures");
    int n = 1500;
    float[] pts = new float[2 * n];
    int[] truth = new int[n];
    int[] clusters = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 10;
      double a = 2 * Math.PI * c / 10;
      pts[2 * i] = (float) (6 * Math.cos(a) + rnd.nextGaussian() * 1.3);
      pts[2 * i + 1] = (float) (6 * Math.sin(a) + rnd.nextGaussian() * 1.3);
      truth[i] = c;
      clusters[i] = rnd.nextDouble() < 0.75 ? (c + 3) % 10 : rnd.nextInt(10);
    }
    FloatMatrix p = new FloatMatrix(n, 2, pts);
    for (String kind : List.of("pca2d", "tsne")) {
      String[] axes =
          kind.equals("tsne") ? new String[] {"t-SNE 1", "t-SNE 2"} : new String[] {"PC 1", "PC 2"};
      ScatterPlot.write(
          folder.file("figures/" + kind + "_truth.png"),
          p,
          truth,
          ScatterPlot.Options.defaults()
              .withTitle(name + ": " + kind + " coloured by true label")
              .withAxisLabels(axes[0], axes[1])
              .withClassNames(DIGITS));
      ScatterPlot.write(
          folder.file("figures/" + kind + "_clusters.png"),
          p,
          clusters,
          ScatterPlot.Options.defaults()
              .withTitle(name + ": " + kind + " coloured by k-means cluster")
              .withAxisLabels(axes[0], axes[1]));
    }
    int count = 16;
    float[] in = new float[count * 784];
    float[] out = new float[count * 784];
    for (int k = 0; k < count; k++) {
      double cx = 14 + 4 * Math.cos(k);
      double cy = 14 + 4 * Math.sin(k);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          double r = Math.hypot(x - cx, y - cy);
          double ring = Math.exp(-Math.pow(r - 7, 2) / 3);
          in[k * 784 + y * 28 + x] = (float) ring;
          out[k * 784 + y * 28 + x] = (float) (0.85 * Math.exp(-Math.pow(r - 7, 2) / 6));
        }
      }
    }
    int columns = 8;
    ImageGrid.write(
        folder.file("figures/reconstructions.png"),
        ImageGrid.interleaveRows(
            columns, new FloatMatrix(count, 784, in), new FloatMatrix(count, 784, out)),
        28,
        28,
        ImageGrid.Options.defaults()
            .withColumns(columns)
            .withScale(3)
            .withRowLabels(List.of("input", "output", "input", "output")));
    int[][] cm = new int[10][10];
    for (int i = 0; i < n; i++) {
      cm[truth[i]][(clusters[i] + 7) % 10]++;
    }
    List<String> cols = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      cols.add("c" + ((c + 3) % 10));
    }
    Heatmap.write(
        folder.file("figures/confusion.png"),
        cm,
        DIGITS,
        cols,
        Heatmap.Options.defaults()
            .withTitle(name + ": classes vs matched clusters")
            .withAxisLabels("cluster (Hungarian-matched)", "true class"));
  }
}
