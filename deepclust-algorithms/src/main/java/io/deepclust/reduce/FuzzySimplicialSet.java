package io.deepclust.reduce;

import java.util.Arrays;

/**
 * UMAP's high-dimensional graph (McInnes, Healy and Melville 2018, arXiv:1802.03426, section 3.1
 * and Algorithms 2-3), with umap-learn's documented defaults ({@code local_connectivity = 1},
 * {@code set_op_mix_ratio = 1}, bandwidth 1):
 *
 * <ol>
 *   <li>per point i with neighbour distances {@code d_i1 <= ... <= d_i(k-1)} (the point itself is
 *       the k-th member of its own neighbourhood, at distance 0): {@code rho_i} = the smallest
 *       positive distance (0 if there is none);
 *   <li>{@code sigma_i} by binary search so that {@code sum_j exp(-max(0, d_ij - rho_i) / sigma_i)
 *       = log2(k)} (64 steps at most, stop within 1e-5; bisection once bracketed, doubling before),
 *       then at least {@code 1e-3} times the mean distance of the row (of all rows when {@code
 *       rho_i = 0}), the reference's guard against tiny sigmas;
 *   <li>directed memberships {@code w_ij = exp(-max(0, d_ij - rho_i) / sigma_i)} (1 when {@code
 *       d_ij <= rho_i});
 *   <li>fuzzy union (probabilistic t-conorm) {@code W = A + A^T - A o A^T}.
 * </ol>
 */
final class FuzzySimplicialSet {
  static final int SEARCH_STEPS = 64;
  static final double SEARCH_TOLERANCE = 1e-5;
  static final double MIN_K_DIST_SCALE = 1e-3;

  private FuzzySimplicialSet() {}

  /** A symmetric sparse graph in compressed rows, columns ascending within a row. */
  record Graph(int n, int[] rowStart, int[] columns, float[] weights) {
    int nnz() {
      return columns.length;
    }

    float maxWeight() {
      float m = 0;
      for (float w : weights) {
        m = Math.max(m, w);
      }
      return m;
    }
  }

  /** Per-point {@code rho} and {@code sigma}. */
  record Smooth(double[] rho, double[] sigma) {}

  /**
   * rho and sigma of every row of {@code knn}.
   *
   * @param knn neighbours without the point itself
   * @param nNeighbors the neighbourhood size the target is {@code log2} of ({@code knn.k() + 1} in
   *     a fit, where the point counts as its own nearest neighbour)
   * @param localConnectivity 1 in a fit (rho = nearest positive distance), 0 for new points in
   *     transform (rho = 0: a new point is not its own neighbour)
   */
  static Smooth smoothKnn(KnnGraph knn, int nNeighbors, int localConnectivity) {
    int n = knn.rows();
    int k = knn.k();
    double target = Math.log(nNeighbors) / Math.log(2);
    double[] rho = new double[n];
    double[] sigma = new double[n];
    double meanAll = 0;
    for (float v : knn.distances()) {
      meanAll += v;
    }
    // the reference's mean runs over nNeighbors columns per row, the first (self) being 0
    int columns = localConnectivity > 0 ? k + 1 : k;
    meanAll /= (double) n * columns;
    for (int i = 0; i < n; i++) {
      int base = i * k;
      double r = 0;
      double rowSum = 0;
      for (int j = 0; j < k; j++) {
        double v = knn.distances()[base + j];
        rowSum += v;
        if (localConnectivity > 0 && r == 0 && v > 0) {
          r = v;
        }
      }
      double lo = 0;
      double hi = Double.POSITIVE_INFINITY;
      double mid = 1;
      for (int step = 0; step < SEARCH_STEPS; step++) {
        double psum = 0;
        for (int j = 0; j < k; j++) {
          double e = knn.distances()[base + j] - r;
          psum += e > 0 ? Math.exp(-e / mid) : 1.0;
        }
        if (Math.abs(psum - target) < SEARCH_TOLERANCE) {
          break;
        }
        if (psum > target) {
          hi = mid;
          mid = (lo + hi) / 2;
        } else {
          lo = mid;
          mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
        }
      }
      double meanRow = rowSum / columns;
      double floor = MIN_K_DIST_SCALE * (r > 0 ? meanRow : meanAll);
      rho[i] = r;
      sigma[i] = Math.max(mid, floor);
    }
    return new Smooth(rho, sigma);
  }

