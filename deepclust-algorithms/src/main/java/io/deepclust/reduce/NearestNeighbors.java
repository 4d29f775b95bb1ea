package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/**
 * k nearest neighbours (Euclidean) of every row of a matrix among its other rows: the first step of
 * UMAP. Two implementations behind this one interface: {@link ExactNeighbors} (blocked brute force
 * on {@link MatrixProducts}, O(n^2 d)) and {@link NnDescent} (approximate, Dong et al. 2011, about
 * O(n k^2 d) per iteration). Both return the same result for the same input and settings whatever
 * their thread count.
 */
public interface NearestNeighbors {

  /**
   * The {@code k} nearest other rows of each row of {@code x}.
   *
   * @param x {@code n x d} points, not modified
   * @param k neighbours per point, {@code 1 <= k < n}
   * @return an {@code n x k} graph, nearest first, without the point itself
   * @throws IllegalArgumentException if {@code k} is out of range
   */
  KnnGraph neighbours(FloatMatrix x, int k);

  /** Above this many multiply-adds ({@code n^2 d}) {@link #auto} chooses NN-descent. */
  long EXACT_MAX_WORK = 5_000_000_000L;

  /**
   * Exact search while {@code n^2 d <= 5e9} (10,000 x 50 points, ~2 s on 2 cores), NN-descent above
   * (large n or wide inputs), the split umap-learn makes at 4,096 points.
   *
   * @param seed NN-descent's seed
   * @param threads worker threads, at least 1 (results do not depend on it)
   */
  static NearestNeighbors auto(long seed, int threads) {
    NearestNeighbors exact = new ExactNeighbors(new BlockedMatrixProducts(threads), threads);
    NearestNeighbors approximate = new NnDescent(NnDescent.Config.defaults(seed, threads));
    return (x, k) ->
        (long) x.rows() * x.rows() * Math.max(1, x.cols()) <= EXACT_MAX_WORK
            ? exact.neighbours(x, k)
            : approximate.neighbours(x, k);
  }

  /** Checks {@code 1 <= k < n}; for implementations. */
  static void checkK(int n, int k) {
    if (k < 1 || k >= n) {
      throw new IllegalArgumentException(
          "k = " + k + " nearest neighbours impossible among " + n + " points; use 1.." + (n - 1));
    }
  }
}
