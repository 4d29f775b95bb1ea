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

  @Test
  void thePlusRecipeTakesItsPseudoLabelsFromUmapAndAGaussianMixture() {
    Recipe r = RecipeLoader.load("dec-contrastive-plus", List.of());
    var c = assertInstanceOf(ContrastiveSpec.class, r.training().phases().get(1));
    assertInstanceOf(UmapSpec.class, c.pseudoLabels().reduce());
    var gmm = assertInstanceOf(GmmSpec.class, c.pseudoLabels().cluster());
    assertEquals(5, gmm.nInit());
    assertEquals(10, c.k());
    assertEquals(null, c.kmeansInit(), "no k-means restarts when pseudo_labels labels");
    assertEquals(5, c.refreshEvery());
    var j = assertInstanceOf(DecSpec.class, r.training().phases().get(2));
    assertEquals("final_unless_collapsed", j.endWith());
    // the resolved recipe (config.json) loads back to the same recipe
    String resolved = RecipeLoader.toJson(r).toString();
    Recipe again = RecipeLoader.parse("config.json", resolved, List.of());
    assertEquals(r, again);
  }

  @Test
  void pseudoLabelValuesAreUsedOrRejectedNeverIgnored() {
    String labels =
        "training.phases.1.pseudo_labels={reduce: {type: umap, n_components: 10}, cluster: {type:"
            + " gmm, k: 8}}";
    // dec-contrastive sets k 10 and kmeans_init 5 for its k-means: both now contradict
    String m = message("dec-contrastive", labels);
    assertTrue(m.contains("'training.phases.1.k'") && m.contains("pseudo_labels.cluster.k 8"), m);
    m = message("dec-contrastive", labels, "training.phases.1.k=null");
    assertTrue(m.contains("'training.phases.1.kmeans_init'") && m.contains("n_init"), m);
    Recipe r =
        RecipeLoader.load(
            "dec-contrastive",
            List.of(labels, "training.phases.1.k=null", "training.phases.1.kmeans_init=null"));
    assertEquals(8, ((ContrastiveSpec) r.training().phases().get(1)).k());
    m = message("dec-contrastive-plus", "training.phases.1.pseudo_labels.cluster={type: head}");
    assertTrue(
        m.contains("'training.phases.1.pseudo_labels.cluster'")
            && m.contains("use kmeans, gmm or soft_centroids"),
        m);
    // an unknown type lists only the types pseudo_labels takes
    m = message("dec-contrastive-plus", "training.phases.1.pseudo_labels.cluster={type: gmn}");
    assertTrue(
        m.contains("'gmn' is not known; did you mean 'gmm'?")
            && m.endsWith("use one of kmeans, gmm, soft_centroids"),
        m);
    m = message("dec-contrastive-plus", "training.phases.1.pseudo_labels.cluster=null");
    assertTrue(m.contains("'training.phases.1.pseudo_labels.cluster'"), m);
    m = message("dec-contrastive-plus", "training.phases.1.pseudo_labels.reduce.n_component=5");
    assertTrue(m.contains("n_component") && m.contains("did you mean 'n_components'"), m);
  }

  @Test
  void pseudoLabelsThatCannotFitTheImagesAreFoundBeforeTheRun() {
    var c = contrastiveOf("dec-contrastive-plus");
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> c.checkFits(15, 128));
    assertTrue(e.getMessage().startsWith("pseudo_labels.reduce.n_neighbors: "), e.getMessage());
    var flat =
        contrastiveOf(
            "dec-contrastive-plus", "training.phases.1.pseudo_labels.reduce={type: none}");
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> flat.checkFits(5, 128));
    assertTrue(e.getMessage().startsWith("pseudo_labels.cluster.k: "), e.getMessage());
    flat.checkFits(10_000, 128);
  }

  private static ContrastiveSpec contrastiveOf(String recipe, String... overrides) {
    return (ContrastiveSpec)
        RecipeLoader.load(recipe, List.of(overrides)).training().phases().get(1);
  }

  private static String message(String recipe, String... overrides) {
    return org.junit.jupiter.api.Assertions.assertThrows(
            RecipeException.class, () -> RecipeLoader.load(recipe, List.of(overrides)))
        .getMessage();
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

  /** A short real run of the plus recipe: the contrastive phase's labels come from UMAP + GMM. */
  @Test
  void aShortPlusRunRefreshesUmapGmmPseudoLabels() throws Exception {
    DataLocator locator = DataLocator.fromEnvironment(null);
    try {
      Datasets.obtain("fashion-mnist", Split.TEST, 10, 0, locator, line -> {});
    } catch (RuntimeException e) {
      Assumptions.abort("real Fashion-MNIST unavailable (" + e.getMessage() + ")");
    }
    Path out = tmp.resolve("dec-contrastive-plus");
    RunArtifacts.run(
        "dec-contrastive-plus",
        List.of(
            "data.subset=600",
            "training.phases.0.epochs=3",
            "training.phases.1.epochs=3",
            "training.phases.1.refresh_every=2",
            "training.phases.1.pseudo_labels.reduce.n_epochs=50",
            "training.phases.2.epochs=2",
            "training.phases.2.update_interval=5",
            "training.phases.2.kmeans_init=3",
            "training.phases.2.silhouette_sample=300",
            "report.figures=[cluster_updates]"),
        locator,
        out);
    List<String> csv = RunArtifacts.lines(out.resolve("cluster_updates.csv"));
    // refreshes at epochs 1 and 3 of 3, each with its ACC against the true labels
    List<String> refreshes = csv.stream().filter(l -> l.startsWith("contrastive,")).toList();
    assertEquals(2, refreshes.size(), csv.toString());
    assertTrue(refreshes.get(1).startsWith("contrastive,3,"), refreshes.toString());
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    assertEquals(10, RunArtifacts.row(m, "head").get("n_clusters").asInt());
    JsonNode config = RunArtifacts.json(out.resolve("config.json"));
    JsonNode labels = config.at("/recipe/training/phases/1/pseudo_labels");
    assertEquals("umap", labels.at("/reduce/type").asText(), config.toString());
    assertTrue(config.at("/recipe/training/phases/1/kmeans_init").isMissingNode());
    // the run folder repeats: its config.json loads as a recipe
    assertEquals("dec-contrastive-plus", RecipeLoader.load(out.toString(), List.of()).name());
  }
}
