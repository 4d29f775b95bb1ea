package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import io.deepclust.run.RecipeRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cae-pca-kmeans recipe (paper 000) end to end on 1,000 real MNIST images, 1 epoch: the
 * 12,544-d encoder maps go through randomized PCA-50 into k-means.
 */
class CaePcaKmeansRunTest {
  @TempDir Path tmp;

  /** Measured NMI with these settings: 0.425 (seed 0); the floor catches a broken pipeline. */
  static final double NMI_FLOOR = 0.30;

  @Test
  void runsEndToEndAndWritesEveryArtifact() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("run");
    List<String> overrides =
        List.of("data.subset=1000", "training.phases.0.epochs=1", "report.tsne_points=300");
    RecipeRun.Result result = RunArtifacts.run("cae-pca-kmeans", overrides, locator, out);

    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println("cae-pca-kmeans test run metrics: " + m);
    assertEquals(12_544, m.get("facts").get("embedding_dim").asInt());
    assertEquals(50, m.get("facts").get("feature_dim").asInt());
    JsonNode row = RunArtifacts.row(m, "cae-pca-kmeans");
    RunArtifacts.assertMetricsInRange(row, 10);
    assertTrue(row.get("nmi").asDouble() > NMI_FLOOR, "nmi " + row.get("nmi"));
    assertEquals(0, m.get("per_phase").size(), "per-phase rows only when after_each_phase");
    assertEquals(0.4296, m.get("methods").get(0).get("paper").get("ari").asDouble());
    assertEquals(List.of("cae-pca-kmeans"), List.copyOf(result.table().rows().keySet()));
    assertEquals(1, m.get("training").get("reconstruction").get("epochs").asInt());

    assertArrayEquals(
        new int[] {1000, 50}, RunArtifacts.npyShape(out.resolve("features.npy"), "<f4"));
    assertArrayEquals(new int[] {1000}, RunArtifacts.npyShape(out.resolve("labels.npy"), "<i4"));
    assertEquals(1001, RunArtifacts.lines(out.resolve("assignments.csv")).size());
    assertEquals(2, RunArtifacts.lines(out.resolve("training.csv")).size());
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/latest")));
    for (String f :
        List.of(
            "loss",
            "reconstructions",
            "pca2d_truth",
            "pca2d_clusters",
            "tsne_truth",
            "tsne_clusters",
            "confusion")) {
      RunArtifacts.assertPng(out.resolve("figures").resolve(f + ".png"));
    }
  }
}
