package io.deepclust.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall-clock seconds per stage of a run, in the order the stages ran. */
public final class Timings {
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** Runs {@code work}, adding its seconds to {@code stage}. */
  public <T> T time(String stage, Supplier<T> work) {
    long t = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(stage, (System.nanoTime() - t) / 1e9);
    }
  }

  /** Adds {@code s} seconds to {@code stage}. */
  public void add(String stage, double s) {
    seconds.merge(stage, s, Double::sum);
  }

  /** Seconds of {@code stage}, 0 when it has not run. */
  public double get(String stage) {
    return seconds.getOrDefault(stage, 0.0);
  }

  /** A read-only view, in stage order. */
  public Map<String, Double> asMap() {
    return Collections.unmodifiableMap(seconds);
  }
}
