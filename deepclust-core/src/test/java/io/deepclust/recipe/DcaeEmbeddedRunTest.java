package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.run.RecipeRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dcae-embedded recipe (paper 004) end to end on a small real subset: 300 of the 70,000 images,
 * 2 epochs of joint training, the phase's own assignment and k-means on the embedding.
 */
class DcaeEmbeddedRunTest {
  /** The plus recipe of 2026-11-30 to 2026-12-02 (IDEC's head), kept for its ablation rows. */
  static final String PLUS_IDEC = "../tools/experiments/dcae-embedded-plus-idec.yaml";

  @TempDir Path tmp;

  @Test
  void theShippedRecipeLoadsWithThePapersSettings() {
    Recipe r = RecipeLoader.load("dcae-embedded", List.of());
    EmbeddedKMeansSpec p = (EmbeddedKMeansSpec) r.training().phases().get(0);
    assertEquals(500, p.epochs());
    assertEquals(0.2, p.lambda());
    assertEquals("random", p.init());
    assertEquals("keep", p.emptyCluster());
    assertEquals(100, r.training().batchSize());
    assertEquals("all", r.data().split());
    assertTrue(r.methods().get(0).cluster() instanceof PhaseCentresSpec);
    // the shipped plus: clean warm-up, self-training on its UMAP + GMM clusters, UMAP + GMM
    Recipe plus = RecipeLoader.load("dcae-embedded-plus", List.of());
    assertEquals(2, plus.training().phases().size());
    assertTrue(plus.training().phases().get(0) instanceof ReconstructionSpec);
    assertEquals(25, plus.training().phases().get(0).epochs());
    ContrastiveSpec self = (ContrastiveSpec) plus.training().phases().get(1);
    assertTrue(self.pseudoLabels().reduce() instanceof UmapSpec);
    assertTrue(self.pseudoLabels().cluster() instanceof GmmSpec);
    assertTrue(plus.methods().get(0).reduce() instanceof UmapSpec);
    assertTrue(plus.methods().get(0).cluster() instanceof GmmSpec);
    assertEquals(100, plus.training().batchSize());
    // the earlier plus, kept to repeat its ablation rows: IDEC's head after the same warm-up
    Recipe idec = RecipeLoader.load(PLUS_IDEC, List.of());
    assertEquals(2, idec.training().phases().size());
    DecSpec joint = (DecSpec) idec.training().phases().get(1);
    assertEquals(0.1, joint.gamma());
    assertEquals("bce", joint.reconstructionLoss());
  }

