package io.deepclust.report;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What made a result: versions, machine and source revision, written beside every run. */
public final class Provenance {
  private Provenance() {}

  /** A map of provenance facts, in a stable order. */
  public static Map<String, Object> collect() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("deepclust_version", version());
    m.put("git_commit", gitCommit());
    m.put("java_version", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    m.put("djl_version", "0.35.1");
    m.put("pytorch_version", "2.7.1");
    return m;
  }

  private static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The commit of the working directory's checkout, or "unknown" outside one. */
  static String gitCommit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
              .redirectErrorStream(true)
              .start();
      String out;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        out = r.readLine();
      }
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out != null) {
        return out.trim();
      }
    } catch (java.io.IOException e) {
      // no git, or not a checkout: provenance degrades, the run goes on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "unknown";
  }
}
