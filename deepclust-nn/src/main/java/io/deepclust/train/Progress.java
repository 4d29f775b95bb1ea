package io.deepclust.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress display for one task of known length: a live bar on a terminal, plain lines in logs.
 *
 * <p>{@link Mode#detect()} picks the bar only when the process has a console; environment variable
 * {@code DEEPCLUST_PROGRESS} = {@code plain}, {@code bar} or {@code off} overrides it.
 */
public interface Progress extends AutoCloseable {
  /** Reports {@code done} of the total units, with a short status message. */
  void update(long done, String message);

  /** Ends the display (the bar's last state stays on screen). */
  @Override
  void close();

  /** How progress is shown. */
  enum Mode {
    /** me.tongfei progressbar, redrawn in place (needs a terminal). */
    BAR,
    /** A plain line every {@link PlainProgress#DEFAULT_INTERVAL_MILLIS} ms and at the end. */
    PLAIN,
    /** Nothing. */
    OFF;

    /** From {@code DEEPCLUST_PROGRESS}, else BAR on a console and PLAIN otherwise. */
    public static Mode detect() {
      return detect(System.getenv(), System.console() != null);
    }

    static Mode detect(Map<String, String> env, boolean console) {
      String v = env.get("DEEPCLUST_PROGRESS");
      if (v != null && !v.isBlank()) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
          case "plain" -> PLAIN;
          case "bar" -> BAR;
          case "off", "none" -> OFF;
          default ->
              throw new IllegalArgumentException(
                  "environment variable DEEPCLUST_PROGRESS='"
                      + v
                      + "' is not understood; use plain, bar or off");
        };
      }
      return console ? BAR : PLAIN;
    }
  }

  /** A display in the detected mode, writing to standard error. */
  static Progress start(String task, long total) {
    return start(task, total, Mode.detect(), System.err);
  }

  /** A display in {@code mode}, writing to {@code out}. */
  static Progress start(String task, long total, Mode mode, PrintStream out) {
    return switch (mode) {
      case BAR -> new BarProgress(task, total, out);
      case PLAIN -> new PlainProgress(task, total, out, PlainProgress.DEFAULT_INTERVAL_MILLIS);
      case OFF ->
          new Progress() {
            @Override
            public void update(long done, String message) {}

            @Override
            public void close() {}
          };
    };
  }

  /** Formats seconds as h:mm:ss. */
  static String hms(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  /** Plain lines: "task 120/274 message ETA 0:01:10", rate-limited. */
  final class PlainProgress implements Progress {
    /** Minimum time between two lines. */
    public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long lastPrintNanos = startNanos;
    private long lastDone = -1;
    private boolean printedFinal;

    PlainProgress(String task, long total, PrintStream out, long intervalMillis) {
      this.task = task;
      this.total = total;
      this.out = out;
      this.intervalNanos = intervalMillis * 1_000_000L;
    }

    @Override
    public void update(long done, String message) {
      long now = System.nanoTime();
      boolean finished = done >= total;
      if (finished ? printedFinal : now - lastPrintNanos < intervalNanos) {
        return;
      }
      double elapsed = (now - startNanos) / 1e9;
      double eta = done > 0 ? elapsed / done * (total - done) : Double.NaN;
      out.println(task + " " + done + "/" + total + " " + message + " ETA " + hms(eta));
      lastPrintNanos = now;
      lastDone = done;
      printedFinal = finished;
    }

    @Override
    public void close() {
      out.flush();
    }

    long lastDone() {
      return lastDone;
    }
  }

  /** The me.tongfei bar. */
  final class BarProgress implements Progress {
    private final ProgressBar bar;

    BarProgress(String task, long total, PrintStream out) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .setUpdateIntervalMillis(250)
              .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
              .build();
    }

    @Override
    public void update(long done, String message) {
      bar.stepTo(done);
      bar.setExtraMessage(message);
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
