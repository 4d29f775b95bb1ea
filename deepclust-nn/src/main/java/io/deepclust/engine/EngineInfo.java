package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Describes the deep-learning engine deepclust runs on: name, version, devices and threads. */
public final class EngineInfo {
  private EngineInfo() {}

  /**
   * Loads the engine (extracting libtorch on first use) and returns its description, in a stable
   * order.
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
    m.put("gpu_count", engine.getGpuCount());
    m.put("torch_intra_op_threads", JniUtils.getNumThreads());
    m.put("torch_inter_op_threads", JniUtils.getNumInteropThreads());
    m.put("jvm_processors", Runtime.getRuntime().availableProcessors());
    m.put("offline", Boolean.getBoolean("ai.djl.offline"));
    return m;
  }
}
