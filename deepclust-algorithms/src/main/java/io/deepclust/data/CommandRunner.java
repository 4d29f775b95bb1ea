package io.deepclust.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (npm, tar, apt-get, dpkg-deb). An interface so tests can stand in for
 * the real programs.
 */
@FunctionalInterface
public interface CommandRunner {

  /** Exit code and combined stdout/stderr of a finished command. */
  record Result(int exitCode, String output) {
    /** The last non-blank line of the output, for short error messages. */
    public String lastLine() {
      String[] lines = output.strip().split("\\R");
      return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
  }

  /**
   * Runs {@code command} in {@code workDir}.
   *
   * @throws IOException if the program cannot be started (not installed) or exceeds {@code timeout}
   */
  Result run(List<String> command, Path workDir, Duration timeout) throws IOException;

  /** The real thing: {@link ProcessBuilder}, output captured through a file (no pipe deadlock). */
  static CommandRunner system() {
    return (command, workDir, timeout) -> {
      Path log = Files.createTempFile(workDir, ".cmd-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IOException(
            "cannot run '" + command.get(0) + "' (is it installed and on PATH?): " + e.getMessage(),
            e);
      }
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException(
              String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + String.join(" ", command), e);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      return new Result(p.exitValue(), out);
    };
  }
}
