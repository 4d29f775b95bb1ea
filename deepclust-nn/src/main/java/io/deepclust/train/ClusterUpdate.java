package io.deepclust.train;

import java.util.Map;
import java.util.Objects;

/**
 * One update of a clustering phase's assignments, published through {@link PhaseContext#publish}.
 *
 * @param phase the phase's name
 * @param epoch the epoch within the phase (from 1; 0 for the assignment before training starts)
 * @param step optimizer steps taken in the whole run when the update was made
 * @param labels the hard label of each image of the phase's data ({@link PhaseContext#data()}),
 *     values in {@code [0, k)}
 * @param k the number of clusters
 * @param changedFraction the fraction of labels that changed since the previous update, NaN for the
 *     first
 * @param values further named values of the update (e.g. "loss"), in order
 */
public record ClusterUpdate(
    String phase,
    int epoch,
    long step,
    int[] labels,
    int k,
    double changedFraction,
    Map<String, Double> values) {
  public ClusterUpdate {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(labels, "labels");
    values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(values);
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
  }

  /** Images in each cluster, length k. */
  public int[] clusterSizes() {
    int[] sizes = new int[k];
    for (int l : labels) {
      sizes[l]++;
    }
    return sizes;
  }

  /** Clusters that hold at least one image. */
  public int clustersInUse() {
    int used = 0;
    for (int s : clusterSizes()) {
      if (s > 0) {
        used++;
      }
    }
    return used;
  }

  /** The largest cluster's share of the images, in [0, 1]. */
  public double largestShare() {
    int max = 0;
    for (int s : clusterSizes()) {
      max = Math.max(max, s);
    }
    return labels.length == 0 ? 0 : (double) max / labels.length;
  }
}
