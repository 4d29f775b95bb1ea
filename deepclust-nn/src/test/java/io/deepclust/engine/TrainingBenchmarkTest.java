package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the benchmark (no timing assertions) and its BCE loss. */
class TrainingBenchmarkTest {

  @Test
  void runsTwoTinyStepsAndReportsEverything() {
    TrainingBenchmark.Config config =
        TrainingBenchmark.Config.defaults()
            .withArchitecture("triplet-cae-001")
            .withBatchSize(4)
            .withSteps(1, 2, 1);
    BenchmarkResult result = TrainingBenchmark.run(config);
    System.out.print(result);
    assertEquals("triplet-cae-001", result.architecture());
    assertEquals(442_433, result.parameters());
    assertEquals(4, result.batchSize());
    assertEquals(2, result.stepsPerRun());
    assertEquals(1, result.runImagesPerSecond().size());
    assertTrue(result.medianImagesPerSecond() > 0);
    assertEquals(result.runImagesPerSecond().get(0), result.medianImagesPerSecond());
    assertTrue(Double.isFinite(result.finalLoss()) && result.finalLoss() > 0);
    assertTrue(result.forwardMs() > 0 && result.backwardMs() > 0 && result.optimizerMs() > 0);
    assertTrue(result.peakRssBytes() > 0, "VmHWM read from /proc/self/status");
    assertTrue(result.minorFaultsPerStep() >= 0, "minflt read from /proc/self/stat");
    assertTrue(result.retainsFreedMemory());
    assertTrue(result.intraOpThreads() >= 1);
    String table = result.toString();
    assertTrue(table.contains("median images/s") && table.contains("peak RSS"), table);
  }

  /** torch.nn.BCELoss semantics, including the -100 clamp of log(0). */
  @Test
  void bceMatchesTorchFormulaWithClampedLogs() {
    float[] p = {0.2f, 0.9f, 0.5f, 0f, 1f};
    float[] y = {0f, 1f, 0.3f, 1f, 1f};
    double expected = 0;
    for (int i = 0; i < p.length; i++) {
      double logP = Math.max(Math.log(p[i]), -100);
      double log1mP = Math.max(Math.log(1 - p[i]), -100);
      expected -= y[i] * logP + (1 - y[i]) * log1mP;
    }
    expected /= p.length;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray loss =
          new TrainingBenchmark.BinaryCrossEntropy()
              .evaluate(new NDList(manager.create(y)), new NDList(manager.create(p)));
      assertEquals(expected, loss.getFloat(), 1e-4);
      assertEquals(0, loss.getShape().dimension(), "scalar");
    }
  }

  @Test
  void configIsValidated() {
    TrainingBenchmark.Config d = TrainingBenchmark.Config.defaults();
    assertEquals("cae-bn-000", d.architecture());
    assertEquals(256, d.batchSize());
    String message =
        assertThrows(IllegalArgumentException.class, () -> d.withArchitecture("vgg")).getMessage();
    assertTrue(message.contains("cae-bn-000"), message);
    assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> d.withSteps(0, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrainingBenchmark.Config("cae-bn-000", 8, 0, 1, 1, 0, 0, 0f, true));
    assertEquals(2.5, TrainingBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }
}
