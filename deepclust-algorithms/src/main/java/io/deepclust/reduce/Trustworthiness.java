package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.WorkerPool;

/**
 * Trustworthiness of an embedding (Venna and Kaski 2001), scikit-learn's {@code
 * sklearn.manifold.trustworthiness} with the Euclidean metric:
 *
 * <pre>
 * T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_i(k)} max(0, r(i, j) - k)
 * </pre>
 *
 * where {@code U_i(k)} are the k nearest neighbours of point i in the embedding and {@code r(i, j)}
 * is the rank of j among i's neighbours in the input space (1 = nearest). 1 means every embedded
 * neighbourhood is a true neighbourhood; values lie in [0, 1]. Exact, O(n^2 (d + k)) time and O(n)
 * memory per thread: about a second per 10,000 x 50 points. Ties in distance rank the smaller index
 * first.
 */
public final class Trustworthiness {
  private Trustworthiness() {}

  /**
   * @param x {@code n x d} input points
   * @param embedded {@code n x p} their embedding
   * @param k neighbourhood size, {@code 1 <= k < n / 2} (scikit-learn's condition)
   * @param threads worker threads, at least 1; the result does not depend on it
   * @return T(k) in [0, 1]
   * @throws IllegalArgumentException if the row counts differ or k is out of range
   */
  public static double of(FloatMatrix x, FloatMatrix embedded, int k, int threads) {
    int n = x.rows();
    if (embedded.rows() != n) {
      throw new IllegalArgumentException(
          "trustworthiness: input has " + n + " rows but the embedding " + embedded.rows());
    }
    if (k < 1 || k >= n / 2.0) {
      throw new IllegalArgumentException(
          "trustworthiness: n_neighbors " + k + " must be in 1 .. " + ((n - 1) / 2) + " (< n / 2)");
    }
    double[] perPoint = new double[n];
    int d = x.cols();
    int p = embedded.cols();
    float[] xd = x.data();
    float[] yd = embedded.data();
    try (WorkerPool pool = new WorkerPool(threads, "trustworthiness")) {
      pool.forRange(
          n,
          64,
          (from, to) -> {
            float[] inDist = new float[n];
            for (int i = from; i < to; i++) {
              NeighborHeaps h = new NeighborHeaps(1, k);
              for (int j = 0; j < n; j++) {
                if (j != i) {
                  h.push(0, NeighborHeaps.squaredDistance(yd, i * p, yd, j * p, p), j, false);
                }
                inDist[j] = NeighborHeaps.squaredDistance(xd, i * d, xd, j * d, d);
              }
              long penalty = 0;
              for (int s = 0; s < k; s++) {
                int j = h.indices[s];
                float dj = inDist[j];
                int rank = 1;
                for (int l = 0; l < n; l++) {
                  if (l != i && (inDist[l] < dj || (inDist[l] == dj && l < j))) {
                    rank++;
                  }
                }
                penalty += Math.max(0, rank - k);
              }
              perPoint[i] = penalty;
            }
          });
    }
    double t = 0;
    for (double v : perPoint) {
      t += v;
    }
    return 1.0 - t * (2.0 / ((double) n * k * (2.0 * n - 3.0 * k - 1.0)));
  }
}
