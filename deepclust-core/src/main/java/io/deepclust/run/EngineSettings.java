package io.deepclust.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The engine settings that decide bit-reproducibility, recorded in {@code config.json}. */
final class EngineSettings {
  private EngineSettings() {}

  /**
   * libtorch's intra-op and inter-op thread counts as configured, and the processors the JVM sees.
   * The same seed gives the same results for the same thread count; another count changes the
   * summation order inside libtorch kernels, and with it the numbers.
   */
  static Map<String, Object> collect() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
    m.put(
        "torch_interop_threads",
        System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
    m.put("processors", Runtime.getRuntime().availableProcessors());
    return m;
  }
}
