package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * The outcome of {@link Clusterer#fit}.
 *
 * @param labels cluster index of each sample, length n, values in {@code [0, k)}
 * @param centers {@code k x d} cluster centres (for k-means: the mean of each cluster's samples)
 * @param inertia sum over samples of the squared Euclidean distance to the assigned centre
 * @param iterations iterations run by the winning restart (Lloyd steps for k-means)
 * @param bestRun index of the winning restart, in {@code [0, nInit)}
 */
public record ClusterResult(
    int[] labels, FloatMatrix centers, double inertia, int iterations, int bestRun) {

  /** Validates shapes: every label must name a row of {@code centers}. */
  public ClusterResult {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(centers, "centers");
    int k = centers.rows();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= k) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + " is outside [0, " + k + ") (k = centers.rows())");
      }
    }
  }

  /** Number of clusters, {@code centers().rows()}. */
  public int k() {
    return centers.rows();
  }

  /**
   * Labels new samples by their nearest centre (squared Euclidean distance, first centre on ties),
   * the k-means prediction rule.
   *
   * @param x {@code m x d} samples with the same d as {@link #centers()}
   * @return nearest-centre index per row, length m
   */
  public int[] predict(FloatMatrix x) {
    return KMeans.predict(centers, x);
  }
}
