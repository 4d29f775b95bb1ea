package io.deepclust.cli;

import ai.djl.Device;
import io.deepclust.engine.BenchmarkResult;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.engine.TrainingBenchmark;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.recipe.ReconstructionSpec;
import io.deepclust.train.ReconstructionPhase.LossKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepclust bench [ARCHITECTURE | --recipe NAME|FILE] [--pytorch]}: training images/s and
 * peak memory on this machine through the training loop of {@code deepclust run}, optionally side
 * by side with the PyTorch reference script of the same model ({@link PytorchReference}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training throughput (images/s, median of several timed runs after warm-up) and"
          + " peak memory of an autoencoder at a batch size on this machine, through the training"
          + " loop and reconstruction phase that deepclust run executes, on random images.",
      "Architectures: cae-bn-000 (paper 000), triplet-cae-001 (paper 001), trained with BCE and"
          + " Adam lr 1e-3; or any recipe's model with --recipe, trained with the recipe's"
          + " reconstruction loss (mse/bce) and optimizer (Adam or SGD, weight decay included),"
          + " e.g. --recipe mlp-soft-centroids or --recipe tools/bench/dec-ae.yaml (DEC's"
          + " 784-500-500-2000-10 autoencoder).",
      "--pytorch then runs tools/bench/pytorch_*.py with the same model, batch, steps, threads,"
          + " loss and optimizer and prints both numbers and their ratio."
    })
final class BenchCommand implements Callable<Integer> {
  /** The architecture measured when neither ARCHITECTURE nor --recipe is given. */
  static final String DEFAULT_ARCHITECTURE = "cae-bn-000";

  /** The batch size when neither --batch nor --recipe is given (pytorch_cae000.py's). */
  static final int DEFAULT_BATCH = 256;

  /** Default images per timed run: small batches get more steps, so a run is not all noise. */
  static final int IMAGES_PER_RUN = 2560;

