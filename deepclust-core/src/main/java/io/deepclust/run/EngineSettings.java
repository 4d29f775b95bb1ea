package io.deepclust.run;

import io.deepclust.engine.EngineInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine settings that decide bit-reproducibility, recorded in {@code config.json}: the device
 * and libtorch flavour, and the thread counts.
 */
final class EngineSettings {
  private EngineSettings() {}

  /**
   * libtorch's intra-op and inter-op thread counts as configured, and the processors the JVM sees.
   * The same seed gives the same results for the same thread count; another count changes the
   * summation order inside libtorch kernels, and with it the numbers.
   */
  static Map<String, Object> collect(DeviceSettings device) {
    Map<String, Object> m = new LinkedHashMap<>(device.describe());
    EngineInfo.Threads threads = EngineInfo.threads();
    m.put("torch_threads", threads.intraOp());
    m.put("torch_interop_threads", threads.interOp());
    m.put("processors", Runtime.getRuntime().availableProcessors());
    return m;
  }
}
