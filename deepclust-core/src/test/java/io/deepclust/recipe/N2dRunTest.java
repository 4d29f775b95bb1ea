package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code n2d} and {@code flagship} recipes end to end on 800 real MNIST images with short
 * schedules and 60 UMAP epochs: autoencoder (and for the flagship its self-training and DEC-DA
 * phases and the DEC head's clusters), UMAP to 10 dims, full GMM, metrics and probabilities.
 */
class N2dRunTest {
  @TempDir Path tmp;

  @Test
  void n2dRunsEndToEnd() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("n2d");
    RunArtifacts.run(
        "n2d",
        List.of(
            "data.subset=800",
            "training.batch_size=64",
            "training.phases.0.epochs=2",
            "methods.0.reduce.n_epochs=60",
            "report.figures=[loss]"),
        locator,
        out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println("n2d test run metrics: " + m.get("methods"));
    JsonNode n2d = RunArtifacts.row(m, "n2d");
    RunArtifacts.assertMetricsInRange(n2d, 10);
    // random labels give NMI ~0.01; this tiny run (2-epoch autoencoder, 800 images, 60 UMAP
    // epochs) measured 0.24 (ae-gmm 0.31): the floor catches a broken pipeline, not quality
    assertTrue(n2d.get("nmi").asDouble() > 0.12, n2d.toString());
    RunArtifacts.assertMetricsInRange(RunArtifacts.row(m, "ae-gmm"), 10);
    assertArrayEquals(
        new int[] {800, 10}, RunArtifacts.npyShape(out.resolve("probabilities_n2d.npy"), "<f4"));
    assertTrue(
        RunArtifacts.lines(out.resolve("run.log")).stream().anyMatch(l -> l.contains("n2d: UMAP")),
        "run.log names the reducer");
  }

  @Test
  void flagshipSelfTrainsOnItsOwnClustersEndToEnd() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("flagship");
    RunArtifacts.run(
        "flagship",
        List.of(
            "data.subset=800",
            "training.batch_size=64",
            "training.phases.0.epochs=8",
            "training.phases.1.epochs=2",
            "training.phases.1.refresh_every=1",
            "training.phases.1.pseudo_labels.reduce.n_epochs=60",
            "training.phases.2.epochs=1",
            "methods.1.reduce.n_epochs=60",
            "report.figures=[loss]",
            "report.umap_points=0"),
        locator,
        out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    JsonNode flagship = RunArtifacts.row(m, "flagship");
    RunArtifacts.assertMetricsInRange(flagship, 10);
    assertTrue(flagship.get("nmi").asDouble() > 0.12, flagship.toString());
    // N2D's clusterer on the embedding the DEC-DA phase left
    RunArtifacts.assertMetricsInRange(RunArtifacts.row(m, "umap-gmm"), 10);
    // the self-training phase labelled the embedding with UMAP + GMM at each of its 2 epochs
    List<String> updates = RunArtifacts.lines(out.resolve("cluster_updates.csv"));
    assertTrue(
        updates.stream().filter(l -> l.startsWith("contrastive,")).count() == 2,
        String.join("\n", updates));
    assertTrue(updates.stream().anyMatch(l -> l.startsWith("dec,")), String.join("\n", updates));
  }
}
