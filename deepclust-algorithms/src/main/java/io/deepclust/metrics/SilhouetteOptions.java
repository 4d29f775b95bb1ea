package io.deepclust.metrics;

/**
 * How to compute the silhouette.
 *
 * @param sampleSize 0 = all points; otherwise the silhouette of a random subset of this many points
 *     drawn without replacement (sklearn's {@code sample_size}; values &gt;= n use all points).
 *     Must be &gt;= 0.
 * @param seed seed of the subset draw (stream "silhouette-sample" of {@link
 *     io.deepclust.util.Seeds}); unused when {@code sampleSize} is 0
 * @param threads worker threads; 0 = all available processors. Must be &gt;= 0.
 * @param kernel squared-distance kernel; {@code null} = {@link
 *     PairwiseDistanceKernel#javaDefault()}
 */
public record SilhouetteOptions(
    int sampleSize, long seed, int threads, PairwiseDistanceKernel kernel) {

  public SilhouetteOptions {
    if (sampleSize < 0) {
      throw new IllegalArgumentException(
          "SilhouetteOptions.sampleSize is "
              + sampleSize
              + "; use 0 for all points or a positive subset size");
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "SilhouetteOptions.threads is " + threads + "; use 0 for all processors or a count >= 1");
    }
    if (kernel == null) {
      kernel = PairwiseDistanceKernel.javaDefault();
    }
  }

  /** All points, all processors, the pure-Java kernel. */
  public static SilhouetteOptions defaults() {
    return new SilhouetteOptions(0, 0L, 0, null);
  }

  /** A copy drawing a seeded random subset of {@code size} points. */
  public SilhouetteOptions withSample(int size, long sampleSeed) {
    return new SilhouetteOptions(size, sampleSeed, threads, kernel);
  }

  /** A copy using {@code count} threads (0 = all processors). */
  public SilhouetteOptions withThreads(int count) {
    return new SilhouetteOptions(sampleSize, seed, count, kernel);
  }

  /** A copy using another distance kernel. */
  public SilhouetteOptions withKernel(PairwiseDistanceKernel distanceKernel) {
    return new SilhouetteOptions(sampleSize, seed, threads, distanceKernel);
  }

  /** The effective thread count. */
  int effectiveThreads() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }
}
