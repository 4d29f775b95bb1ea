package io.deepclust.metrics;

/**
 * Confusion matrices of a clustering against the truth.
 *
 * <p>{@code raw} is the contingency table: {@code raw[r][c]} = samples of class {@code classIds[r]}
 * in cluster {@code clusterIds[c]}. {@code matched} has the same rows and {@code max(nClasses,
 * nClusters)} columns: column r (r &lt; nClasses) holds the cluster the Hungarian matching gave
 * class r (all zeros if none, when there are fewer clusters than classes), the remaining columns
 * hold the unmatched clusters in ascending id order. So the diagonal counts the correctly clustered
 * samples and {@code trace(matched) / n} is the ACC. {@code matchedColumnCluster[col]} is the index
 * into {@code clusterIds} of the cluster in that column, or -1 for an empty placeholder column.
 *
 * <p>Arrays are shared, not copied; treat them as read-only.
 */
public record ConfusionMatrix(
    int[] classIds, int[] clusterIds, int[][] raw, int[][] matched, int[] matchedColumnCluster) {

  /** Sum of the diagonal of {@link #matched()}: samples on a matched class/cluster pair. */
  public long matchedCorrect() {
    long sum = 0;
    for (int r = 0; r < matched.length; r++) {
      sum += matched[r][r];
    }
    return sum;
  }
}
