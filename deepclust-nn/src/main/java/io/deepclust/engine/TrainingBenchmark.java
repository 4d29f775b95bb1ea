package io.deepclust.engine;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.nn.ModelSummary;
import io.deepclust.util.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures autoencoder training throughput (images per second) on this machine, the same way as
 * {@code tools/bench/pytorch_cae000.py} does in PyTorch: encoder + decoder in one {@link
 * SequentialBlock}, BCE loss on the sigmoid output against the input (mean, log clamped at -100 as
 * {@code torch.nn.BCELoss}), DJL {@link Adam} with learning rate {@code 1e-3}, one fixed random
 * batch from {@code U[0, 1)}. Every step runs in its own sub-manager; {@code warmupSteps} untimed
 * steps are followed by {@code repeats} timed runs of {@code steps} steps each.
 */
public final class TrainingBenchmark {

  /** PyTorch's {@code BCELoss} clamps each log term at this value. */
  static final float LOG_CLAMP = -100f;

  private TrainingBenchmark() {}

  /**
   * What to measure.
   *
   * @param architecture a named architecture ({@link Architectures#names()}), built with its
   *     defaults by {@link #run(Config)}; to measure any other {@link Architecture}, pass it to
   *     {@link #run(Architecture, Config)}
   * @param batchSize images per step, at least 1
   * @param warmupSteps untimed steps first (the first one also runs DJL's gradient check), >= 0
   * @param steps steps per timed run, at least 1
   * @param repeats timed runs, at least 1
   * @param seed seeds the engine (initialisation) and the random input batch
   * @param threads libtorch intra-op threads to set before running; 0 keeps the current setting
   *     (from {@code -Dai.djl.pytorch.num_threads}, else libtorch's default)
   * @param learningRate Adam learning rate, > 0
   * @param retainFreedMemory call {@link NativeMemory#retainFreedMemory()} first (as training
   *     should); {@code false} measures glibc's default behaviour
   */
  public record Config(
      String architecture,
      int batchSize,
      int warmupSteps,
      int steps,
      int repeats,
      long seed,
      int threads,
      float learningRate,
      boolean retainFreedMemory) {

    /** Validates every field; names the field and the fix on failure. */
    public Config {
      if (architecture == null || !Architectures.names().contains(architecture)) {
        throw new IllegalArgumentException(
            "TrainingBenchmark.Config: architecture '"
                + architecture
                + "' is unknown; use one of "
                + String.join(", ", Architectures.names()));
      }
      requireAtLeast("batchSize", batchSize, 1);
      requireAtLeast("warmupSteps", warmupSteps, 0);
      requireAtLeast("steps", steps, 1);
      requireAtLeast("repeats", repeats, 1);
      requireAtLeast("threads", threads, 0);
      if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
        throw new IllegalArgumentException(
            "TrainingBenchmark.Config: learningRate is " + learningRate + "; use e.g. 1e-3");
      }
    }

    /**
     * The reference setting of {@code pytorch_cae000.py}: cae-bn-000, batch 256, 3 warm-up steps, 3
     * runs of 10 steps, seed 0, threads as configured, Adam 1e-3, freed native memory retained.
     */
    public static Config defaults() {
      return new Config(Architectures.CAE_BN_000, 256, 3, 10, 3, 0L, 0, 1e-3f, true);
    }

    /** A copy with another architecture. */
    public Config withArchitecture(String name) {
      return new Config(
          name,
          batchSize,
          warmupSteps,
          steps,
          repeats,
          seed,
          threads,
          learningRate,
          retainFreedMemory);
    }

    /** A copy with another batch size. */
    public Config withBatchSize(int size) {
      return new Config(
          architecture,
          size,
          warmupSteps,
          steps,
          repeats,
          seed,
          threads,
          learningRate,
          retainFreedMemory);
    }

    /** A copy with other step counts. */
    public Config withSteps(int warmup, int stepsPerRun, int runs) {
      return new Config(
          architecture,
          batchSize,
          warmup,
          stepsPerRun,
          runs,
          seed,
          threads,
          learningRate,
          retainFreedMemory);
    }

    /** A copy with another intra-op thread count (0 = keep the engine's). */
    public Config withThreads(int intraOpThreads) {
      return new Config(
          architecture,
          batchSize,
          warmupSteps,
          steps,
          repeats,
          seed,
          intraOpThreads,
          learningRate,
          retainFreedMemory);
    }

    /** A copy that does or does not retain freed native memory (see {@link NativeMemory}). */
    public Config withRetainFreedMemory(boolean retain) {
      return new Config(
          architecture,
          batchSize,
          warmupSteps,
          steps,
          repeats,
          seed,
          threads,
          learningRate,
          retain);
    }

