package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A run's log: each line goes to the console and into {@code run.log}. The file is rewritten
 * atomically after every line (logs are small), so it is never half-written.
 */
public final class RunLog {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintStream console;
  private final Path file;
  private final StringBuilder text = new StringBuilder();
  private final Instant start = Instant.now();

  /** A new log; {@code file} (may be null) is started afresh. */
  public RunLog(PrintStream console, Path file) {
    this(console, file, false);
  }

  /**
   * @param console where lines are echoed, or null
   * @param file {@code run.log}, or null
   * @param append keep the lines already in {@code file} (a resumed run continues its log)
   * @throws java.io.UncheckedIOException when an existing log cannot be read (with the OS's reason)
   */
  public RunLog(PrintStream console, Path file, boolean append) {
    this.console = console;
    this.file = file;
    if (append && file != null && Files.isRegularFile(file)) {
      try {
        text.append(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Logs one line, prefixed with the wall-clock time. */
  public void info(String line) {
    write(line, true);
  }

  /**
   * Adds one line to {@code run.log} only, for what the console already showed (e.g. the training
   * progress' notices and warnings).
   */
  public void fileOnly(String line) {
    write(line, false);
  }

  private synchronized void write(String line, boolean echo) {
    String stamped = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME) + " " + line;
    if (echo && console != null) {
      console.println(stamped);
    }
    text.append(stamped).append('\n');
    if (file != null) {
      AtomicFiles.writeString(file, text.toString());
    }
  }

  /** Seconds since the log was opened. */
  public double elapsedSeconds() {
    return Duration.between(start, Instant.now()).toMillis() / 1000.0;
  }
}