  @Test
  void phaseCentresLabelByTheNearestCentreAndNameAMissingPhase() {
    FloatMatrix c = FloatMatrix.of(new double[][] {{0, 0}, {10, 10}});
    var spec = new PhaseCentresSpec("joint", 2);
    var labels =
        spec.build(new ComponentContext(0, Map.of("joint", c)))
            .fit(FloatMatrix.of(new double[][] {{1, 1}, {9, 8}, {-3, 0}}));
    assertArrayEquals(new int[] {0, 1, 0}, labels.labels());
    assertEquals(2 + 5 + 9, labels.inertia(), 1e-9);
    var e = assertThrows(IllegalArgumentException.class, () -> spec.build(new ComponentContext(0)));
    assertTrue(e.getMessage().startsWith("phase: no centres of a phase named 'joint'"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new PhaseCentresSpec("joint", 3)
                    .build(new ComponentContext(0, Map.of("joint", c))));
    assertTrue(e.getMessage().startsWith("k: 3 differs"), e.getMessage());
  }

  @Test
  void runsEndToEndOnASmallSubset() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("run");
    List<String> overrides =
        List.of(
            "data.subset=300",
            "training.phases.0.epochs=2",
            "evaluation.silhouette_sample=300",
            "report.tsne_points=200");
    RecipeRun.Result result = RunArtifacts.run("dcae-embedded", overrides, locator, out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println("dcae-embedded test run metrics: " + m);
    assertEquals(301_399, m.get("facts").get("parameters").asLong());
    assertEquals(10, m.get("facts").get("embedding_dim").asInt());
    // split all: a stratified 300 of the 70,000, trained on and clustered
    assertEquals(300, m.get("facts").get("images").asInt());
    for (String method : List.of("dcae-embedded", "dcae-kmeans")) {
      JsonNode row = RunArtifacts.row(m, method);
      double acc = row.get("acc").asDouble();
      assertTrue(acc > 0 && acc <= 1, method + " acc " + acc);
      assertTrue(row.get("nmi").asDouble() >= 0, method);
    }
    JsonNode training = m.get("training").get("embedded_kmeans");
    assertEquals(2, training.get("epochs").asInt());
    String log = Files.readString(out.resolve("run.log"));
    assertTrue(log.contains("centres from 10 random images' embeddings"), log);
    assertEquals(301, RunArtifacts.lines(out.resolve("assignments.csv")).size());
    assertEquals(out, result.folder());
  }

  /** The shipped plus: warm-up, self-training, then UMAP + GMM; k-means beside it. */
  @Test
  void plusRunsItsTwoPhasesAndClustersWithUmapPlusGmm() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("plus-st");
    List<String> overrides =
        List.of(
            "data.subset=300",
            "training.phases.0.epochs=1",
            "training.phases.1.epochs=1",
            "evaluation.silhouette_sample=300",
            "report.tsne_points=200");
    RunArtifacts.run("dcae-embedded-plus", overrides, locator, out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    for (String method : List.of("dcae-embedded-plus", "dcae-plus-kmeans")) {
      assertTrue(RunArtifacts.row(m, method).get("acc").asDouble() > 0, method);
    }
    // the warm-up's own clusters by the same UMAP + GMM, before the self-training
    RunArtifacts.row(m, "after warmup");
    assertEquals(301_399, m.get("facts").get("parameters").asLong());
    String log = Files.readString(out.resolve("run.log"));
    assertTrue(log.contains("augmentation of phase warmup: none"), log);
    assertTrue(log.contains("dcae-embedded-plus: UMAP 300 x 10 -> 10 (n_neighbors 20"), log);
    // the GMM's posteriors beside the hard labels; the 2-D UMAP map of all points
    assertTrue(Files.size(out.resolve("probabilities_dcae-embedded-plus.npy")) > 0);
    assertTrue(Files.size(out.resolve("figures/umap_truth.png")) > 0);
  }

  /** The earlier plus: warm-up, then the IDEC head from k-means centres; a per-phase row. */
  @Test
  void earlierPlusRunsTheWarmUpAndTheJointPhase() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("plus");
    List<String> overrides =
        List.of(
            "data.subset=200",
            "training.phases.0.epochs=1",
            "training.phases.1.epochs=1",
            "evaluation.silhouette_sample=200",
            "report.tsne_points=150");
    RunArtifacts.run(PLUS_IDEC, overrides, locator, out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    // before the head exists, the per-phase row uses the first method that needs none
    RunArtifacts.row(m, "after warmup (dcae-plus-kmeans)");
    for (String method : List.of("dcae-plus-kmeans", "dcae-embedded-plus-idec")) {
      assertTrue(RunArtifacts.row(m, method).get("acc").asDouble() > 0, method);
    }
    String log = Files.readString(out.resolve("run.log"));
    assertTrue(log.contains("phase 'joint': centres from k-means (n_init 10)"), log);
    // each second is counted once: the after-warm-up t-SNE is inside evaluate_after_phases, so
    // the stages add up to no more than the total (the report draws them as shares of it)
    double parts = 0;
    for (var e : m.get("seconds").properties()) {
      if (!e.getKey().equals("total")) {
        parts += e.getValue().asDouble();
      }
    }
    double total = m.get("seconds").get("total").asDouble();
    assertTrue(parts <= total + 0.05, "stages " + parts + " s > total " + total + " s");
    // the same network shapes as the faithful recipe, plus the head's 10 x 10 centres
    assertEquals(301_399 + 100, m.get("facts").get("parameters").asLong());
    // paper 004's Fig. 2: the embedding after the warm-up (no clustering term), then at the end
    for (String f : List.of("tsne_after_warmup", "tsne")) {
      assertTrue(Files.size(out.resolve("figures/" + f + "_truth.png")) > 0, f);
      assertTrue(Files.size(out.resolve("figures/" + f + "_clusters.png")) > 0, f);
    }
    String page = Files.readString(out.resolve("report.html"));
    assertTrue(
        page.contains(
                "t-SNE of the features after phase &#39;warmup&#39;, coloured by true" + " class")
            || page.contains(
                "t-SNE of the features after phase 'warmup', coloured by true" + " class"),
        "caption in report.html");
  }
}
