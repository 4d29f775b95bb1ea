package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes the deep-learning engine deepclust runs on: name, version, devices, the libtorch
 * flavour and threads.
 */
public final class EngineInfo {
  private EngineInfo() {}

  /**
   * libtorch's thread counts as used by its kernels.
   *
   * @param intraOp threads of one operation (at::get_num_threads, set by {@code
   *     -Dai.djl.pytorch.num_threads}); float sums are split across them, so results depend on it
   * @param interOp threads running independent operations (at::get_num_interop_threads, set by
   *     {@code -Dai.djl.pytorch.num_interop_threads})
   */
  public record Threads(int intraOp, int interOp) {}

  /**
   * Loads the engine and returns libtorch's intra-op and inter-op thread counts, for the run's
   * record (e.g. config.json): results are bit-reproducible only for the same seed and the same
   * intra-op count.
   */
  public static Threads threads() {
    Engine.getInstance();
    return new Threads(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
  }

  /**
   * Loads the engine (extracting libtorch on first use) and returns its description, in a stable
   * order: DJL's devices and default device, the GPU count, the libtorch flavour ({@code cpu} or
   * {@code cu128}; {@link DeviceChoice#libtorchFlavour()}) and the GPUs this build can use, {@code
   * DEEPCLUST_DEVICE} and what {@code --device auto} picks, the thread counts.
   */
  public static Map<String, Object> describe() {
    Engine engine = Engine.getInstance();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("engine", engine.getEngineName());
    m.put("engine_version", engine.getVersion());
    m.put("djl_version", Engine.getDjlVersion());
    m.put("default_device", engine.defaultDevice().toString());
    List<String> devices = Arrays.stream(engine.getDevices()).map(Device::toString).toList();
    m.put("devices", devices);
    DeviceChoice.Seen seen = DeviceChoice.seen();
    m.put("gpu_count", seen.gpuCount());
    m.put("libtorch_flavour", seen.flavour());
    m.put("libtorch_path", LibUtils.getLibtorchPath());
    m.put("usable_gpus", seen.usableGpus());
    String env = System.getenv(DeviceChoice.ENV);
    m.put("deepclust_device", env == null ? "(unset: auto)" : env);
    m.put("auto_device", DeviceChoice.name(DeviceChoice.resolve(DeviceChoice.AUTO, seen)));
    Threads threads = threads();
    m.put("torch_intra_op_threads", threads.intraOp());
    m.put("torch_inter_op_threads", threads.interOp());
    m.put("jvm_processors", Runtime.getRuntime().availableProcessors());
    m.put("offline", Boolean.getBoolean("ai.djl.offline"));
    return m;
  }
}
