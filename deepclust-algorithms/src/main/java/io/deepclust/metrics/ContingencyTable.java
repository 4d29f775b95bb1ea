package io.deepclust.metrics;

import java.util.Arrays;
import java.util.Map;

/**
 * Contingency table of two labelings, as sklearn's {@code contingency_matrix}: rows are the
 * distinct truth classes, columns the distinct predicted clusters, both in ascending id order;
 * entry (r, c) counts the samples of class r put in cluster c. Ids are arbitrary ints (negative and
 * non-contiguous ids allowed); only ids that occur get a row/column.
 *
 * <p>Stored sparsely (non-zero cells plus margins), so e.g. 70,000 singleton clusters cost O(n),
 * not O(classes x clusters). {@link #toDense()} builds the full matrix on demand.
 */
public final class ContingencyTable {
  private final int n;
  private final int[] classIds;
  private final int[] clusterIds;
  private final int[] classSizes;
  private final int[] clusterSizes;
  // Non-zero cells in (row, col) order.
  final int[] cellRow;
  final int[] cellCol;
  final int[] cellCount;

  private ContingencyTable(
      int n,
      int[] classIds,
      int[] clusterIds,
      int[] classSizes,
      int[] clusterSizes,
      int[] cellRow,
      int[] cellCol,
      int[] cellCount) {
    this.n = n;
    this.classIds = classIds;
    this.clusterIds = clusterIds;
    this.classSizes = classSizes;
    this.clusterSizes = clusterSizes;
    this.cellRow = cellRow;
    this.cellCol = cellCol;
    this.cellCount = cellCount;
  }

