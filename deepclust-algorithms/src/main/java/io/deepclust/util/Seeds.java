package io.deepclust.util;

import java.util.SplittableRandom;

/**
 * Derives independent, repeatable random streams from the one project seed, so that adding a new
 * consumer of randomness never shifts the numbers another consumer sees.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * A stream for {@code purpose} (e.g. "kmeans", "subset", "shuffle"), fixed by {@code seed}.
   * Different purposes give unrelated streams.
   */
  public static SplittableRandom stream(long seed, String purpose) {
    return new SplittableRandom(mix(seed, purpose));
  }

  /** A 64-bit seed derived from {@code seed} and {@code purpose}. */
  public static long mix(long seed, String purpose) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (int i = 0; i < purpose.length(); i++) {
      h = (h ^ purpose.charAt(i)) * 0x100000001B3L;
    }
    // SplitMix64 finaliser
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
