package io.deepclust.engine;

import java.util.List;
import java.util.Locale;

/**
 * Outcome of a {@link TrainingBenchmark} run: training throughput of one architecture at one batch
 * size, loss and optimizer on this machine, through the project's training loop.
 *
 * @param architecture registry name of the model
 * @param parameters learnable parameters (PyTorch's count)
 * @param batchSize images per step
 * @param warmupSteps untimed steps before the timed runs
 * @param stepsPerRun steps per timed run (one epoch of {@link io.deepclust.train.TrainingLoop})
 * @param loss the reconstruction loss, {@code MSE} or {@code BCE}
 * @param optimizer the optimizer and its hyper-parameters in words
 * @param runImagesPerSecond throughput of each timed run, {@code stepsPerRun * batchSize / seconds}
 *     of its training steps (the loop's {@link io.deepclust.train.EpochResult#imagesPerSecond()})
 * @param medianImagesPerSecond median of {@code runImagesPerSecond}
 * @param forwardMs mean milliseconds per timed step in forward + loss
 * @param backwardAndUpdateMs mean milliseconds per timed step in the rest of the step: backward,
 *     optimizer update, batch copy
 * @param finalLoss loss of the last step ({@code loss}, mean over pixels)
 * @param peakRssBytes peak resident set size of the process ({@code VmHWM}), -1 if unknown
 * @param minorFaultsPerStep minor page faults of the process per timed step, -1 if unknown
 * @param retainsFreedMemory whether {@link NativeMemory#retainFreedMemory()} was in effect
 * @param intraOpThreads libtorch intra-op threads during the run
 * @param interOpThreads libtorch inter-op threads during the run
 * @param engine engine name and version, e.g. {@code PyTorch 2.7.1}
 * @param device where it trained: {@code cpu}, {@code gpu:0}, ...
 */
public record BenchmarkResult(
    String architecture,
    long parameters,
    int batchSize,
    int warmupSteps,
    int stepsPerRun,
    String loss,
    String optimizer,
    List<Double> runImagesPerSecond,
    double medianImagesPerSecond,
    double forwardMs,
    double backwardAndUpdateMs,
    double finalLoss,
    long peakRssBytes,
    long minorFaultsPerStep,
    boolean retainsFreedMemory,
    int intraOpThreads,
    int interOpThreads,
    String engine,
    String device) {

  /** Copies the run list so the result stays immutable. */
  public BenchmarkResult {
    runImagesPerSecond = List.copyOf(runImagesPerSecond);
  }

  /** Milliseconds per step at the median throughput: {@code 1000 * batchSize / median}. */
  public double msPerStep() {
    return medianImagesPerSecond > 0 ? 1000.0 * batchSize / medianImagesPerSecond : Double.NaN;
  }

  /** A two-column text table, one quantity per line. */
  @Override
  public String toString() {
    StringBuilder runs = new StringBuilder();
    for (double rate : runImagesPerSecond) {
      if (runs.length() > 0) {
        runs.append(", ");
      }
      runs.append(String.format(Locale.ROOT, "%.1f", rate));
    }
    StringBuilder sb = new StringBuilder();
    row(sb, "architecture", architecture);
    row(sb, "parameters", String.format(Locale.ROOT, "%,d", parameters));
    row(sb, "engine", engine);
    row(sb, "device", device);
    row(sb, "threads (intra/inter)", intraOpThreads + " / " + interOpThreads);
    row(sb, "batch size", Integer.toString(batchSize));
    row(sb, "loss", loss);
    row(sb, "optimizer", optimizer);
    row(sb, "warm-up steps", Integer.toString(warmupSteps));
    row(sb, "timed runs x steps", runImagesPerSecond.size() + " x " + stepsPerRun);
    row(sb, "median images/s", String.format(Locale.ROOT, "%.1f", medianImagesPerSecond));
    row(sb, "runs images/s", runs.toString());
    row(sb, "ms/step (median run)", String.format(Locale.ROOT, "%.2f", msPerStep()));
    row(
        sb,
        "mean ms/step: forward+loss / rest",
        String.format(Locale.ROOT, "%.2f / %.2f", forwardMs, backwardAndUpdateMs));
    row(sb, "final loss (" + loss + ")", String.format(Locale.ROOT, "%.6f", finalLoss));
    row(
        sb,
        "peak RSS",
        peakRssBytes < 0
            ? "unknown"
            : String.format(Locale.ROOT, "%.1f MiB", peakRssBytes / (1024.0 * 1024.0)));
    row(
        sb,
        "minor page faults/step",
        minorFaultsPerStep < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", minorFaultsPerStep));
    row(sb, "freed native memory retained", Boolean.toString(retainsFreedMemory));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append(String.format(Locale.ROOT, "%-40s %s%n", key, value));
  }
}
