package io.deepclust.reduce;

/**
 * The {@code k} nearest neighbours of each of {@code rows} query points, nearest first.
 *
 * @param rows number of query points
 * @param k neighbours per point
 * @param indices {@code rows x k} row-major indices into the reference points; for a graph of a set
 *     with itself the point itself is not among its neighbours
 * @param distances {@code rows x k} Euclidean (not squared) distances matching {@code indices},
 *     ascending per row
 */
public record KnnGraph(int rows, int k, int[] indices, float[] distances) {

  /** Checks the array sizes. */
  public KnnGraph {
    if (rows < 0
        || k < 1
        || indices.length != (long) rows * k
        || distances.length != indices.length) {
      throw new IllegalArgumentException(
          "KnnGraph of "
              + rows
              + " x "
              + k
              + " needs that many indices and distances, got "
              + indices.length
              + " and "
              + distances.length);
    }
  }

  /** Index of the {@code j}-th nearest neighbour of point {@code i}. */
  public int index(int i, int j) {
    return indices[i * k + j];
  }

  /** Distance to the {@code j}-th nearest neighbour of point {@code i}. */
  public float distance(int i, int j) {
    return distances[i * k + j];
  }

  /**
   * Recall of this graph against an exact one: the fraction of the exact neighbour sets found,
   * {@code sum_i |N_i ∩ exact_i| / (rows k)} (pynndescent's and ann-benchmarks' definition).
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public double recall(KnnGraph exact) {
    if (exact.rows != rows || exact.k != k) {
      throw new IllegalArgumentException(
          "recall needs graphs of equal shape: "
              + rows
              + "x"
              + k
              + " vs "
              + exact.rows
              + "x"
              + exact.k);
    }
    long hits = 0;
    for (int i = 0; i < rows; i++) {
      for (int a = 0; a < k; a++) {
        int target = exact.indices[i * k + a];
        for (int b = 0; b < k; b++) {
          if (indices[i * k + b] == target) {
            hits++;
            break;
          }
        }
      }
    }
    return hits / ((double) rows * k);
  }
}
