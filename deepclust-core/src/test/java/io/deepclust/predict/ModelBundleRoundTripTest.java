package io.deepclust.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.bundle.BundleException;
import io.deepclust.bundle.ModelBundle;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.embed.NpyWriter;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.Assignments;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import io.deepclust.util.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run writes its model bundle; loading it and predicting on the run's own images reproduces the
 * run's assignments.csv, probabilities and features exactly; a changed file or another format
 * version is refused with a message naming the file and the fix.
 */
class ModelBundleRoundTripTest {
  @TempDir Path tmp;

  static final String RECIPE =
      """
      name: bundle-synthetic
      seed: 5
      model:
        type: mlp
        dims: [64, 16, 4]
        input_shape: [1, 8, 8]
      training:
        batch_size: 16
        phases:
          - type: reconstruction
            epochs: 2
      methods:
        - name: kmeans
          cluster: {type: kmeans, k: 3, n_init: 2}
        - name: pca_gmm
          reduce: {type: pca, components: 3}
          cluster: {type: gmm, k: 3, covariance_type: full}
        - name: soft
          cluster: {type: soft_centroids, k: 3, epochs: 2, batch_size: 16}
      report:
        figures: []
      """;

  static final String PIXELS =
      """
      name: bundle-pixels
      seed: 1
      embedding: {source: pixels}
      methods:
        - name: kmeans_pca
          reduce: {type: pca, components: 4, whiten: true}
          cluster: {type: kmeans, k: 3, n_init: 2}
        - name: gmm_diag
          cluster: {type: gmm, k: 3, covariance_type: diag}
      report:
        figures: []
      """;

