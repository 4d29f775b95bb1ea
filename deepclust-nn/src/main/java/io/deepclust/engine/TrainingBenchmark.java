package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ModelSummary;
import io.deepclust.train.AdamConfig;
import io.deepclust.train.BatchConfig;
import io.deepclust.train.BatchSource;
import io.deepclust.train.EpochResult;
import io.deepclust.train.LossHistory;
import io.deepclust.train.OptimizerConfig;
import io.deepclust.train.Phase;
import io.deepclust.train.PhaseContext;
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.SgdConfig;
import io.deepclust.train.TrainBatch;
import io.deepclust.train.TrainingListener;
import io.deepclust.train.TrainingLoop;
import io.deepclust.util.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Measures autoencoder training throughput (images per second) on this machine through the code
 * path a recipe run executes: the model is built and initialised as {@code deepclust run} does
 * ({@link Autoencoder}), and trained by {@link TrainingLoop} with a {@link ReconstructionPhase}
 * (MSE or BCE) and the project's optimizer ({@link OptimizerConfig}: Adam or SGD, weight decay
 * included), on seeded random images from {@code U[0, 1)} (throughput does not depend on pixel
 * values), shuffled batches as in a run.
 *
 * <p>The loop runs up to two phases over a pool of {@code max(warmupSteps, steps)} batches: an
 * untimed phase {@code warmup} of one epoch of {@code warmupSteps} batches (left out when 0), then
 * the phase {@code bench} of {@code repeats} epochs of {@code steps} batches each. Each timed run
 * is one epoch, and its throughput is the loop's own {@link EpochResult#imagesPerSecond()} (the
 * training steps of the epoch, batch copies included; what {@code deepclust run} logs as "images/s
 * in training steps"). Each phase delegates its loss to the one {@link ReconstructionPhase} and
 * only adds a clock around it (forward + loss time). A recipe run also has progress, CSV and
 * checkpoint listeners; they act per epoch or rarely and are left out here.
 *
 * <p>Compare with {@code tools/bench/pytorch_cae000.py} and {@code tools/bench/pytorch_mlp.py},
 * which time the same steps in PyTorch ({@code deepclust bench --pytorch} runs them).
 */
public final class TrainingBenchmark {

  /** Name of the timed phase (one epoch per timed run). */
  static final String TIMED_PHASE = "bench";

  /** Name of the untimed warm-up phase. */
  static final String WARMUP_PHASE = "warmup";

  private TrainingBenchmark() {}

  /**
   * What to measure.
   *
   * @param architecture a named architecture ({@link Architectures#names()}), built with its
   *     defaults by {@link #run(Config)}; to measure any other {@link Architecture} (e.g. a
   *     recipe's), pass it to {@link #run(Architecture, Config)}
   * @param batchSize images per step, at least 1
   * @param warmupSteps untimed steps first (the first one also runs DJL's gradient check), >= 0
   * @param steps steps per timed run, at least 1
   * @param repeats timed runs, at least 1
   * @param seed seeds the engine (initialisation), the random images and the batch order
   * @param threads libtorch intra-op threads to set before running; 0 keeps the current setting
   *     (from {@code -Dai.djl.pytorch.num_threads}, else libtorch's default)
   * @param loss the reconstruction loss ({@code torch.nn.MSELoss} / {@code BCELoss} semantics, see
   *     {@link io.deepclust.train.Losses})
   * @param optimizer the optimizer, as a recipe's {@code training.optimizer} builds it
   * @param retainFreedMemory call {@link NativeMemory#retainFreedMemory()} first (as {@code
   *     deepclust run} does); {@code false} measures glibc's default behaviour
   * @param device where to train: {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} ({@link
   *     DeviceChoice}); checked against what DJL sees when the benchmark runs
   */
  public record Config(
      String architecture,
      int batchSize,
      int warmupSteps,
      int steps,
      int repeats,
      long seed,
      int threads,
      ReconstructionPhase.LossKind loss,
      OptimizerConfig optimizer,
      boolean retainFreedMemory,
      String device) {

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
      Objects.requireNonNull(loss, "TrainingBenchmark.Config: loss (use LossKind.BCE or MSE)");
      Objects.requireNonNull(
          optimizer, "TrainingBenchmark.Config: optimizer (use e.g. AdamConfig.defaults())");
      try {
        device = DeviceChoice.parse(device);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("TrainingBenchmark.Config: device " + e.getMessage(), e);
      }
    }