    private static void requireAtLeast(String field, int value, int min) {
      if (value < min) {
        throw new IllegalArgumentException(
            "TrainingBenchmark.Config: " + field + " is " + value + "; it must be >= " + min);
      }
    }
  }

  /**
   * Runs the benchmark described by {@code config} on its named architecture with default
   * parameters ({@link Architectures#create(String)}).
   */
  public static BenchmarkResult run(Config config) {
    return run(Architectures.create(config.architecture()), config);
  }

  /**
   * Runs the benchmark on {@code architecture} (its name in the result comes from the architecture;
   * {@code config.architecture()} is ignored).
   */
  public static BenchmarkResult run(Architecture architecture, Config config) {
    if (config.retainFreedMemory()) {
      NativeMemory.retainFreedMemory();
    }
    Engine engine = Engine.getInstance(); // loads libtorch; JniUtils needs it
    if (config.threads() > 0) {
      JniUtils.setNumThreads(config.threads());
    }
    engine.setRandomSeed(Long.hashCode(config.seed()));
    Shape inputShape = new Shape(config.batchSize()).addAll(architecture.inputShape());
    float[] batch = randomBatch(inputShape, config.seed());

    SequentialBlock net =
        new SequentialBlock().add(architecture.encoder()).add(architecture.decoder());
    try (Model model = Model.newInstance(architecture.name())) {
      model.setBlock(net);
      DefaultTrainingConfig trainingConfig =
          new DefaultTrainingConfig(new BinaryCrossEntropy())
              .optOptimizer(
                  Adam.builder()
                      .optLearningRateTracker(Tracker.fixed(config.learningRate()))
                      .build());
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        trainer.initialize(inputShape);
        long parameters = ModelSummary.countParameters(net);
        PhaseTimes warmup = new PhaseTimes();
        for (int i = 0; i < config.warmupSteps(); i++) {
          step(trainer, batch, inputShape, warmup);
        }
        PhaseTimes timed = new PhaseTimes();
        long faultsBefore = minorPageFaults();
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < config.repeats(); r++) {
          long start = System.nanoTime();
          for (int s = 0; s < config.steps(); s++) {
            step(trainer, batch, inputShape, timed);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          rates.add((double) config.steps() * config.batchSize() / seconds);
        }
        int timedSteps = config.steps() * config.repeats();
        long faultsAfter = minorPageFaults();
        long faultsPerStep =
            faultsBefore < 0 || faultsAfter < 0 ? -1 : (faultsAfter - faultsBefore) / timedSteps;
        return new BenchmarkResult(
            architecture.name(),
            parameters,
            config.batchSize(),
            config.warmupSteps(),
            config.steps(),
            rates,
            median(rates),
            timed.forwardNanos / 1e6 / timedSteps,
            timed.backwardNanos / 1e6 / timedSteps,
            timed.optimizerNanos / 1e6 / timedSteps,
            timed.lastLoss,
            peakRssBytes(),
            faultsPerStep,
            NativeMemory.isRetainingFreedMemory(),
            JniUtils.getNumThreads(),
            JniUtils.getNumInteropThreads(),
            engine.getEngineName() + " " + engine.getVersion());
      }
    }
  }

  /** One training step in its own sub-manager, adding its phase times to {@code times}. */
  private static void step(Trainer trainer, float[] batch, Shape inputShape, PhaseTimes times) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      NDArray x = scope.create(batch, inputShape);
      long t0 = System.nanoTime();
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray reconstruction = trainer.forward(new NDList(x)).singletonOrThrow();
        NDArray loss = trainer.getLoss().evaluate(new NDList(x), new NDList(reconstruction));
        long t1 = System.nanoTime();
        collector.backward(loss);
        long t2 = System.nanoTime();
        times.forwardNanos += t1 - t0;
        times.backwardNanos += t2 - t1;
        times.lastLoss = loss.getFloat();
      }
      long t3 = System.nanoTime();
      trainer.step();
      times.optimizerNanos += System.nanoTime() - t3;
    }
  }

  private static float[] randomBatch(Shape shape, long seed) {
    SplittableRandom random = Seeds.stream(seed, "training-benchmark-input");
    float[] data = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble();
    }
    return data;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** {@code VmHWM} of {@code /proc/self/status} in bytes, or -1 where there is no such file. */
  static long peakRssBytes() {
    Path status = Path.of("/proc/self/status");
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L; // the kernel reports kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Minor page faults of the process so far (field 10 of {@code /proc/self/stat}), or -1 where
   * unavailable.
   */
  static long minorPageFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return Long.parseLong(fields[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static final class PhaseTimes {
    long forwardNanos;
    long backwardNanos;
    long optimizerNanos;
    double lastLoss = Double.NaN;
  }

  /**
   * {@code torch.nn.BCELoss()} on probabilities: {@code -mean(y * max(log p, -100) + (1 - y) *
   * max(log(1 - p), -100))}, with the label {@code y} (the input image) and prediction {@code p}
   * (the sigmoid output) of the same shape.
   */
  static final class BinaryCrossEntropy extends Loss {

    BinaryCrossEntropy() {
      super("BCE");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray p = predictions.singletonOrThrow();
      NDArray y = labels.singletonOrThrow();
      NDArray logP = p.log().maximum(LOG_CLAMP);
      NDArray logOneMinusP = p.neg().add(1f).log().maximum(LOG_CLAMP);
      // y*logP + (1-y)*log(1-p) = y*(logP - log(1-p)) + log(1-p): one product fewer.
      return logP.sub(logOneMinusP).mul(y).add(logOneMinusP).mean().neg();
    }
  }
}
