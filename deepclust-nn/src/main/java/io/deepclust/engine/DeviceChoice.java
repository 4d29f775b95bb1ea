package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where training, embedding and the libtorch kernels run: {@code cpu}, {@code gpu} (GPU 0), {@code
 * gpu:N} or {@code auto} (GPU 0 when this build can use one, else the CPU), as PyTorch's {@code
 * torch.device("cuda:N")}.
 *
 * <p>A GPU counts only when DJL sees it ({@link Engine#getGpuCount()}, CUDA's count, honouring
 * {@code CUDA_VISIBLE_DEVICES}) <em>and</em> the loaded libtorch is a CUDA flavour ({@code cu128}):
 * the CPU libtorch of the default build cannot run on a GPU even where one is present.
 */
public final class DeviceChoice {
  /** The environment variable giving the machine's default device. */
  public static final String ENV = "DEEPCLUST_DEVICE";

  /** A GPU when this build can use one, else the CPU. */
  public static final String AUTO = "auto";

  /** The accepted forms, for messages. */
  public static final String FORMS = "cpu, gpu, gpu:N (N from 0) or auto";

  private static final Pattern SPEC = Pattern.compile("cpu|auto|gpu(?::(\\d{1,4}))?");

  /** The build that runs on a GPU, for messages. */
  static final String CUDA_BUILD =
      "build the CUDA one with 'mvn -B -Pcuda -DskipTests package' (libtorch 2.7.1 cu128, needs"
          + " an NVIDIA driver for CUDA 12.8; README, section GPU)";

  private DeviceChoice() {}

  /**
   * What DJL sees: its GPU count and the flavour of the libtorch it loaded.
   *
   * @param gpuCount GPUs CUDA reports ({@link Engine#getGpuCount()}), 0 without a driver
   * @param flavour the libtorch flavour: {@code cpu}, {@code cu128}, ... or {@code unknown}
   */
  public record Seen(int gpuCount, String flavour) {
    public Seen {
      Objects.requireNonNull(flavour, "flavour");
    }

    /** Whether the libtorch can run kernels on a GPU ({@code cu*}; {@code unknown} is trusted). */
    public boolean cudaLibtorch() {
      return !flavour.equals("cpu");
    }

    /** GPUs this build can use: none with a CPU libtorch. */
    public int usableGpus() {
      return cudaLibtorch() ? gpuCount : 0;
    }

    /** In words, for messages, e.g. {@code 0 GPUs, libtorch 2.7.1 flavour cpu}. */
    public String describe() {
      return gpuCount
          + (gpuCount == 1 ? " GPU" : " GPUs")
          + " (Engine.getGpuCount()) and libtorch "
          + libtorchVersion()
          + " of flavour "
          + flavour;
    }
  }

  /**
   * A device asked for, and by whom.
   *
   * @param name {@code cpu}, {@code gpu:N} or {@code auto} ({@link #parse})
   * @param from who asked: e.g. {@code --device}, {@code recipe}, {@code DEEPCLUST_DEVICE}, or
   *     {@code default} for {@code auto} with no {@code DEEPCLUST_DEVICE}
   */
  public record Request(String name, String from) {}

  /**
   * Which device is asked for: {@code value} unless it is {@code auto} (or null), in which case the
   * machine's default {@code DEEPCLUST_DEVICE} when set, else {@code auto}.
   *
   * @param value the option's or the recipe's device, or null
   * @param from who gave {@code value}, for the record
   * @param env the environment ({@code System.getenv()})
   * @throws IllegalArgumentException for a malformed {@code value} or {@code DEEPCLUST_DEVICE}
   */
  public static Request request(String value, String from, java.util.Map<String, String> env) {
    String v = value == null ? AUTO : parse(value);
    if (!v.equals(AUTO)) {
      return new Request(v, from);
    }
    String machine = env.get(ENV);
    if (machine != null && !machine.isBlank()) {
      try {
        return new Request(parse(machine), ENV);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV + ": " + e.getMessage(), e);
      }
    }
    return new Request(AUTO, "default");
  }

  /** Loads the engine and reports its GPU count and libtorch flavour. */
  public static Seen seen() {
    Engine engine = Engine.getInstance();
    return new Seen(engine.getGpuCount(), libtorchFlavour());
  }

  /**
   * Checks the form of a device name without loading the engine.
   *
   * @param spec {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (case-insensitive, spaces
   *     around ignored)
   * @return the name in lower case, {@code gpu} as {@code gpu:0}
   * @throws IllegalArgumentException for another value, naming the accepted ones
   */
  public static String parse(String spec) {
    String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
    Matcher m = SPEC.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + spec + "' is not a device; use " + FORMS + ", e.g. gpu:0");
    }
    return s.equals("gpu") ? "gpu:0" : s;
  }

  /**
   * The device {@code spec} names on this machine, checked against what DJL sees ({@link #seen()}).
   *
   * @throws IllegalArgumentException for a malformed name, or a GPU this build cannot use: the
   *     message names what DJL sees and the build to use
   */
  public static Device resolve(String spec) {
    String s = parse(spec);
    return resolve(s, s.equals("cpu") ? new Seen(0, "cpu") : seen());
  }

  /**
   * The device {@code spec} names given what DJL sees ({@link #resolve(String)} without the
   * engine): {@code auto} is GPU 0 when a GPU is usable, else the CPU.
   *
   * @throws IllegalArgumentException for a malformed name, or a GPU that is not usable
   */
  public static Device resolve(String spec, Seen seen) {
    String s = parse(spec);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals(AUTO)) {
      return seen.usableGpus() > 0 ? Device.gpu(0) : Device.cpu();
    }
    int index = Integer.parseInt(s.substring("gpu:".length()));
    if (index < seen.usableGpus()) {
      return Device.gpu(index);
    }
    String sees = "DJL sees " + seen.describe();
    if (!seen.cudaLibtorch()) {
      throw new IllegalArgumentException(
          "device '"
              + s
              + "' asks for a GPU, but this build's libtorch runs on the CPU only ("
              + sees
              + "); "
              + CUDA_BUILD
              + ", or use --device cpu");
    }
    if (seen.gpuCount() == 0) {
      throw new IllegalArgumentException(
          "device '"
              + s
              + "' asks for a GPU, but "
              + sees
              + ": no GPU is visible (check nvidia-smi, the driver and CUDA_VISIBLE_DEVICES),"
              + " or use --device cpu");
    }
    throw new IllegalArgumentException(
        "device '"
            + s
            + "' asks for GPU "
            + index
            + ", but "
            + sees
            + "; use gpu:0"
            + (seen.gpuCount() > 1 ? " to gpu:" + (seen.gpuCount() - 1) : "")
            + " or auto");
  }

  /** A device as this project writes it: {@code cpu}, {@code gpu:0}, ... */
  public static String name(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType();
  }

  /**
   * The device of a block's parameters (its first initialised one), or the CPU when none is
   * initialised yet; arrays made for a block must live there.
   */
  public static Device of(Block block) {
    for (Parameter p : block.getParameters().values()) {
      if (p.isInitialized()) {
        return p.getArray().getDevice();
      }
    }
    return Device.cpu();
  }

  /** The libtorch version DJL's engine loads (e.g. {@code 2.7.1}). */
  public static String libtorchVersion() {
    return Engine.getEngine("PyTorch").getVersion();
  }

  /**
   * The flavour of the libtorch DJL loads: {@code PYTORCH_FLAVOR} when {@code PYTORCH_LIBRARY_PATH}
   * points at an installed libtorch; else the native jar's ({@code native/lib/pytorch.properties}:
   * {@code cpu} for {@code pytorch-native-cpu}, {@code cu128} for {@code pytorch-native-cu128});
   * else the cache folder DJL extracted or downloaded it into; {@code unknown} when none tells.
   */
  public static String libtorchFlavour() {
    if (Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") != null) {
      String f = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
      return f == null ? "unknown" : f;
    }
    try (InputStream in =
        DeviceChoice.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String f = p.getProperty("flavor");
        if (f != null) {
          return f;
        }
      }
    } catch (IOException e) {
      // fall through to the cache folder
    }
    try {
      Engine.getEngine("PyTorch");
      Path dir = Path.of(LibUtils.getLibtorchPath()).getFileName();
      // e.g. 2.7.1-20250812-cpu-linux-x86_64 or 2.7.1-cu128-linux-x86_64
      Matcher m =
          Pattern.compile("-(cpu|cu\\d+)(?:-|$)").matcher(dir == null ? "" : dir.toString());
      if (m.find()) {
        return m.group(1);
      }
    } catch (RuntimeException e) {
      // unknown
    }
    return "unknown";
  }
}