  private static Path run(String recipeText, ImageDataset images, Path out) {
    Recipe r = RecipeLoader.parse("test", recipeText, List.of());
    RecipeRun run = RecipeRun.prepare(r, List.of(), DataSource.inMemory(images, null), s -> {});
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      return run.run(folder, new RunLog(null, folder.file("run.log")), null).folder();
    }
  }

  /** Predicts with the loaded bundle and writes the files the run wrote, for byte comparison. */
  private static void assertReproduces(Path run, ImageDataset images) throws Exception {
    try (TrainedModel model = TrainedModel.load(run)) {
      FloatMatrix emb = model.embed(images.pixels());
      List<Prediction.MethodResult> results = Prediction.predict(model, emb, images.labels());
      Map<String, int[]> columns = new LinkedHashMap<>();
      results.forEach(r -> columns.put(r.name(), r.labels()));
      Path again = Files.createTempDirectory(run.getParent(), "again");
      Assignments.write(again.resolve("assignments.csv"), images.labels(), columns);
      assertEquals(
          Files.readString(run.resolve("assignments.csv")),
          Files.readString(again.resolve("assignments.csv")));
      // features.npy holds the first method's features (before any reduction here)
      NpyWriter.write(again.resolve("features.npy"), results.get(0).features());
      assertArrayEquals(
          Files.readAllBytes(run.resolve("features.npy")),
          Files.readAllBytes(again.resolve("features.npy")));
      for (Prediction.MethodResult r : results) {
        Path p = run.resolve("probabilities_" + r.name() + ".npy");
        if (Files.exists(p)) {
          assertNotNull(r.probabilities(), r.name());
          NpyWriter.write(again.resolve("p.npy"), r.probabilities());
          assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(again.resolve("p.npy")));
        } else {
          assertNull(r.probabilities(), r.name());
        }
        assertEquals(runAri(run, r.name()), r.metrics().get("ari"), 0.0, "ari of " + r.name());
      }
    }
  }

  /** The run's own ARI for {@code method}, from metrics.json. */
  private static double runAri(Path run, String method) throws Exception {
    var tree = RunFolder.json().readTree(run.resolve("metrics.json").toFile());
    for (var m : tree.path("methods")) {
      if (m.path("name").asText().equals(method)) {
        return m.path("metrics").path("ari").asDouble();
      }
    }
    throw new AssertionError("no method " + method + " in metrics.json");
  }

  @Test
  void trainedRunPredictsItsOwnAssignmentsExactly() throws Exception {
    ImageDataset images = images(30, 8, 2);
    Path run = run(RECIPE, images, tmp.resolve("run"));
    Path dir = run.resolve(ModelBundle.FOLDER);
    for (String f : List.of("manifest.json", "recipe.json", "weights.params")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    ModelBundle b = ModelBundle.read(run);
    assertEquals(3, b.methods().size());
    assertEquals(4, b.network().embeddingDim());
    assertArrayEquals(new int[] {1, 8, 8}, b.input().shape());
    assertReproduces(run, images);
  }

  @Test
  void pixelRunPredictsItsOwnAssignmentsExactly() throws Exception {
    ImageDataset images = images(20, 6, 3);
    Path run = run(PIXELS, images, tmp.resolve("pixels"));
    ModelBundle b = ModelBundle.read(run);
    assertNull(b.network());
    assertTrue(!Files.exists(run.resolve("model/weights.params")));
    assertReproduces(run, images);
  }

  /** An n2d-like recipe (autoencoder, UMAP, full GMM), small enough for a unit test. */
  static final String UMAP =
      """
      name: bundle-umap
      seed: 3
      model:
        type: mlp
        dims: [784, 64, 8]
        input_shape: [1, 28, 28]
      training:
        batch_size: 64
        phases:
          - type: reconstruction
            epochs: 1
      methods:
        - name: n2d
          reduce: {type: umap, n_components: 4, n_neighbors: 10, min_dist: 0, n_epochs: 40}
          cluster: {type: gmm, k: 10, covariance_type: full}
      report:
        figures: []
      """;

  @Test
  void umapRunOnRealMnistPredictsItsOwnAssignmentsExactly() throws Exception {
    String root = System.getenv(io.deepclust.data.DataLocator.ENV_DATA);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        root != null && Files.isDirectory(Path.of(root)), "DEEPCLUST_DATA not set: skipped");
    io.deepclust.data.DataLocator locator =
        new io.deepclust.data.DataLocator(
            null, Map.of(io.deepclust.data.DataLocator.ENV_DATA, root));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        locator.find(io.deepclust.data.DatasetRegistry.MNIST).isPresent(), "no mnist");
    ImageDataset test = io.deepclust.data.DatasetLoader.load("mnist", Split.TEST, locator);
    ImageDataset images = subset(test, 0, 400);
    Path run = run(UMAP, images, tmp.resolve("umap"));
    ModelBundle b = ModelBundle.read(run);
    assertEquals(1, b.methods().size(), "the UMAP method is in the bundle");
    assertTrue(b.methods().get(0).reducer() instanceof io.deepclust.reduce.UmapModel);
    String manifest = Files.readString(run.resolve("model/manifest.json"));
    assertTrue(manifest.contains("\"format_version\" : 2"), manifest);
    assertTrue(Files.isRegularFile(run.resolve("model/methods/0-n2d/umap_embedding.npy")));
    assertReproduces(run, images);
    // new images are placed by transform and labelled
    try (TrainedModel model = TrainedModel.load(run)) {
      ImageDataset fresh = subset(test, 400, 450);
      List<Prediction.MethodResult> r =
          Prediction.predict(model, model.embed(fresh.pixels()), fresh.labels());
      assertEquals(50, r.get(0).labels().length);
      for (int label : r.get(0).labels()) {
        assertTrue(label >= 0 && label < 10, "label " + label);
      }
    }
  }

  private static ImageDataset subset(ImageDataset d, int from, int to) {
    return d.subset(java.util.stream.IntStream.range(from, to).toArray());
  }

  @Test
  void changedOrNewerBundleIsRefusedNamingTheFileAndTheFix() throws Exception {
    Path run = run(RECIPE, images(20, 8, 4), tmp.resolve("tamper"));
    Path weights = run.resolve("model/weights.params");
    byte[] w = Files.readAllBytes(weights);
    w[w.length - 3] ^= 1;
    Files.write(weights, w);
    BundleException e = assertThrows(BundleException.class, () -> TrainedModel.load(run));
    assertTrue(e.getMessage().startsWith(weights.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("was changed after the run wrote it"), e.getMessage());
    assertTrue(e.getMessage().contains("deepclust run RUN/config.json"), e.getMessage());
    w[w.length - 3] ^= 1;
    Files.write(weights, w);
    TrainedModel.load(run).close();

    Path centres = run.resolve("model/methods/0-kmeans/centres.npy");
    Files.write(centres, new byte[] {1, 2, 3});
    e = assertThrows(BundleException.class, () -> ModelBundle.read(run));
    assertTrue(e.getMessage().contains("0-kmeans/centres.npy was changed"), e.getMessage());

    Path manifest = run.resolve("model/manifest.json");
    String m = Files.readString(manifest);
    Files.writeString(manifest, m.replace("\"format_version\" : 1", "\"format_version\" : 3"));
    e = assertThrows(BundleException.class, () -> ModelBundle.read(run));
    assertTrue(e.getMessage().contains("format version 3"), e.getMessage());
    assertTrue(e.getMessage().contains("update deepclust"), e.getMessage());

    Files.delete(manifest);
    e = assertThrows(BundleException.class, () -> ModelBundle.read(run));
    assertTrue(e.getMessage().contains("holds no model bundle"), e.getMessage());
  }

  /** Three classes of bars, as the run tests' synthetic images. */
  static ImageDataset images(int perClass, int size, long seed) {
    int n = 3 * perClass;
    float[] px = new float[n * size * size];
    int[] labels = new int[n];
    SplittableRandom rnd = Seeds.stream(seed, "bundle-images");
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      labels[i] = c;
      for (int y = 0; y < size; y++) {
        boolean bar = y * 3 / size == c;
        for (int x = 0; x < size; x++) {
          px[(i * size + y) * size + x] = (bar ? 0.8f : 0.1f) + 0.1f * (float) rnd.nextDouble();
        }
      }
    }
    return new ImageDataset(
        "synthetic",
        Split.TRAIN,
        new FloatMatrix(n, size * size, px),
        labels,
        size,
        size,
        1,
        List.of("top", "middle", "bottom"));
  }
}
