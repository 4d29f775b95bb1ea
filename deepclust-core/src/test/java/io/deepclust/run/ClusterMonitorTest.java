package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deepclust.train.ClusterUpdate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code event} column of {@code cluster_updates.csv}. */
class ClusterMonitorTest {

  private static ClusterUpdate update(double changed, Map<String, Double> values) {
    return new ClusterUpdate("dec", 1, 10, new int[] {0, 1, 1}, 2, changed, values);
  }

  @Test
  void eventNamesEachKindOfRow() {
    assertEquals("start", ClusterMonitor.event(update(Double.NaN, Map.of("iteration", 0.0))));
    assertEquals("update", ClusterMonitor.event(update(0.01, Map.of("iteration", 1.0))));
    assertEquals("end", ClusterMonitor.event(update(0.002, Map.of("end", 1.0))));
    assertEquals(
        "restore", ClusterMonitor.event(update(0.0, Map.of("restored_best", 3.0, "end", 1.0))));
  }

  @Test
  void headerEndsWithTheEventColumn() {
    assertEquals(
        "event", ClusterMonitor.HEADER.substring(ClusterMonitor.HEADER.lastIndexOf(',') + 1));
  }
}
