package io.deepclust.report;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** What made a result: versions, machine and source revision, written beside every run. */
public final class Provenance {
  private static final String DJL_VERSION = "0.35.1";
  private static final String PYTORCH_VERSION = "2.7.1";

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
    m.put("djl_version", DJL_VERSION);
    m.put("pytorch_version", PYTORCH_VERSION);
    return m;
  }

  /**
   * One line naming this build, for {@code deepclust --version}: e.g. {@code deepclust
   * 0.1.0-SNAPSHOT (commit 795e022-dirty.1a2b3c4d), DJL 0.35.1, PyTorch 2.7.1, Java 17.0.12}; the
   * commit as {@link #collect()} gives it.
   */
  public static String versionLine() {
    return "deepclust "
        + version()
        + " (commit "
        + gitCommit()
        + "), DJL "
        + DJL_VERSION
        + ", PyTorch "
        + PYTORCH_VERSION
        + ", Java "
        + System.getProperty("java.version");
  }

  /** The jar's {@code Implementation-Version}; {@code dev} when run from classes (tests, IDE). */
  private static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * The commit deepclust was built from: the build's stamp ({@code build.properties}, written by
   * {@code git describe --always --dirty} when the jar was built; "-dirty.&lt;hash&gt;" marks
   * uncommitted changes, with the hash of their diff), so that a jar copied out of its checkout
   * still names its source. Without a stamp, git runs in the folder that holds this code (not in
   * the user's working directory, which may be another repository). "unknown" when neither knows.
   */
  static String gitCommit() {
    String stamped = stampedCommit();
    return stamped != null ? stamped : checkoutCommit();
  }

  /** The build's stamp, or null when there is none or it says "unknown". */
  static String stampedCommit() {
    try (InputStream in = Provenance.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("git_commit", "").strip();
      return v.isEmpty() || v.equals("unknown") ? null : v;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String checkoutCommit() {
    Path home = codeLocation();
    if (home == null) {
      return "unknown";
    }
    try {
      Process p =
          new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "--short=12", "HEAD")
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

  /** The folder holding this class's jar or classes, or null when it cannot be known. */
  private static Path codeLocation() {
    try {
      CodeSource source = Provenance.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isDirectory(p) ? p : p.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
