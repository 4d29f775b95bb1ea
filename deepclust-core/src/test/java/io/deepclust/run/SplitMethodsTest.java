package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.report.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Methods fitted on the training images and measured on either set (paper 002's train and test
 * tables), with each clusterer's own prediction rule.
 */
class SplitMethodsTest {
  @TempDir Path tmp;

  static final String RECIPE =
      """
      name: splits
      seed: 2
      model: {type: mlp, dims: [64, 16, 3], input_shape: [1, 8, 8]}
      training:
        batch_size: 16
        phases: [{type: reconstruction, epochs: 2}]
      methods:
        - {name: kmeans_train, fit_on: train, predict_on: train, cluster: {type: kmeans, k: 3}}
        - {name: kmeans_test, fit_on: train, predict_on: eval, cluster: {type: kmeans, k: 3}}
        - {name: gmm_test, fit_on: train, predict_on: eval, cluster: {type: gmm, k: 3}}
        - {name: soft_test, fit_on: train, predict_on: eval,
           cluster: {type: soft_centroids, k: 3, epochs: 20, init: kmeans++}}
        - {name: kmeans_eval, cluster: {type: kmeans, k: 3}}
      report: {figures: [loss, pca2d, confusion]}
      """;

  @Test
  void methodsFitOnTrainingImagesAndMeasureEitherSet() throws Exception {
    ImageDataset train = SyntheticImages.of(40, 8, 1);
    ImageDataset test = SyntheticImages.of(15, 8, 2);
    Recipe r = RecipeLoader.parse("splits", RECIPE, List.of());
    RecipeRun run = RecipeRun.prepare(r, List.of(), DataSource.inMemory(train, test), s -> {});
    Path out = tmp.resolve("run");
    RecipeRun.Result res;
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      res = run.run(folder, new RunLog(null, folder.file("run.log")), null);
    }
    RunRecord record = RunRecord.read(out);
    assertEquals(res.record(), record);
    RunRecord.Method kmTrain = record.method("kmeans_train");
    RunRecord.Method kmTest = record.method("kmeans_test");
    assertEquals("train", kmTrain.fitSplit());
    assertEquals("train", kmTrain.predictSplit());
    assertEquals("eval", kmTest.predictSplit());
    assertEquals("fitted on train, measured on eval", kmTest.splits());
    assertEquals("", record.method("kmeans_eval").splits());
    // the three bars are easy: every clusterer labels the unseen images right
    for (RunRecord.Method m : record.methods()) {
      assertTrue(m.metrics().get("acc") > 0.9, m.name() + " " + m.metrics());
    }
    // the same fit (same seed, same training embeddings) in both k-means rows
    assertEquals(kmTrain.extra().get("inertia"), kmTest.extra().get("inertia"));

    // the soft-centroid clusterer's loss per epoch: a CSV and a figure
    List<String> losses = Files.readAllLines(out.resolve("clusterer_loss.csv"));
    assertEquals("method,epoch,loss", losses.get(0));
    assertEquals(1 + 20, losses.size());
    assertTrue(losses.get(1).startsWith("soft_test,1,"), losses.get(1));
    assertTrue(Files.isRegularFile(out.resolve("figures/loss_soft_test.png")));
    assertTrue(!Files.exists(out.resolve("figures/loss_kmeans_test.png")));
    // several methods: each one's PCA-2 figure, and the soft clusterers' probabilities
    assertTrue(Files.isRegularFile(out.resolve("figures/pca2d_kmeans_train.png")));
    assertTrue(Files.isRegularFile(out.resolve("figures/pca2d_gmm_test.png")));
    for (String soft : List.of("gmm_test", "soft_test")) {
      byte[] npy = Files.readAllBytes(out.resolve("probabilities_" + soft + ".npy"));
      String header = new String(npy, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(header.contains("(45, 3)"), soft + ": " + header);
    }
    assertTrue(!Files.exists(out.resolve("probabilities_kmeans_test.npy")));

    List<String> testRows = Files.readAllLines(out.resolve("assignments.csv"));
    assertEquals("index,true_label,kmeans_test,gmm_test,soft_test,kmeans_eval", testRows.get(0));
    assertEquals(1 + 45, testRows.size());
    List<String> trainRows = Files.readAllLines(out.resolve("assignments_train.csv"));
    assertEquals("index,true_label,kmeans_train", trainRows.get(0));
    assertEquals(1 + 120, trainRows.size());
    // features.npy and labels.npy follow the first method's images (the training set here)
    byte[] labels = Files.readAllBytes(out.resolve("labels.npy"));
    assertTrue(
        new String(labels, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("(120,)"));
  }

  @Test
  void splitNamesAreChecked() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.deepclust.recipe.RecipeException.class,
            () -> RecipeLoader.parse("splits", RECIPE, List.of("methods.0.fit_on=test")));
    assertTrue(
        e.getMessage().contains("'methods.0.fit_on'") && e.getMessage().contains("train"),
        e.getMessage());
  }
}
