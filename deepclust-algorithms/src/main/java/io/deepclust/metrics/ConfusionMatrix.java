package io.deepclust.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

  /**
   * One off-diagonal cell of {@link #matched()}: images of one class that landed in the cluster the
   * matching gave another class.
   *
   * @param trueClass the images' class id (from {@link #classIds()})
   * @param predictedClass the class id the matching gave their cluster
   * @param count images of {@code trueClass} in that cluster, at least 1
   * @param share {@code count} over the images of {@code trueClass}, in (0, 1]
   */
  public record ConfusedPair(int trueClass, int predictedClass, int count, double share) {}

  /**
   * The most confused pairs of classes after the Hungarian matching: the off-diagonal cells of
   * {@link #matched()} among the matched columns (a cluster the matching gave no class names no
   * class, so it is no pair), largest count first; ties by true class id, then predicted class id.
   *
   * @param limit pairs returned at most (0 or more)
   * @return up to {@code limit} pairs with a count of at least 1
   * @throws IllegalArgumentException when {@code limit} is negative
   */
  public List<ConfusedPair> confusedPairs(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 or more, got " + limit);
    }
    List<ConfusedPair> out = new ArrayList<>();
    int classes = classIds.length;
    for (int r = 0; r < classes; r++) {
      long size = 0;
      for (int c : raw[r]) {
        size += c;
      }
      for (int col = 0; col < classes && col < matched[r].length; col++) {
        int n = matched[r][col];
        if (col != r && n > 0 && matchedColumnCluster[col] >= 0) {
          out.add(new ConfusedPair(classIds[r], classIds[col], n, (double) n / size));
        }
      }
    }
    out.sort(
        Comparator.comparingInt(ConfusedPair::count)
            .reversed()
            .thenComparingInt(ConfusedPair::trueClass)
            .thenComparingInt(ConfusedPair::predictedClass));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }
}
