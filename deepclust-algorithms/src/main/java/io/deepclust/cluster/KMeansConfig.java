package io.deepclust.cluster;

/**
 * Settings for {@link KMeans}, mirroring scikit-learn's {@code KMeans(n_clusters, n_init, max_iter,
 * tol, random_state)} with k-means++ initialisation and Lloyd iterations.
 *
 * @param k number of clusters, at least 1 (and at most the number of samples, checked by fit)
 * @param nInit number of k-means++ restarts; the one with the lowest inertia wins
 * @param maxIter maximum Lloyd iterations per restart
 * @param tol relative tolerance: a restart stops once the squared Frobenius norm of the centre
 *     shift is at most {@code tol * mean(var(X, axis=0))}; 0 means only stop when labels stop
 *     changing (or at maxIter)
 * @param seed seed of all randomness; restart r draws from {@code Seeds.stream(seed,
 *     "kmeans/restart/" + r)}, so results do not depend on {@code threads}
 * @param threads worker threads across restarts, at least 1
 */
public record KMeansConfig(int k, int nInit, int maxIter, double tol, long seed, int threads) {

  /** Validates every field; messages name the field, the bad value and the allowed range. */
  public KMeansConfig {
    if (k < 1) {
      throw new IllegalArgumentException("k-means k = " + k + " is invalid; use k >= 1");
    }
    if (nInit < 1) {
      throw new IllegalArgumentException("k-means nInit = " + nInit + " is invalid; use >= 1");
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException("k-means maxIter = " + maxIter + " is invalid; use >= 1");
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      throw new IllegalArgumentException(
          "k-means tol = " + tol + " is invalid; use a finite value >= 0 (default 1e-4)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("k-means threads = " + threads + " is invalid; use >= 1");
    }
  }

  /**
   * k = 10, nInit = 10, maxIter = 300, tol = 1e-4 (scikit-learn's defaults), seed 0, one thread per
   * available processor.
   */
  public static KMeansConfig defaults() {
    return new KMeansConfig(10, 10, 300, 1e-4, 0L, Runtime.getRuntime().availableProcessors());
  }

  /** This configuration with {@code k} clusters. */
  public KMeansConfig withK(int newK) {
    return new KMeansConfig(newK, nInit, maxIter, tol, seed, threads);
  }

  /** This configuration with {@code nInit} restarts. */
  public KMeansConfig withNInit(int newNInit) {
    return new KMeansConfig(k, newNInit, maxIter, tol, seed, threads);
  }

  /** This configuration with at most {@code maxIter} Lloyd iterations per restart. */
  public KMeansConfig withMaxIter(int newMaxIter) {
    return new KMeansConfig(k, nInit, newMaxIter, tol, seed, threads);
  }

  /** This configuration with relative tolerance {@code tol}. */
  public KMeansConfig withTol(double newTol) {
    return new KMeansConfig(k, nInit, maxIter, newTol, seed, threads);
  }

  /** This configuration with seed {@code seed}. */
  public KMeansConfig withSeed(long newSeed) {
    return new KMeansConfig(k, nInit, maxIter, tol, newSeed, threads);
  }

  /** This configuration with {@code threads} worker threads. */
  public KMeansConfig withThreads(int newThreads) {
    return new KMeansConfig(k, nInit, maxIter, tol, seed, newThreads);
  }
}
