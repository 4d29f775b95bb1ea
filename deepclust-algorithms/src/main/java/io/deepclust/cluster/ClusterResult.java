package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;
import java.util.Optional;

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
   * Number of distinct labels in {@link #labels()}, at most {@link #k()}. Fewer than k when some
   * clusters ended empty: the data hold fewer distinct points than k (duplicate points, collapsed
   * embeddings), or centres fitted earlier are nearest to none of the points; scikit-learn's {@code
   * KMeans.fit} then warns with a {@code ConvergenceWarning} and still returns k centres, and so
   * does this class.
   */
  public int distinctClusters() {
    boolean[] seen = new boolean[k()];
    int distinct = 0;
    for (int label : labels) {
      if (!seen[label]) {
        seen[label] = true;
        distinct++;
      }
    }
    return distinct;
  }

  /**
   * The warning for a result with fewer distinct clusters than k (as scikit-learn's {@code
   * ConvergenceWarning}), or empty when every cluster holds a sample.
   */
  public Optional<String> fewerClustersWarning() {
    int distinct = distinctClusters();
    if (distinct >= k() || labels.length == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "found "
            + distinct
            + " distinct cluster"
            + (distinct == 1 ? "" : "s")
            + ", fewer than k = "
            + k()
            + ": either the data hold fewer distinct points than k (duplicate points, or"
            + " embeddings that collapsed), or centres fitted before these points (a trained"
            + " clustering head, a phase's centres, a bundle's clusterer) are nearest to none of"
            + " them (e.g. the embedding moved away from a head trained too briefly); "
            + (k() - distinct)
            + " cluster"
            + (k() - distinct == 1 ? " is" : "s are")
            + " empty, and metrics are computed on the "
            + distinct
            + " used");
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
