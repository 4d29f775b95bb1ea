package io.deepclust.cli;

import io.deepclust.engine.EngineInfo;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code deepclust engine}: which deep-learning engine runs, on what. */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description =
        "Print the DJL engine, its version, the devices it sees, the libtorch flavour (cpu or"
            + " cu128), the GPUs this build can use, what --device auto picks, and its thread"
            + " counts.")
final class EngineCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (Map.Entry<String, Object> e : EngineInfo.describe().entrySet()) {
      System.out.printf("%-24s %s%n", e.getKey(), e.getValue());
    }
    return 0;
  }
}
