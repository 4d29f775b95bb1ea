package io.deepclust.cli;

import io.deepclust.engine.BenchmarkResult;
import io.deepclust.engine.TrainingBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deepclust bench <architecture>}: training images/s and peak memory on this machine. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training throughput (images/s, median of several timed runs after warm-up) and"
          + " peak memory of an architecture at a batch size on this machine.",
      "Architectures: cae-bn-000 (paper 000), triplet-cae-001 (paper 001)."
    })
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ARCHITECTURE", defaultValue = "cae-bn-000")
  String architecture;

  @Option(names = "--batch", defaultValue = "256", description = "Batch size.")
  int batch;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first.")
  int warmup;

  @Option(names = "--steps", defaultValue = "10", description = "Steps per timed run.")
  int steps;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (median reported).")
  int runs;

  @Override
  public Integer call() {
    BenchmarkResult r =
        TrainingBenchmark.run(
            TrainingBenchmark.Config.defaults()
                .withArchitecture(architecture)
                .withBatchSize(batch)
                .withSteps(warmup, steps, runs));
    System.out.println(r);
    return 0;
  }
}