  /**
   * Builds the table of {@code truth} (classes, rows) against {@code pred} (clusters, columns).
   *
   * @throws IllegalArgumentException if the arrays differ in length
   */
  public static ContingencyTable of(int[] truth, int[] pred) {
    LabelCoding.requireSameLength(truth, pred);
    LabelCoding rows = LabelCoding.of(truth, "truth");
    LabelCoding cols = LabelCoding.of(pred, "pred");
    int n = truth.length;
    long nCols = cols.k();
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = rows.codes[i] * nCols + cols.codes[i];
    }
    Arrays.sort(keys);
    int cells = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        cells++;
      }
    }
    int[] cellRow = new int[cells];
    int[] cellCol = new int[cells];
    int[] cellCount = new int[cells];
    int e = -1;
    for (int i = 0; i < n; i++) {
      if (i == 0 || keys[i] != keys[i - 1]) {
        e++;
        cellRow[e] = (int) (keys[i] / nCols);
        cellCol[e] = (int) (keys[i] % nCols);
      }
      cellCount[e]++;
    }
    return new ContingencyTable(
        n, rows.ids, cols.ids, rows.sizes, cols.sizes, cellRow, cellCol, cellCount);
  }

  /**
   * Builds the table from its non-zero cells, e.g. counts aggregated by a distributed job ({@code
   * GROUP BY truth, pred}): the same table {@link #of} gives for the labelings the cells count, so
   * every metric computed from it is exactly the same. Cells may come in any order; a pair may
   * repeat (its counts are added).
   *
   * @param truth class id of each cell
   * @param pred cluster id of each cell
   * @param counts samples in each cell, at least 1
   * @throws IllegalArgumentException if the arrays differ in length, a count is below 1, or the
   *     total exceeds {@link Integer#MAX_VALUE} samples
   */
  public static ContingencyTable ofCells(int[] truth, int[] pred, long[] counts) {
    LabelCoding.requireSameLength(truth, pred);
    if (counts.length != truth.length) {
      throw new IllegalArgumentException(
          "counts has " + counts.length + " cells but truth has " + truth.length);
    }
    int[] classIds = Arrays.stream(truth).distinct().sorted().toArray();
    int[] clusterIds = Arrays.stream(pred).distinct().sorted().toArray();
    long nCols = clusterIds.length;
    java.util.TreeMap<Long, Long> cells = new java.util.TreeMap<>();
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 1) {
        throw new IllegalArgumentException(
            "cell (" + truth[i] + ", " + pred[i] + ") has count " + counts[i] + "; must be >= 1");
      }
      long key =
          Arrays.binarySearch(classIds, truth[i]) * nCols
              + Arrays.binarySearch(clusterIds, pred[i]);
      cells.merge(key, counts[i], Long::sum);
      total += counts[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          total + " samples exceed the table's limit of " + Integer.MAX_VALUE);
    }
    int[] classSizes = new int[classIds.length];
    int[] clusterSizes = new int[clusterIds.length];
    int[] cellRow = new int[cells.size()];
    int[] cellCol = new int[cells.size()];
    int[] cellCount = new int[cells.size()];
    int e = 0;
    for (Map.Entry<Long, Long> c : cells.entrySet()) {
      cellRow[e] = (int) (c.getKey() / nCols);
      cellCol[e] = (int) (c.getKey() % nCols);
      cellCount[e] = (int) (long) c.getValue();
      classSizes[cellRow[e]] += cellCount[e];
      clusterSizes[cellCol[e]] += cellCount[e];
      e++;
    }
    return new ContingencyTable(
        (int) total, classIds, clusterIds, classSizes, clusterSizes, cellRow, cellCol, cellCount);
  }

  /** Number of samples. */
  public int n() {
    return n;
  }

  public int nClasses() {
    return classIds.length;
  }

  public int nClusters() {
    return clusterIds.length;
  }

  /** Truth ids of the rows, ascending (a copy). */
  public int[] classIds() {
    return classIds.clone();
  }

  /** Predicted ids of the columns, ascending (a copy). */
  public int[] clusterIds() {
    return clusterIds.clone();
  }

  /** Row sums: samples per class (a copy). */
  public int[] classSizes() {
    return classSizes.clone();
  }

  /** Column sums: samples per cluster (a copy). */
  public int[] clusterSizes() {
    return clusterSizes.clone();
  }

  int[] classSizesView() {
    return classSizes;
  }

  int[] clusterSizesView() {
    return clusterSizes;
  }

  /** Number of non-zero cells. */
  public int nonZeroCells() {
    return cellCount.length;
  }

  /** Count in cell (row {@code classIndex}, column {@code clusterIndex}); indices, not ids. */
  public int count(int classIndex, int clusterIndex) {
    if (classIndex < 0
        || classIndex >= nClasses()
        || clusterIndex < 0
        || clusterIndex >= nClusters()) {
      throw new IndexOutOfBoundsException(
          "cell ("
              + classIndex
              + ", "
              + clusterIndex
              + ") outside "
              + nClasses()
              + "x"
              + nClusters());
    }
    long key = (long) classIndex * nClusters() + clusterIndex;
    int lo = 0;
    int hi = cellCount.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long k = (long) cellRow[mid] * nClusters() + cellCol[mid];
      if (k < key) {
        lo = mid + 1;
      } else if (k > key) {
        hi = mid - 1;
      } else {
        return cellCount[mid];
      }
    }
    return 0;
  }

  /**
   * The dense {@code nClasses x nClusters} matrix.
   *
   * @throws IllegalStateException if it would exceed 2^28 cells
   */
  public int[][] toDense() {
    long size = (long) nClasses() * nClusters();
    if (size > (1L << 28)) {
      throw new IllegalStateException(
          "dense contingency table would have "
              + size
              + " cells ("
              + nClasses()
              + " classes x "
              + nClusters()
              + " clusters); use the sparse accessors instead");
    }
    int[][] dense = new int[nClasses()][nClusters()];
    for (int e = 0; e < cellCount.length; e++) {
      dense[cellRow[e]][cellCol[e]] = cellCount[e];
    }
    return dense;
  }

  @Override
  public String toString() {
    return "ContingencyTable[n="
        + n
        + ", classes="
        + nClasses()
        + ", clusters="
        + nClusters()
        + ", nonZero="
        + nonZeroCells()
        + "]";
  }
}
