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
 * The triplet-cae recipe (paper 001) end to end on a small real subset: 1,500 training images
 * (1,200 train + 300 validation), 1 epoch of MSE, 1 epoch of triplet fine-tuning on 500 of them,
 * clustering of 1,500 test images.
 */
class TripletCaeRunTest {
  @TempDir Path tmp;

  /**
   * Measured with these settings (seed 0, 2 threads): NMI 0.415 after reconstruction, 0.342 after
   * one triplet epoch on a barely trained encoder. The floor leaves a wide margin: it catches a
   * broken pipeline (random clusters give NMI ~0.01), not a few points of noise.
   */
  static final double NMI_FLOOR = 0.25;

  @Test
  void runsEndToEndAndWritesEveryArtifact() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("run");
    List<String> overrides =
        List.of(
            "data.subset=1500",
            "training.phases.0.epochs=1",
            "training.phases.1.epochs=1",
            "training.phases.1.subset_size=500",
            "report.tsne_points=500");
    RecipeRun.Result result = RunArtifacts.run("triplet-cae", overrides, locator, out);
    assertEquals(out, result.folder());

    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println("triplet-cae test run metrics: " + m);
    assertEquals(442_433, m.get("facts").get("parameters").asLong());
    assertEquals(64, m.get("facts").get("embedding_dim").asInt());
    assertEquals(64, m.get("facts").get("feature_dim").asInt());
    JsonNode row = RunArtifacts.row(m, "triplet-cae");
    RunArtifacts.assertMetricsInRange(row, 10);
    assertTrue(row.get("nmi").asDouble() > NMI_FLOOR, "nmi " + row.get("nmi"));

    assertEquals(2, m.get("per_phase").size(), m.get("per_phase").toString());
    JsonNode afterRecon = RunArtifacts.row(m, "after reconstruction");
    RunArtifacts.assertMetricsInRange(afterRecon, 10);
    RunArtifacts.assertMetricsInRange(RunArtifacts.row(m, "after triplet"), 10);
    assertTrue(afterRecon.get("nmi").asDouble() > NMI_FLOOR);
    // the last phase's row is the run's final evaluation
    assertEquals(
        row.get("nmi").asDouble(), RunArtifacts.row(m, "after triplet").get("nmi").asDouble());
    assertEquals(
        List.of("after reconstruction", "triplet-cae"),
        List.copyOf(result.table().rows().keySet()));

    JsonNode training = m.get("training");
    for (String phase : List.of("reconstruction", "triplet")) {
      JsonNode p = training.get(phase);
      assertEquals(1, p.get("epochs").asInt(), phase);
      assertEquals(1, p.get("val_loss").size(), phase + ": validation loss tracked");
      assertTrue(p.get("val_loss").get(0).asDouble() >= 0, phase);
    }

    assertArrayEquals(
        new int[] {1500, 64}, RunArtifacts.npyShape(out.resolve("features.npy"), "<f4"));
    assertArrayEquals(new int[] {1500}, RunArtifacts.npyShape(out.resolve("labels.npy"), "<i4"));
    assertEquals(1501, RunArtifacts.lines(out.resolve("assignments.csv")).size());
    List<String> csv = RunArtifacts.lines(out.resolve("training.csv"));
    assertEquals(3, csv.size(), "header + one row per epoch: " + csv);
    assertTrue(Files.isRegularFile(out.resolve("config.json")));
    assertTrue(Files.isRegularFile(out.resolve("run.log")));
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/latest")));
    JsonNode config = RunArtifacts.json(out.resolve("config.json"));
    assertEquals("triplet-cae", config.get("recipe").get("name").asText());

    for (String f :
        List.of(
            "loss",
            "loss_reconstruction",
            "loss_triplet",
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
