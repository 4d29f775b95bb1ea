package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DEC-family recipes ({@code dec}, {@code idec}, {@code dcec}) end to end on small real MNIST
 * subsets, with short schedules: the head's labels, k-means on the final embedding, the per-phase
 * row after pretraining, the cluster-update log and the head's probabilities.
 */
class DecFamilyRunTest {
  @TempDir Path tmp;

  /**
   * Random labels give NMI ~0.01; these short runs measured 0.3-0.5 (seed 0, 2 threads). The floor
   * catches a broken pipeline, not noise.
   */
  static final double NMI_FLOOR = 0.2;

  private JsonNode run(String recipe, int subset, int pretrainEpochs, List<String> extra)
      throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    List<String> overrides = new ArrayList<>();
    overrides.add("data.subset=" + subset);
    overrides.add("training.batch_size=32");
    overrides.add("training.phases.0.epochs=" + pretrainEpochs);
    overrides.add("training.phases.1.epochs=2");
    overrides.add("training.phases.1.update_interval=10");
    overrides.add("training.phases.1.kmeans_init=3");
    overrides.add("report.figures=[loss, cluster_updates]");
    overrides.addAll(extra);
    Path out = tmp.resolve(recipe);
    RunArtifacts.run(recipe, overrides, locator, out);
    JsonNode m = RunArtifacts.json(out.resolve("metrics.json"));
    System.out.println(recipe + " test run metrics: " + m.get("methods"));
    String head = recipe;
    JsonNode headRow = RunArtifacts.row(m, head);
    // a short joint phase may empty clusters (the collapse DEC is known for): at most 10
    int used = headRow.get("n_clusters").asInt();
    assertTrue(used >= 2 && used <= 10, "clusters used: " + used);
    RunArtifacts.assertMetricsInRange(RunArtifacts.row(m, "kmeans"), 10);
    assertTrue(headRow.get("nmi").asDouble() > NMI_FLOOR, m.toString());
    // after pretraining the head is untrained: the per-phase row is k-means' (AE + k-means)
    JsonNode afterPretrain = RunArtifacts.row(m, "after pretrain (kmeans)");
    assertTrue(afterPretrain.get("nmi").asDouble() > NMI_FLOOR, afterPretrain.toString());
    List<String> csv = RunArtifacts.lines(out.resolve("cluster_updates.csv"));
    assertEquals(
        "phase,epoch,step,changed_fraction,clusters_in_use,k,largest_share,acc,nmi,ari,event",
        csv.get(0));
    // the k-means start plus one update per 10 steps
    assertTrue(csv.size() >= 3, csv.toString());
    String[] start = csv.get(1).split(",", -1);
    assertEquals("0", start[1]);
    assertEquals("start", start[10]);
    for (String row : csv.subList(2, csv.size())) {
      String event = row.split(",", -1)[10];
      assertTrue(List.of("update", "end", "restore").contains(event), row);
    }
    assertTrue(Double.parseDouble(start[7]) > 0, "ACC of the k-means start: " + csv.get(1));
    assertArrayEquals(
        new int[] {subset, 10},
        RunArtifacts.npyShape(out.resolve("probabilities_" + head + ".npy"), "<f4"));
    RunArtifacts.assertPng(out.resolve("figures/cluster_updates.png"));
    // MNIST has labels: ACC and NMI also on an axis of their own
    RunArtifacts.assertPng(out.resolve("figures/cluster_updates_quality.png"));
    return m;
  }

  @Test
  void dec() throws Exception {
    // a few epochs of SGD lr 1 leave the embedding tiny (q uniform); Adam trains it in 3
    JsonNode m = run("dec", 1000, 3, List.of("training.optimizer={type: adam, lr: 0.001}"));
    assertEquals(3_330_794 + 100, m.get("facts").get("parameters").asLong());
  }

  @Test
  void idec() throws Exception {
    run("idec", 1000, 3, List.of());
  }

  @Test
  void dcec() throws Exception {
    run("dcec", 600, 3, List.of());
  }
}
