package io.deepclust.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.bundle.ModelBundle;
import io.deepclust.cluster.ClusterModel;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.data.DataLocator;
import io.deepclust.data.DatasetLoader;
import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.predict.Prediction;
import io.deepclust.predict.TrainedModel;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs on {@code local[2]} over 3,000 real MNIST test images with a tiny bundle trained
 * on 600 of them: {@code predict} gives the single-machine {@code predict}'s labels, {@code
 * evaluate} its external metrics exactly, MLlib k-means an NMI within 0.05 of the single-machine
 * k-means'. Skipped when {@code DEEPCLUST_DATA} holds no MNIST.
 */
class SparkJobsTest {
  static final int N = 3000;

  /** |NMI(MLlib k-means) - NMI(deepclust k-means)| allowed: two local optima of one objective. */
  static final double NMI_TOLERANCE = 0.05;

  static final String RECIPE =
      """
      name: spark-tiny
      seed: 3
      model:
        type: mlp
        dims: [784, 64, 10]
        input_shape: [1, 28, 28]
      training:
        batch_size: 128
        phases:
          - type: reconstruction
            epochs: 1
      methods:
        - name: kmeans
          cluster: {type: kmeans, k: 10, n_init: 2}
        - name: pca_gmm
          reduce: {type: pca, components: 5}
          cluster: {type: gmm, k: 10, covariance_type: diag}
      report:
        figures: []
      """;

  @TempDir static Path tmp;
  static SparkSession spark;
  static ImageDataset images;
  static Path run;
  static String parquet;
  static String embeddings;