  /** Default images of warm-up. */
  static final int WARMUP_IMAGES = 640;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ARCHITECTURE",
      arity = "0..1",
      description =
          "Optional named architecture (default "
              + DEFAULT_ARCHITECTURE
              + "); not together with --recipe.")
  String architecture;

  @Option(
      names = "--recipe",
      paramLabel = "NAME|FILE",
      description =
          "Measure this recipe's model, loss and optimizer (shipped name, see: deepclust recipes,"
              + " or a YAML file); --batch then defaults to its training.batch_size.")
  String recipe;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a recipe field, e.g. --set training.batch_size=128 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--batch",
      description =
          "Batch size (default: the recipe's training.batch_size, else " + DEFAULT_BATCH + ").")
  Integer batch;

  @Option(
      names = "--warmup",
      description =
          "Untimed steps first (default: "
              + WARMUP_IMAGES
              + " images' worth, at least 3: 3 at batch 256, 20 at batch 32).")
  Integer warmup;

  @Option(
      names = "--steps",
      description =
          "Steps per timed run (default: "
              + IMAGES_PER_RUN
              + " images' worth, at least 10: 10 at batch 256, 80 at batch 32).")
  Integer steps;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (median reported).")
  int runs;

  @Option(
      names = "--threads",
      description =
          "libtorch intra-op threads (default: the engine's, set by the launcher from"
              + " DEEPCLUST_THREADS); --pytorch uses the same number.")
  Integer threads;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description =
          "Where to train and embed: cpu, gpu (GPU 0), gpu:N, or auto (a GPU when this build"
              + " can use one, else the CPU). Default: the --recipe's device, else DEEPCLUST_DEVICE,"
              + " else auto. A GPU this build cannot use is an error naming what DJL sees.")
  String device;

  @Option(
      names = "--pytorch",
      description =
          "Afterwards run the PyTorch reference script of the same model (tools/bench) with the"
              + " same settings and print both numbers and the ratio.")
  boolean pytorch;

  @Option(
      names = "--python",
      paramLabel = "PATH",
      defaultValue = PytorchReference.DEFAULT_PYTHON,
      description = "The python with torch for --pytorch (default ${DEFAULT-VALUE}).")
  String python;

  @Override
  public Integer call() {
    if (recipe != null && architecture != null) {
      throw new ParameterException(
          spec.commandLine(),
          "give either ARCHITECTURE ('"
              + architecture
              + "') or --recipe ('"
              + recipe
              + "'), not both");
    }
    if (recipe == null && !overrides.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--set needs --recipe");
    }
    if (threads != null && threads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--threads is " + threads + "; give 1 or more");
    }
    TrainingBenchmark.Config config = TrainingBenchmark.Config.defaults();
    Architecture model;
    String recipeDevice = null;
    if (recipe == null) {
      String name = architecture == null ? DEFAULT_ARCHITECTURE : architecture;
      config = config.withArchitecture(name).withBatchSize(batch == null ? DEFAULT_BATCH : batch);
      model = Architectures.create(name);
    } else {
      Recipe loaded = RecipeLoader.load(recipe, overrides);
      model = loaded.model();
      recipeDevice = loaded.device();
      if (model == null) {
        throw new IllegalArgumentException(
            "recipe '"
                + loaded.name()
                + "' has no model to benchmark (it clusters pixels); use a recipe with a model:"
                + " section, e.g. --recipe mlp-soft-centroids, or a named ARCHITECTURE");
      }
      ReconstructionSpec phase =
          loaded.training().phases().stream()
              .filter(ReconstructionSpec.class::isInstance)
              .map(ReconstructionSpec.class::cast)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "recipe '"
                              + loaded.name()
                              + "' has no reconstruction phase; bench times reconstruction"
                              + " steps, so add a training.phases entry of type: reconstruction"));
      config =
          config
              .withBatchSize(batch == null ? loaded.training().batchSize() : batch)
              .withTraining(LossKind.parse(phase.loss()), loaded.training().optimizer().build());
      System.out.println(
          "recipe "
              + loaded.name()
              + ": model "
              + model.name()
              + " ("
              + model.description()
              + "), phase '"
              + phase.name()
              + "' loss and the recipe's optimizer");
    }
    int b = config.batchSize();
    config =
        config.withSteps(
            warmup == null ? Math.max(3, ceilDiv(WARMUP_IMAGES, b)) : warmup,
            steps == null ? Math.max(10, ceilDiv(IMAGES_PER_RUN, b)) : steps,
            runs);
    if (threads != null) {
      config = config.withThreads(threads);
    }
    config = config.withDevice(device(recipeDevice));
    PytorchReference reference = null;
    if (pytorch) {
      // every check that can fail before the (possibly long) measurement
      reference = PytorchReference.prepare(python, model);
    }
    BenchmarkResult r = TrainingBenchmark.run(model, config);
    System.out.print(r);
    if (reference != null) {
      System.out.println();
      PytorchReference.Result torch = reference.run(config, r.intraOpThreads(), System.out);
      System.out.println();
      System.out.print(
          PytorchReference.sideBySide(
              r, torch, PytorchReference.pytorchEnvironment(System.getenv())));
    }
    return 0;
  }

  /**
   * The device to measure on: --device, else the recipe's, else DEEPCLUST_DEVICE, else auto;
   * checked now, before the measurement, against what DJL sees.
   */
  private String device(String recipeDevice) {
    DeviceChoice.Request r =
        device != null
            ? DeviceChoice.request(device, "--device", System.getenv())
            : DeviceChoice.request(recipeDevice, "recipe", System.getenv());
    Device d = DeviceChoice.resolve(r.name());
    if (pytorch && d.isGpu()) {
      throw new ParameterException(
          spec.commandLine(),
          "--pytorch times the PyTorch reference scripts on the CPU, but the benchmark would run"
              + " on "
              + DeviceChoice.name(d)
              + " ("
              + r.from()
              + "); give --device cpu for a like-for-like comparison, or leave --pytorch out");
    }
    return DeviceChoice.name(d);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** For messages: the lower-case loss name. */
  static String lossName(LossKind loss) {
    return loss.name().toLowerCase(Locale.ROOT);
  }
}
