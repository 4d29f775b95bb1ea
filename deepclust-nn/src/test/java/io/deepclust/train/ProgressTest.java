package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void modeFromEnvironmentAndConsole() {
    assertEquals(Progress.Mode.BAR, Progress.Mode.detect(Map.of(), true));
    assertEquals(Progress.Mode.PLAIN, Progress.Mode.detect(Map.of(), false));
    assertEquals(
        Progress.Mode.PLAIN, Progress.Mode.detect(Map.of("DEEPCLUST_PROGRESS", "plain"), true));
    assertEquals(
        Progress.Mode.OFF, Progress.Mode.detect(Map.of("DEEPCLUST_PROGRESS", "off"), true));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Progress.Mode.detect(Map.of("DEEPCLUST_PROGRESS", "fancy"), true));
    assertTrue(e.getMessage().contains("DEEPCLUST_PROGRESS"));
  }

  @Test
  void epochLineKeepsSignificantDigitsOfSmallLosses() {
    // DEC's KL loss is often below 1e-4: a fixed 5 decimals printed it as 0.00000
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    new ProgressListener(Progress.Mode.PLAIN, new PrintStream(buf, true, StandardCharsets.UTF_8))
        .onEpochEnd(
            null, new EpochResult(1, "dec", 2, 5, 1.23456e-5, Double.NaN, 1e-3, 1.5, 100, null));
    String line = buf.toString(StandardCharsets.UTF_8);
    assertTrue(line.contains("dec epoch 2/5: loss 1.2346e-05,"), line);
  }

  @Test
  void plainProgressPrintsFinalLineOnceWithEta() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Progress p = Progress.start("task", 3, Progress.Mode.PLAIN, out)) {
      p.update(1, "a");
      p.update(3, "done");
      p.update(3, "again");
    }
    assertEquals("task 3/3 done ETA 0:00:00\n", buf.toString(StandardCharsets.UTF_8));
    assertEquals("1:01:05", Progress.hms(3665));
  }

  @Test
  void barProgressRuns() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Progress p = Progress.start("bar", 10, Progress.Mode.BAR, out)) {
      for (int i = 1; i <= 10; i++) {
        p.update(i, "loss 0.1");
      }
    }
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("bar"));
  }
}
