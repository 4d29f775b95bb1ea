package io.deepclust.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.engine.BenchmarkResult;
import io.deepclust.engine.TrainingBenchmark;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.nn.ConvArchitecture;
import io.deepclust.nn.MlpArchitecture;
import io.deepclust.nn.Normalization;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.train.AdamConfig;
import io.deepclust.train.OptimizerConfig;
import io.deepclust.train.SgdConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The PyTorch reference of {@code deepclust bench --pytorch}: which script of {@code tools/bench}
 * times the same model ({@code pytorch_cae000.py} for cae-bn-000, {@code pytorch_conv.py} for a
 * {@code type: conv} layer list, {@code pytorch_mlp.py} for a plain {@code type: mlp} autoencoder),
 * with which arguments, and running it.
 *
 * <p>The scripts are found in {@code $DEEPCLUST_HOME/tools/bench} (the {@code deepclust} launcher
 * exports {@code DEEPCLUST_HOME}), else in the checkout that holds this jar or class folder.
 */
final class PytorchReference {
  /** Debian's python, whose {@code python3-torch} package the project uses. */
  static final String DEFAULT_PYTHON = "/usr/bin/python3";

  /** The environment variable naming the deepclust checkout. */
  static final String HOME_ENV = "DEEPCLUST_HOME";

  /** The last line of every script's output starts with this (see torch_timing.py). */
  static final String RESULT_PREFIX = "deepclust-bench:";

  static final String INSTALL_FIX =
      "install PyTorch with: apt-get update && apt-get install -y python3-torch (Debian's"
          + " /usr/bin/python3), or pass --python PATH of a python that has torch";

  private final String python;
  private final Path script;
  private final List<String> modelArgs;

  private PytorchReference(String python, Path script, List<String> modelArgs) {
    this.python = python;
    this.script = script;
    this.modelArgs = modelArgs;
  }