    /**
     * The reference setting of {@code pytorch_cae000.py}: cae-bn-000, batch 256, 3 warm-up steps, 3
     * runs of 10 steps, seed 0, threads as configured, BCE, Adam lr 1e-3 without weight decay,
     * freed native memory retained, device {@code auto}.
     */
    public static Config defaults() {
      return new Config(
          Architectures.CAE_BN_000,
          256,
          3,
          10,
          3,
          0L,
          0,
          ReconstructionPhase.LossKind.BCE,
          AdamConfig.defaults(),
          true,
          DeviceChoice.AUTO);
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
          loss,
          optimizer,
          retainFreedMemory,
          device);
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
          loss,
          optimizer,
          retainFreedMemory,
          device);
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
          loss,
          optimizer,
          retainFreedMemory,
          device);
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
          loss,
          optimizer,
          retainFreedMemory,
          device);
    }

    /** A copy with another loss and optimizer (e.g. a recipe's). */
    public Config withTraining(ReconstructionPhase.LossKind lossKind, OptimizerConfig update) {
      return new Config(
          architecture,
          batchSize,
          warmupSteps,
          steps,
          repeats,
          seed,
          threads,
          lossKind,
          update,
          retainFreedMemory,
          device);
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
          loss,
          optimizer,
          retain,
          device);
    }

    /** A copy on another device ({@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}). */
    public Config withDevice(String name) {
      return new Config(
          architecture,
          batchSize,
          warmupSteps,
          steps,
          repeats,
          seed,
          threads,
          loss,
          optimizer,
          retainFreedMemory,
          name);
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
   *
   * @throws io.deepclust.train.TrainingDivergedException if a loss becomes NaN or infinite (e.g. a
   *     learning rate too large for the random images)
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
    Autoencoder ae =
        new Autoencoder(architecture.encoder(), architecture.decoder(), architecture.inputShape());
    int batch = config.batchSize();
    int poolImages = Math.multiplyExact(Math.max(config.warmupSteps(), config.steps()), batch);
    BatchSource pool =
        new BatchSource(
            randomImages(poolImages, ae.inputShape(), config.seed()),
            ae.inputShape(),
            new BatchConfig(batch, true, false), // as deepclust run batches its training set
            config.seed());

    Device device = DeviceChoice.resolve(config.device());
    try (Model model = Model.newInstance(architecture.name(), device)) {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      long parameters = ModelSummary.countParameters(ae.block());
      ReconstructionPhase reconstruction =
          new ReconstructionPhase(
              ae, new ReconstructionPhase.Config(TIMED_PHASE, 1, config.loss()));
      BenchPhase timed =
          new BenchPhase(reconstruction, TIMED_PHASE, config.repeats(), config.steps() * batch);
      FaultCounter faults = new FaultCounter();
      TrainingLoop.Builder builder =
          TrainingLoop.builder(model, pool).optOptimizer(config.optimizer()).addListener(faults);
      if (config.warmupSteps() > 0) {
        builder.addPhase(
            new BenchPhase(reconstruction, WARMUP_PHASE, 1, config.warmupSteps() * batch));
      }
      LossHistory history = builder.addPhase(timed).build().run();

      List<EpochResult> runs = history.epochsOf(TIMED_PHASE);
      List<Double> rates = runs.stream().map(EpochResult::imagesPerSecond).toList();
      int timedSteps = config.steps() * config.repeats();
      double trainSeconds = 0;
      for (EpochResult r : runs) {
        trainSeconds += (double) config.steps() * batch / r.imagesPerSecond();
      }
      double stepMs = trainSeconds * 1000 / timedSteps;
      double forwardMs = timed.lossNanos / 1e6 / timedSteps;
      float[] lastLosses = runs.get(runs.size() - 1).batchLosses();
      return new BenchmarkResult(
          architecture.name(),
          parameters,
          batch,
          config.warmupSteps(),
          config.steps(),
          config.loss().name(),
          describe(config.optimizer()),
          rates,
          median(rates),
          forwardMs,
          stepMs - forwardMs,
          lastLosses[lastLosses.length - 1],
          peakRssBytes(),
          faults.perStep(timedSteps),
          NativeMemory.isRetainingFreedMemory(),
          JniUtils.getNumThreads(),
          JniUtils.getNumInteropThreads(),
          engine.getEngineName() + " " + engine.getVersion(),
          DeviceChoice.name(device));
    }
  }

  /**
   * The optimizer in words, e.g. {@code adam lr 0.001, betas (0.9, 0.999), eps 1e-08, weight decay
   * 1e-08}.
   */
  static String describe(OptimizerConfig optimizer) {
    if (optimizer instanceof AdamConfig a) {
      return String.format(
          Locale.ROOT,
          "adam lr %s, betas (%s, %s), eps %s, weight decay %s",
          a.learningRate(),
          a.beta1(),
          a.beta2(),
          a.epsilon(),
          a.weightDecay());
    }
    SgdConfig s = (SgdConfig) optimizer;
    return String.format(
        Locale.ROOT,
        "sgd lr %s, momentum %s, dampening %s, nesterov %s, weight decay %s",
        s.learningRate(),
        s.momentum(),
        s.dampening(),
        s.nesterov(),
        s.weightDecay());
  }

  /**
   * A phase of the benchmark: the reconstruction phase's loss on the first {@code images} images of
   * the pool, with a clock around it.
   */
  private static final class BenchPhase implements Phase {
    private final ReconstructionPhase reconstruction;
    private final String name;
    private final int epochs;
    private final int images;
    long lossNanos;

    BenchPhase(ReconstructionPhase reconstruction, String name, int epochs, int images) {
      this.reconstruction = reconstruction;
      this.name = name;
      this.epochs = epochs;
      this.images = images;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int epochs() {
      return epochs;
    }

    @Override
    public BatchSource trainData(BatchSource runData) {
      if (images == runData.size()) {
        return runData;
      }
      int[] rows = new int[images];
      Arrays.setAll(rows, i -> i);
      return runData.subset(rows);
    }

    @Override
    public NDArray loss(PhaseContext ctx, TrainBatch batch) {
      long start = System.nanoTime();
      NDArray loss = reconstruction.loss(ctx, batch);
      lossNanos += System.nanoTime() - start;
      return loss;
    }
  }

  /** Minor page faults of the timed phase. */
  private static final class FaultCounter implements TrainingListener {
    private long before = -1;
    private long after = -1;

    @Override
    public void onPhaseStart(TrainingLoop loop, int phaseIndex, Phase phase, int firstEpoch) {
      if (phase.name().equals(TIMED_PHASE)) {
        before = minorPageFaults();
      }
    }

    @Override
    public void onTrainingEnd(TrainingLoop loop) {
      after = minorPageFaults();
    }

    long perStep(int steps) {
      return before < 0 || after < 0 ? -1 : (after - before) / steps;
    }
  }

  /** {@code n} images of {@code shape} (C, H, W) with pixels from {@code U[0, 1)}, seeded. */
  private static FloatMatrix randomImages(int n, Shape shape, long seed) {
    SplittableRandom random = Seeds.stream(seed, "training-benchmark-input");
    int cols = Math.toIntExact(shape.size());
    float[] data = new float[Math.multiplyExact(n, cols)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble();
    }
    return new FloatMatrix(n, cols, data);
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
}
