package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.nn.MlpArchitecture;
import io.deepclust.train.AdamConfig;
import io.deepclust.train.ReconstructionPhase.LossKind;
import io.deepclust.train.SgdConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the benchmark through the real training loop (no timing assertions). */
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
    assertEquals("BCE", result.loss());
    assertEquals(
        "adam lr 0.001, betas (0.9, 0.999), eps 1.0E-8, weight decay 0.0", result.optimizer());
    assertEquals(1, result.runImagesPerSecond().size());
    assertTrue(result.medianImagesPerSecond() > 0);
    assertEquals(result.runImagesPerSecond().get(0), result.medianImagesPerSecond());
    assertTrue(Double.isFinite(result.finalLoss()) && result.finalLoss() > 0);
    assertTrue(result.forwardMs() > 0 && result.backwardAndUpdateMs() > 0);
    assertTrue(result.peakRssBytes() > 0, "VmHWM read from /proc/self/status");
    assertTrue(result.minorFaultsPerStep() >= 0, "minflt read from /proc/self/stat");
    assertTrue(result.retainsFreedMemory());
    assertTrue(result.intraOpThreads() >= 1);
    String table = result.toString();
    assertTrue(table.contains("median images/s") && table.contains("peak RSS"), table);
    assertTrue(table.contains("final loss (BCE)"), table);
  }

  /**
   * A recipe's model, loss and optimizer (the DEC autoencoder's form: linear output, MSE, SGD with
   * momentum and weight decay), more warm-up steps than timed ones, no warm-up at all.
   */
  @Test
  void recipeModelWithMseAndSgdThroughTheLoop() {
    MlpArchitecture mlp =
        new MlpArchitecture(
            List.of(784, 16, 4),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            io.deepclust.nn.ActivationFunction.NONE,
            null,
            null,
            null);
    TrainingBenchmark.Config config =
        TrainingBenchmark.Config.defaults()
            .withBatchSize(8)
            .withSteps(3, 2, 3)
            .withTraining(LossKind.MSE, new SgdConfig(0.01f, 0.9f, 0f, true, 1e-4f));
    BenchmarkResult result = TrainingBenchmark.run(mlp, config);
    assertEquals("mlp", result.architecture());
    assertEquals(2L * (784 * 16 + 16 * 4) + 16 + 4 + 16 + 784, result.parameters());
    assertEquals("MSE", result.loss());
    assertTrue(result.optimizer().startsWith("sgd lr 0.01, momentum 0.9"), result.optimizer());
    assertEquals(3, result.warmupSteps());
    assertEquals(3, result.runImagesPerSecond().size());
    assertTrue(result.runImagesPerSecond().stream().allMatch(r -> r > 0));
    assertTrue(Double.isFinite(result.finalLoss()) && result.finalLoss() > 0);

    BenchmarkResult noWarmup =
        TrainingBenchmark.run(
            mlp, config.withSteps(0, 1, 1).withTraining(LossKind.BCE, AdamConfig.defaults()));
    assertEquals(0, noWarmup.warmupSteps());
    assertEquals(1, noWarmup.runImagesPerSecond().size());
  }

  @Test
  void configIsValidated() {
    TrainingBenchmark.Config d = TrainingBenchmark.Config.defaults();
    assertEquals("cae-bn-000", d.architecture());
    assertEquals(256, d.batchSize());
    assertEquals(LossKind.BCE, d.loss());
    assertEquals(AdamConfig.defaults(), d.optimizer());
    String message =
        assertThrows(IllegalArgumentException.class, () -> d.withArchitecture("vgg")).getMessage();
    assertTrue(message.contains("cae-bn-000"), message);
    assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> d.withSteps(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withSteps(-1, 1, 1));
    assertThrows(NullPointerException.class, () -> d.withTraining(null, AdamConfig.defaults()));
    assertThrows(NullPointerException.class, () -> d.withTraining(LossKind.MSE, null));
    assertEquals(2.5, TrainingBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }
}