  /**
   * The reference for {@code model}, checked before anything is measured: the model has a script,
   * the script is there, and {@code python} (when a path) exists.
   *
   * @throws IllegalArgumentException naming the model, the folder or the python, and the fix
   */
  static PytorchReference prepare(String python, Architecture model) {
    List<String> args = new ArrayList<>();
    String name = scriptFor(model, args);
    Path dir = benchDirectory(System.getenv(HOME_ENV), codeLocation());
    Path script = dir.resolve(name);
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException(
          "--pytorch: "
              + script
              + " does not exist; "
              + dir
              + " should hold the PyTorch reference scripts of the deepclust checkout");
    }
    if (python.contains("/") && !Files.isExecutable(Path.of(python))) {
      throw new IllegalArgumentException(
          "--pytorch: the python '"
              + python
              + "' does not exist or is not executable; "
              + INSTALL_FIX);
    }
    return new PytorchReference(python, script, List.copyOf(args));
  }

  /**
   * The script for {@code model} and its model arguments (added to {@code args}).
   *
   * @throws IllegalArgumentException when tools/bench has no PyTorch version of the model
   */
  static String scriptFor(Architecture model, List<String> args) {
    if (model instanceof Architectures.CaeBn000 cae) {
      args.addAll(
          List.of("--input-shape", cae.inChannels() + "," + cae.height() + "," + cae.width()));
      return "pytorch_cae000.py";
    }
    if (model instanceof MlpArchitecture mlp
        && mlp.norm() == Normalization.NONE
        && mlp.decoderNorm() == Normalization.NONE
        && mlp.dropout() == 0
        && mlp.decoderDropout() == 0) {
      // weight initialisation does not change the time of a step: init and zero_bias are ignored
      args.addAll(
          List.of(
              "--dims",
              join(mlp.dims()),
              "--decoder-dims",
              join(mlp.decoderDims()),
              "--activation",
              mlp.activation().yamlName(),
              "--embedding-activation",
              mlp.embeddingActivation().yamlName(),
              "--output-activation",
              mlp.outputActivation().yamlName(),
              "--input-shape",
              join(
                  List.of(
                      mlp.inputShape().get(0), mlp.inputShape().get(1), mlp.inputShape().get(2)))));
      return "pytorch_mlp.py";
    }
    if (model instanceof ConvArchitecture conv) {
      // the layer list exactly as config.json writes it; the script builds the same torch.nn
      // modules (weight initialisation does not change the time of a step)
      try {
        args.addAll(
            List.of(
                "--architecture",
                RecipeLoader.json()
                    .writer()
                    .without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(conv)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--pytorch: cannot write the conv model as JSON", e);
      }
      return "pytorch_conv.py";
    }
    throw new IllegalArgumentException(
        "--pytorch: tools/bench has no PyTorch version of the model "
            + model.name()
            + " ("
            + model.description()
            + "); it has cae-bn-000, type: conv layer lists and type: mlp autoencoders without"
            + " norm or dropout. Leave"
            + " out --pytorch, or add a script to tools/bench");
  }

  /**
   * The folder of the reference scripts: {@code home/tools/bench} when {@code home} is set, else
   * the first {@code tools/bench} above {@code code} (the jar or class folder).
   *
   * @throws IllegalArgumentException saying where it looked and how to point at the checkout
   */
  static Path benchDirectory(String home, Path code) {
    if (home != null && !home.isBlank()) {
      Path dir = Path.of(home).resolve("tools").resolve("bench");
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "--pytorch: "
                + HOME_ENV
                + " is "
                + home
                + " but "
                + dir
                + " is not a folder; set "
                + HOME_ENV
                + " to the deepclust checkout (the deepclust launcher does)");
      }
      return dir;
    }
    for (Path p = code; p != null; p = p.getParent()) {
      Path dir = p.resolve("tools").resolve("bench");
      if (Files.isRegularFile(dir.resolve("torch_timing.py"))) {
        return dir;
      }
    }
    throw new IllegalArgumentException(
        "--pytorch: cannot find tools/bench with the PyTorch reference scripts: "
            + HOME_ENV
            + " is not set and "
            + code
            + " is not inside a deepclust checkout; run the deepclust launcher of the checkout,"
            + " or set "
            + HOME_ENV
            + " to the checkout");
  }

  private static Path codeLocation() {
    CodeSource source = PytorchReference.class.getProtectionDomain().getCodeSource();
    try {
      return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The full command line for {@code config} at {@code threads} intra-op threads. */
  List<String> command(TrainingBenchmark.Config config, int threads) {
    List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(modelArgs);
    cmd.addAll(
        List.of(
            "--threads",
            Integer.toString(threads),
            "--batch",
            Integer.toString(config.batchSize()),
            "--warmup",
            Integer.toString(config.warmupSteps()),
            "--steps",
            Integer.toString(config.steps()),
            "--repeats",
            Integer.toString(config.repeats()),
            "--seed",
            Long.toString(config.seed()),
            "--loss",
            BenchCommand.lossName(config.loss())));
    cmd.addAll(optimizerArgs(config.optimizer()));
    return cmd;
  }

  /** torch.optim arguments of the scripts for {@code optimizer}. */
  static List<String> optimizerArgs(OptimizerConfig optimizer) {
    List<String> a = new ArrayList<>();
    if (optimizer instanceof AdamConfig adam) {
      a.addAll(
          List.of(
              "--optimizer",
              "adam",
              "--lr",
              str(adam.learningRate()),
              "--beta1",
              str(adam.beta1()),
              "--beta2",
              str(adam.beta2()),
              "--eps",
              str(adam.epsilon()),
              "--weight-decay",
              str(adam.weightDecay())));
    } else {
      SgdConfig sgd = (SgdConfig) optimizer;
      a.addAll(
          List.of(
              "--optimizer",
              "sgd",
              "--lr",
              str(sgd.learningRate()),
              "--momentum",
              str(sgd.momentum()),
              "--dampening",
              str(sgd.dampening()),
              "--weight-decay",
              str(sgd.weightDecay())));
      if (sgd.nesterov()) {
        a.add("--nesterov");
      }
    }
    return a;
  }

  /**
   * Set for the PyTorch process where the user has not set them. Debian's torch 1.13 does its
   * matrix products in OpenBLAS, whose own thread pool (one thread per core by default) runs beside
   * torch's OpenMP threads: on 2 cores, 2 torch threads with it ran paper 004's network at 370-410
   * images/s, with {@code OPENBLAS_NUM_THREADS=1} at 1,185-1,474 (docs/RESULTS.md, 2026-12-02). The
   * reference should be PyTorch at its best, so that the ratio is not flattered.
   */
  static final Map<String, String> PYTORCH_DEFAULTS = Map.of("OPENBLAS_NUM_THREADS", "1");

  /** The environment the PyTorch process gets: {@code parent} plus {@link #PYTORCH_DEFAULTS}. */
  static Map<String, String> pytorchEnvironment(Map<String, String> parent) {
    Map<String, String> env = new java.util.HashMap<>(parent);
    PYTORCH_DEFAULTS.forEach(env::putIfAbsent);
    return env;
  }

  /** What the script measured. */
  record Result(
      double medianImagesPerSecond,
      List<Double> runImagesPerSecond,
      long parameters,
      long peakRssBytes,
      String torchVersion,
      int threads) {}

  /**
   * Runs the script, copying its output to {@code out}, and parses its result line.
   *
   * @throws IllegalStateException when the python cannot start or the script fails, with its
   *     output's last lines and the install fix
   */
  Result run(TrainingBenchmark.Config config, int threads, PrintStream out) {
    List<String> cmd = command(config, threads);
    out.println("PyTorch reference: " + shellLine(cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    PYTORCH_DEFAULTS.forEach(pb.environment()::putIfAbsent);
    Deque<String> tail = new ArrayDeque<>();
    String resultLine = null;
    int code;
    try {
      Process process = pb.start();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.startsWith(RESULT_PREFIX)) {
            resultLine = line;
            continue;
          }
          out.println("  " + line);
          tail.addLast(line);
          if (tail.size() > 5) {
            tail.removeFirst();
          }
        }
      }
      code = process.waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(
          "--pytorch: cannot run " + python + " (" + e.getMessage() + "); " + INSTALL_FIX, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("--pytorch: interrupted while the PyTorch reference ran", e);
    }
    if (code != 0 || resultLine == null) {
      String output = String.join(" | ", tail);
      throw new IllegalStateException(
          "--pytorch: "
              + script.getFileName()
              + " failed (exit code "
              + code
              + "): "
              + output
              + (torchMissing(output) ? "; " + INSTALL_FIX : ""));
    }
    return parse(resultLine);
  }

  /**
   * Whether a failed script's output says torch cannot be imported (then the install fix helps; for
   * the script's own errors it would mislead). torch_timing.py's own message already has it.
   */
  static boolean torchMissing(String output) {
    return !output.contains("apt-get install")
        && (output.contains("No module named 'torch'")
            || output.contains("No module named torch")
            || output.contains("ImportError")
            || output.contains("ModuleNotFoundError"));
  }

  /** {@code cmd} as a shell line that can be pasted: arguments quoted where the shell would act. */
  static String shellLine(List<String> cmd) {
    StringBuilder b = new StringBuilder();
    for (String a : cmd) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(a.matches("[A-Za-z0-9_./:=,+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  /** Parses {@code deepclust-bench: key=value ...}. */
  static Result parse(String line) {
    Map<String, String> kv = new HashMap<>();
    for (String token : line.substring(RESULT_PREFIX.length()).trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        kv.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    try {
      List<Double> runs =
          java.util.Arrays.stream(kv.get("runs").split(",")).map(Double::valueOf).toList();
      return new Result(
          Double.parseDouble(kv.get("median_images_per_second")),
          runs,
          Long.parseLong(kv.get("parameters")),
          Long.parseLong(kv.get("peak_rss_bytes")),
          kv.get("torch"),
          Integer.parseInt(kv.get("threads")));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "--pytorch: cannot read the reference's result line '"
              + line
              + "' ("
              + e
              + "); tools/bench/torch_timing.py and this jar are of different versions",
          e);
    }
  }

  /**
   * Both measurements and their ratio, one quantity per line.
   *
   * @param env the PyTorch process's environment ({@link #pytorchEnvironment})
   */
  static String sideBySide(BenchmarkResult d, Result t, Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "deepclust vs PyTorch: %s, batch %d, %s + %s, %d warm-up + %d x %d steps%n",
            d.architecture(),
            d.batchSize(),
            d.loss(),
            d.optimizer(),
            d.warmupSteps(),
            d.runImagesPerSecond().size(),
            d.stepsPerRun()));
    row(sb, "", "deepclust", "PyTorch");
    row(sb, "engine", d.engine(), "torch " + t.torchVersion());
    row(
        sb,
        "intra-op threads",
        Integer.toString(d.intraOpThreads()),
        Integer.toString(t.threads()));
    row(sb, "parameters", fmt("%,d", d.parameters()), fmt("%,d", t.parameters()));
    row(
        sb,
        "median images/s",
        fmt("%,.1f", d.medianImagesPerSecond()),
        fmt("%,.1f", t.medianImagesPerSecond()));
    row(sb, "runs images/s", runs(d.runImagesPerSecond()), runs(t.runImagesPerSecond()));
    row(sb, "peak RSS", mib(d.peakRssBytes()), mib(t.peakRssBytes()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-24s %.2fx%n",
            "deepclust / PyTorch",
            d.medianImagesPerSecond() / t.medianImagesPerSecond()));
    if (d.parameters() != t.parameters()) {
      sb.append(
          "warning: the parameter counts differ, so the two models are not the same; the ratio"
              + " compares different networks\n");
    }
    sb.append("PyTorch's environment: ")
        .append(
            List.of("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS").stream()
                .map(k -> k + "=" + env.getOrDefault(k, "(unset)"))
                .collect(Collectors.joining(", ")))
        .append(
            env.get("OPENBLAS_NUM_THREADS") != null
                    && env.get("OPENBLAS_NUM_THREADS")
                        .equals(PYTORCH_DEFAULTS.get("OPENBLAS_NUM_THREADS"))
                ? " (bench sets OPENBLAS_NUM_THREADS=1 unless it is set: OpenBLAS's own threads"
                    + " slow torch down)"
                : "")
        .append(
            "; timings on cores shared with other processes are noisy (compare on idle cores)\n");
    return sb.toString();
  }

  private static void row(StringBuilder sb, String key, String a, String b) {
    sb.append(String.format(Locale.ROOT, "%-24s %-28s %s%n", key, a, b));
  }

  private static String runs(List<Double> rates) {
    return rates.stream().map(r -> fmt("%.0f", r)).collect(Collectors.joining(", "));
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "unknown" : fmt("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static String fmt(String format, Object value) {
    return String.format(Locale.ROOT, format, value);
  }

  /** A float as the scripts read it: Java's shortest round-trip form, e.g. 1.0E-8. */
  private static String str(float v) {
    return Float.toString(v);
  }

  private static String join(List<? extends Number> sizes) {
    return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
