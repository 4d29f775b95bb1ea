package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.io.PrintStream;
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

  public RunLog(PrintStream console, Path file) {
    this.console = console;
    this.file = file;
  }

  /** Logs one line, prefixed with the wall-clock time. */
  public synchronized void info(String line) {
    String stamped = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(TIME) + " " + line;
    if (console != null) {
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
