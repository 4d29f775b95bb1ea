package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.Split;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paper 003's {@code dec-contrastive} recipe: its settings, and a short run on real data. */
class DecContrastiveRunTest {
  @TempDir Path tmp;

  @Test
  void theRecipeHasThePapersSettings() {
    Recipe r = RecipeLoader.load("dec-contrastive", List.of());
    assertEquals("fashion-mnist", r.data().dataset());
    assertEquals(10_000, r.data().subset());
    var noise =
        assertInstanceOf(AugmentationSpec.GaussianNoiseSpec.class, r.training().augmentation());
    assertEquals(0.02, noise.sigma());
    assertEquals(3, r.training().phases().size());
    var c = assertInstanceOf(ContrastiveSpec.class, r.training().phases().get(1));
    assertEquals(64, c.batchSize());
    assertEquals("semi_hard", c.negative());
    var j = assertInstanceOf(DecSpec.class, r.training().phases().get(2));
    assertEquals(0.1, j.gamma());
    assertEquals(0.05, j.separationWeight());
    assertEquals(0.0005, j.tol());
    assertEquals(6, j.tolUpdates());
    assertEquals("inverse", j.kernel());
    assertEquals(2.0, j.alpha());
    assertEquals("best_silhouette", j.endWith());
    // head, k-means for k = 10, 5, 8, 12 (the paper's Table II), N2D's UMAP + GMM
    assertEquals(6, r.methods().size());
  }

  @Test
  void badValuesNameTheirField() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () -> RecipeLoader.load("dec-contrastive", List.of("training.phases.1.beta_max=1.5")));
    assertTrue(e.getMessage().contains("beta_max"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () ->
                RecipeLoader.load(
                    "dec-contrastive", List.of("training.phases.2.collapse.recovery=retry")));
    assertTrue(e.getMessage().contains("recovery"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () -> RecipeLoader.load("dec-contrastive", List.of("training.phases.2.end_with=last")));
    assertTrue(e.getMessage().contains("end_with"), e.getMessage());
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () ->
                RecipeLoader.load(
                    "dec-contrastive",
                    List.of(
                        "training.phases.2.end_with=final_unless_collapsed",
                        "training.phases.2.silhouette_sample=0")));
    assertTrue(e.getMessage().contains("end_with"), e.getMessage());
  }

  /** A short real run on 600 Fashion-MNIST images: every phase, the facts, all 10 clusters. */
  @Test
  void aShortRunEndsWithAllClustersInUse() throws Exception {
    DataLocator locator = DataLocator.fromEnvironment(null);
    try {
      Datasets.obtain("fashion-mnist", Split.TEST, 10, 0, locator, line -> {});
    } catch (RuntimeException e) {
      Assumptions.abort("real Fashion-MNIST unavailable (" + e.getMessage() + ")");
    }
    Path out = tmp.resolve("dec-contrastive");
    RunArtifacts.run(
        "dec-contrastive",
        List.of(
            "data.subset=600",
            "training.phases.0.epochs=3",
            "training.phases.1.epochs=2",
            "training.phases.2.epochs=3",
            "training.phases.2.update_interval=5",
            "training.phases.2.gamma_ramp_epochs=1",
            "training.phases.2.separation_ramp_epochs=1",
            "training.phases.2.kmeans_init=3",
            "training.phases.2.silhouette_sample=300",
            "report.figures=[loss, cluster_updates]"),
        locator,
        out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println("dec-contrastive test run: " + m.get("methods") + " " + m.get("facts"));
    JsonNode facts = m.get("facts");
    // Table I: 1,168,016 in the autoencoder + 10 x 128 centres
    assertEquals(1_169_296, facts.get("parameters").asLong());
    assertTrue(facts.has("joint_collapse_recoveries"), facts.toString());
    assertTrue(facts.has("joint_ended_with_best"), facts.toString());
    assertEquals(10, RunArtifacts.row(m, "head").get("n_clusters").asInt());
    for (String k : List.of("5", "8", "10", "12")) {
      RunArtifacts.assertMetricsInRange(RunArtifacts.row(m, "kmeans_k" + k), Integer.parseInt(k));
    }
    List<String> csv = RunArtifacts.lines(out.resolve("cluster_updates.csv"));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("contrastive,")), csv.toString());
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("joint,")), csv.toString());
    assertTrue(
        RunArtifacts.lines(out.resolve("run.log")).stream()
            .anyMatch(l -> l.contains("augmentation: Gaussian noise sigma 0.02")));
  }
}