  @BeforeAll
  static void setUp() throws Exception {
    String root = System.getenv(DataLocator.ENV_DATA);
    Assumptions.assumeTrue(
        root != null && Files.isDirectory(Path.of(root)),
        "DEEPCLUST_DATA not set: Spark tests on MNIST skipped");
    DataLocator locator = new DataLocator(null, Map.of(DataLocator.ENV_DATA, root));
    Assumptions.assumeTrue(
        locator.find(DatasetRegistry.MNIST).isPresent(), "no mnist under " + root);
    ImageDataset test = DatasetLoader.load("mnist", Split.TEST, locator);
    int[] rows = new int[N];
    for (int i = 0; i < N; i++) {
      rows[i] = i;
    }
    images = test.subset(rows);
    Recipe r = RecipeLoader.parse("test", RECIPE, List.of());
    // trained (and its clusterers fitted) on the first 600 images, to keep the test short
    RecipeRun rr =
        RecipeRun.prepare(
            r, List.of(), DataSource.inMemory(images.subset(range(600)), null), s -> {});
    Path out = tmp.resolve("run");
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      run = rr.run(folder, new RunLog(null, folder.file("run.log")), null).folder();
    }
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("deepclust-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    // the images as Parquet: id, label, 784 raw 8-bit pixels (MNIST's pixels are byte / 255)
    List<Row> data = new ArrayList<>();
    float[] px = images.pixels().data();
    for (int i = 0; i < N; i++) {
      byte[] b = new byte[784];
      for (int j = 0; j < 784; j++) {
        b[j] = (byte) Math.round(px[i * 784 + j] * 255);
      }
      data.add(RowFactory.create((long) i, images.labels()[i], b));
    }
    parquet = tmp.resolve("images.parquet").toString();
    spark.createDataFrame(data, ScaleGenerator.SCHEMA).repartition(3).write().parquet(parquet);
    embeddings = tmp.resolve("emb.parquet").toString();
    EmbedJob.Result e =
        EmbedJob.run(spark, "parquet:" + parquet, null, "image", run.toString(), embeddings, 0);
    assertEquals(N, e.rows());
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** A column of a Parquet, ordered by id. */
  static List<Row> byId(String path, String... cols) {
    return spark.read().parquet(path).orderBy("id").selectExpr(cols).collectAsList();
  }

  static int[] ints(List<Row> rows, int col) {
    return rows.stream().mapToInt(r -> r.getInt(col)).toArray();
  }

  @Test
  void predictEqualsSingleMachinePredict() throws Exception {
    List<Prediction.MethodResult> local;
    try (TrainedModel m = TrainedModel.load(run)) {
      FloatMatrix emb = m.embed(images.pixels());
      local = Prediction.predict(m, emb, images.labels());
      // the embeddings themselves: Spark's batches give the single-machine values
      List<Row> e = byId(embeddings, "embedding");
      for (int i = 0; i < N; i += 97) {
        assertArrayEquals(emb.row(i), Schemas.floats(e.get(i), 0), 1e-5f, "row " + i);
      }
    }
    for (Prediction.MethodResult r : local) {
      String out = tmp.resolve("pred-" + r.name()).toString();
      PredictJob.run(spark, embeddings, run.toString(), r.name(), out, 1000);
      List<Row> p = byId(out, "id", "label", "cluster", "probabilities");
      assertEquals(N, p.size());
      assertArrayEquals(r.labels(), ints(p, 2), r.name() + " labels");
      assertArrayEquals(images.labels(), ints(p, 1));
      if (r.probabilities() != null) {
        for (int i = 0; i < N; i += 101) {
          assertArrayEquals(r.probabilities().row(i), Schemas.floats(p.get(i), 3), 1e-5f);
        }
      }
      Map<String, Double> spk =
          EvaluateJob.run(spark, out, embeddings, run.toString(), r.name(), 500, 7);
      for (String k :
          List.of(
              Evaluation.ACC, Evaluation.NMI, Evaluation.ARI, Evaluation.AMI, Evaluation.PURITY)) {
        assertEquals(r.metrics().get(k), spk.get(k), 0.0, r.name() + " " + k);
      }
      assertEquals(r.metrics().get(Evaluation.N_CLUSTERS), spk.get(Evaluation.N_CLUSTERS));
      assertEquals(500.0, spk.get("internal_sample"));
      assertTrue(spk.get(Evaluation.SILHOUETTE) > -1 && spk.get(Evaluation.SILHOUETTE) < 1);
    }
  }

  @Test
  void mllibKMeansReachesSingleMachineNmi() throws Exception {
    Path bundle = tmp.resolve("kmeans-bundle");
    ClusterJob.run(
        spark,
        embeddings,
        run.toString(),
        new ClusterJob.Options("kmeans", 10, 50, 1, 0, null, null),
        bundle);
    // the single-machine tools read the new bundle
    ModelBundle b = ModelBundle.read(bundle);
    assertTrue(b.methods().get(0).clusterer() instanceof ClusterModel.NearestCentre);
    FloatMatrix emb;
    try (TrainedModel m = TrainedModel.load(bundle)) {
      emb = m.embed(images.pixels());
    }
    String out = tmp.resolve("pred-mllib").toString();
    PredictJob.run(spark, embeddings, bundle.toString(), null, out, 4096);
    double sparkNmi = EvaluateJob.run(spark, out, null, null, null, 0, 0).get(Evaluation.NMI);
    int[] local = new KMeans(new KMeansConfig(10, 10, 300, 1e-4, 1, 1)).fit(emb).labels();
    double localNmi = ExternalMetrics.nmi(images.labels(), local);
    assertEquals(localNmi, sparkNmi, NMI_TOLERANCE, "MLlib vs deepclust k-means NMI");
    // the single-machine rule on the bundle's centres gives Spark predict's labels
    assertArrayEquals(b.methods().get(0).predict(emb), ints(byId(out, "cluster"), 0));
  }

  @Test
  void gmmAndBisectingSaveUsableBundles() {
    for (String algo : List.of("gmm", "bisecting")) {
      Path bundle = tmp.resolve(algo + "-bundle");
      ClusterJob.run(
          spark,
          embeddings,
          run.toString(),
          new ClusterJob.Options(algo, 10, 20, 2, algo.equals("gmm") ? 5 : 0, null, null),
          bundle);
      ModelBundle b = ModelBundle.read(bundle);
      String out = tmp.resolve("pred-" + algo).toString();
      PredictJob.run(spark, embeddings, bundle.toString(), null, out, 4096);
      List<Row> p = byId(out, "cluster", "probabilities");
      assertEquals(N, p.size());
      assertEquals(algo.equals("gmm"), !p.get(0).isNullAt(1), algo + " probabilities");
      // the single-machine rule of the saved model gives Spark predict's labels
      FloatMatrix emb;
      try (TrainedModel m = TrainedModel.load(bundle)) {
        emb = m.embed(images.pixels());
      }
      int[] local = b.methods().get(0).predict(emb);
      assertArrayEquals(local, ints(p, 0), algo + " labels");
      assertTrue(Evaluation.of(null, images.labels(), local).get(Evaluation.N_CLUSTERS) >= 2, algo);
      assertEquals(algo, b.methods().get(0).name().substring("spark_".length()));
    }
  }

  @Test
  void imageFolderWithSubfolderLabels() throws Exception {
    Path dir = tmp.resolve("pngs");
    int n = 40;
    float[] px = images.pixels().data();
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          img.getRaster().setSample(x, y, 0, Math.round(px[i * 784 + y * 28 + x] * 255));
        }
      }
      Path f = dir.resolve("class" + images.labels()[i]).resolve(String.format("%03d.png", i));
      Files.createDirectories(f.getParent());
      ImageIO.write(img, "png", f.toFile());
    }
    String out = tmp.resolve("emb-png").toString();
    EmbedJob.run(spark, "images:" + dir, null, null, run.toString(), out, 16);
    List<Row> rows = spark.read().parquet(out).select("path", "label", "embedding").collectAsList();
    assertEquals(n, rows.size());
    try (TrainedModel m = TrainedModel.load(run)) {
      FloatMatrix emb = m.embed(images.pixels().selectRows(range(n)));
      for (Row r : rows) {
        String p = r.getString(0);
        int i = Integer.parseInt(p.substring(p.lastIndexOf('/') + 1, p.lastIndexOf('.')));
        // classes are the folders present, numbered in sorted name order (class0 < ... < class9)
        int digit = images.labels()[i];
        long below =
            java.util.Arrays.stream(images.labels(), 0, n)
                .filter(l -> l < digit)
                .distinct()
                .count();
        assertEquals(below, r.getInt(1), p);
        assertArrayEquals(emb.row(i), Schemas.floats(r, 2), 1e-5f, p);
      }
    }
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