  /** Directed memberships {@code w_ij}, {@code n x k} as {@code knn}. */
  static float[] memberships(KnnGraph knn, Smooth s) {
    int k = knn.k();
    float[] w = new float[knn.indices().length];
    for (int i = 0; i < knn.rows(); i++) {
      for (int j = 0; j < k; j++) {
        double e = knn.distances()[i * k + j] - s.rho()[i];
        w[i * k + j] = e <= 0 || s.sigma()[i] == 0 ? 1f : (float) Math.exp(-e / s.sigma()[i]);
      }
    }
    return w;
  }

  /** The fuzzy simplicial set of a kNN graph (neighbours without self): steps 1-4 above. */
  static Graph build(KnnGraph knn) {
    Smooth s = smoothKnn(knn, knn.k() + 1, 1);
    return union(knn, memberships(knn, s));
  }

  /**
   * {@code A + A^T - A o A^T} for the directed graph {@code A} with {@code A[i, knn(i, j)] = w[i k
   * + j]}; zero weights are dropped.
   */
  static Graph union(KnnGraph knn, float[] w) {
    int n = knn.rows();
    int k = knn.k();
    // out-edges sorted by column per row (insertion sort: k is small; columns are distinct)
    int[] outCols = knn.indices().clone();
    float[] outW = w.clone();
    for (int i = 0; i < n; i++) {
      int base = i * k;
      for (int j = 1; j < k; j++) {
        int c = outCols[base + j];
        float v = outW[base + j];
        int p = j - 1;
        while (p >= 0 && outCols[base + p] > c) {
          outCols[base + p + 1] = outCols[base + p];
          outW[base + p + 1] = outW[base + p];
          p--;
        }
        outCols[base + p + 1] = c;
        outW[base + p + 1] = v;
      }
    }
    // in-edges (the transpose), sources ascending per row by construction
    int[] inStart = new int[n + 1];
    for (int c : outCols) {
      inStart[c + 1]++;
    }
    for (int i = 0; i < n; i++) {
      inStart[i + 1] += inStart[i];
    }
    int[] fill = Arrays.copyOf(inStart, n);
    int[] inSrc = new int[n * k];
    float[] inW = new float[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        int c = outCols[i * k + j];
        inSrc[fill[c]] = i;
        inW[fill[c]++] = outW[i * k + j];
      }
    }
    int[] rowStart = new int[n + 1];
    int[] cols = new int[2 * n * k];
    float[] vals = new float[2 * n * k];
    int nnz = 0;
    for (int i = 0; i < n; i++) {
      int a = i * k;
      int aEnd = a + k;
      int b = inStart[i];
      int bEnd = inStart[i + 1];
      while (a < aEnd || b < bEnd) {
        int ca = a < aEnd ? outCols[a] : Integer.MAX_VALUE;
        int cb = b < bEnd ? inSrc[b] : Integer.MAX_VALUE;
        int c = Math.min(ca, cb);
        double x = ca == c ? outW[a++] : 0;
        double y = cb == c ? inW[b++] : 0;
        float v = (float) (x + y - x * y);
        if (v > 0) {
          cols[nnz] = c;
          vals[nnz++] = v;
        }
      }
      rowStart[i + 1] = nnz;
    }
    return new Graph(n, rowStart, Arrays.copyOf(cols, nnz), Arrays.copyOf(vals, nnz));
  }
}
