package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;

/** Groups the rows of an {@code n x d} matrix into clusters. */
public interface Clusterer {

  /**
   * Clusters the rows of {@code x}.
   *
   * @param x {@code n x d} samples, one per row; not modified
   * @return labels (length n, values in {@code [0, k)}), centres ({@code k x d}) and diagnostics
   * @throws IllegalArgumentException if {@code x} cannot be clustered (too few rows, non-finite
   *     values, ...); the message says what to change
   */
  ClusterResult fit(FloatMatrix x);
}
