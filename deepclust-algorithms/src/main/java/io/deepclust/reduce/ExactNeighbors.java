package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;
import java.util.Objects;

/**
 * Exact k nearest neighbours by blocked brute force. For a block of queries Q and a block of
 * references R, {@code |q - r|^2 = |q|^2 + |r|^2 - 2 q.r}; the products {@code Q R^T} come from a
 * {@link MatrixProducts} ({@link BlockedMatrixProducts} in Java, or libtorch's matmul through
 * {@code io.deepclust.engine.TorchMatrixProducts}, so wide inputs can run on a GPU). Candidates are
 * ranked by {@code |r|^2 - 2 q.r} and the distances of the k kept are then recomputed directly, so
 * the reported distances carry no cancellation error. O(n m d) time, O(block^2 + n k) memory.
 */
public final class ExactNeighbors implements NearestNeighbors {
  private static final int BLOCK = 2048;

  private final MatrixProducts products;
  private final int threads;

  /**
   * @param products the {@code Q R^T} products (used from one thread at a time)
   * @param threads threads for the candidate selection, at least 1
   */
  public ExactNeighbors(MatrixProducts products, int threads) {
    this.products = Objects.requireNonNull(products, "products");
    if (threads < 1) {
      throw new IllegalArgumentException("ExactNeighbors threads = " + threads + "; use >= 1");
    }
    this.threads = threads;
  }

  @Override
  public KnnGraph neighbours(FloatMatrix x, int k) {
    NearestNeighbors.checkK(x.rows(), k);
    return search(x, x, k, true);
  }

  /**
   * The {@code k} nearest rows of {@code reference} for each row of {@code queries} (new points: no
   * row is excluded).
   *
   * @param reference {@code n x d}
   * @param queries {@code m x d}
   * @param k {@code 1 <= k <= n}
   * @return an {@code m x k} graph into {@code reference}
   */
  public KnnGraph query(FloatMatrix reference, FloatMatrix queries, int k) {
    if (queries.cols() != reference.cols()) {
      throw new IllegalArgumentException(
          "queries have " + queries.cols() + " columns but the reference has " + reference.cols());
    }
    if (k < 1 || k > reference.rows()) {
      throw new IllegalArgumentException(
          "k = " + k + " neighbours impossible among " + reference.rows() + " reference points");
    }
    return search(reference, queries, k, false);
  }

  private KnnGraph search(FloatMatrix ref, FloatMatrix q, int k, boolean self) {
    int n = ref.rows();
    int m = q.rows();
    int d = ref.cols();
    float[] refNorms = squaredNorms(ref);
    NeighborHeaps heaps = new NeighborHeaps(m, k);
    try (WorkerPool pool = new WorkerPool(threads, "knn-exact")) {
      for (int q0 = 0; q0 < m; q0 += BLOCK) {
        int q1 = Math.min(m, q0 + BLOCK);
        FloatMatrix qBlock =
            new FloatMatrix(q1 - q0, d, Arrays.copyOfRange(q.data(), q0 * d, q1 * d));
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
          int r1 = Math.min(n, r0 + BLOCK);
          int width = r1 - r0;
          FloatMatrix refT = transposedRows(ref, r0, r1);
          float[] dots = products.centredTimes(qBlock, null, refT).data();
          int qs = q0;
          int rs = r0;
          pool.forRange(
              q1 - q0,
              64,
              (from, to) -> {
                for (int a = from; a < to; a++) {
                  int i = qs + a;
                  int row = a * width;
                  for (int c = 0; c < width; c++) {
                    int j = rs + c;
                    if (self && j == i) {
                      continue;
                    }
                    // |q|^2 is the same for every candidate of q: rank by |r|^2 - 2 q.r
                    float score = refNorms[j] - 2f * dots[row + c];
                    heaps.push(i, score, j, false);
                  }
                }
              });
        }
      }
    }
    // exact squared distances of the kept neighbours, re-sorted
    NeighborHeaps exact = new NeighborHeaps(m, k);
    for (int i = 0; i < m; i++) {
      for (int s = 0; s < k; s++) {
        int j = heaps.indices[i * k + s];
        exact.push(
            i, NeighborHeaps.squaredDistance(q.data(), i * d, ref.data(), j * d, d), j, false);
      }
    }
    return exact.toGraph();
  }

  private static float[] squaredNorms(FloatMatrix x) {
    int d = x.cols();
    float[] norms = new float[x.rows()];
    float[] data = x.data();
    for (int i = 0; i < norms.length; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        float v = data[i * d + j];
        s += v * v;
      }
      norms[i] = (float) s;
    }
    return norms;
  }

  /** Rows {@code r0..r1-1} of {@code x}, transposed: {@code d x (r1 - r0)}. */
  private static FloatMatrix transposedRows(FloatMatrix x, int r0, int r1) {
    int d = x.cols();
    int w = r1 - r0;
    float[] t = new float[d * w];
    float[] data = x.data();
    for (int r = r0; r < r1; r++) {
      for (int j = 0; j < d; j++) {
        t[j * w + (r - r0)] = data[r * d + j];
      }
    }
    return new FloatMatrix(d, w, t);
  }
}
