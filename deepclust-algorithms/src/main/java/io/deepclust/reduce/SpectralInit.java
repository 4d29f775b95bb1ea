package io.deepclust.reduce;

import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * UMAP's spectral initialisation (McInnes et al. 2018, section 3.2; Belkin and Niyogi 2003): the
 * eigenvectors of the symmetric normalised Laplacian {@code L = I - D^-1/2 W D^-1/2} of the fuzzy
 * graph for its 2nd to (dim+1)-th smallest eigenvalues (the smallest, 0, belongs to {@code D^1/2 1}
 * and is dropped), as umap-learn's {@code spectral_layout}.
 *
 * <p>Up to {@value #DENSE_MAX} points the dense eigenproblem is solved exactly (EJML). Above, by
 * Chebyshev-filtered subspace iteration (Zhou and Saad 2007): a block of {@code dim + 1 + 8}
 * vectors is filtered with a degree-{@value #DEGREE} Chebyshev polynomial that damps the spectrum
 * above the block's largest Ritz value, re-orthonormalised and Rayleigh-Ritz projected, until the
 * wanted residuals {@code |L v - theta v|} fall below {@value #TOLERANCE} or after {@value
 * #MAX_OUTER} rounds (an initialisation needs no more accuracy; umap-learn's eigsh uses tol 1e-4).
 * The normalised Laplacian's spectrum lies in [0, 2], which bounds the filter. The block is stored
 * in breadth-first order of the graph, so that its products read mostly cached rows ({@link
 * Operator}; 1.6 to 3 times faster on 70,000 MNIST embeddings, the same result bit for bit).
 *
 * <p>A disconnected graph has one zero eigenvalue per component, and the eigenvectors then only say
 * which component a point belongs to: {@link #layout} returns null and the caller falls back
 * (umap-learn lays each component out separately; {@link Umap} uses PCA of the input instead).
 * Every sum runs in a fixed order, so the result depends on the seed only, not on threads.
 */
final class SpectralInit {
  static final int DENSE_MAX = 400;
  static final int DEGREE = 16;
  static final int MAX_OUTER = 40;
  static final double TOLERANCE = 1e-4;
  private static final int EXTRA = 8;

  private SpectralInit() {}

  /** Number of connected components of the graph (union-find over its edges). */
  static int components(FuzzySimplicialSet.Graph g) {
    int[] parent = new int[g.n()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    int count = g.n();
    for (int i = 0; i < g.n(); i++) {
      for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
        int a = find(parent, i);
        int b = find(parent, g.columns()[p]);
        if (a != b) {
          parent[Math.max(a, b)] = Math.min(a, b);
          count--;
        }
      }
    }
    return count;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /**
   * The spectral layout, {@code n x dim} row-major, or null when the graph is disconnected or too
   * small ({@code n <= dim + 1}).
   */
  static double[] layout(FuzzySimplicialSet.Graph g, int dim, long seed, WorkerPool pool) {
    return layout(g, dim, seed, pool, g.n() <= DENSE_MAX);
  }

  static double[] layout(
      FuzzySimplicialSet.Graph g, int dim, long seed, WorkerPool pool, boolean dense) {
    int n = g.n();
    if (n <= dim + 1 || components(g) > 1) {
      return null;
    }
    double[] invSqrtDegree = invSqrtDegree(g);
    return dense
        ? denseLayout(g, dim, invSqrtDegree)
        : iterativeLayout(g, dim, invSqrtDegree, seed, pool);
  }

  /** {@code 1 / sqrt(d_i)} per point, {@code d_i} the sum of its row's weights. */
  static double[] invSqrtDegree(FuzzySimplicialSet.Graph g) {
    double[] inv = new double[g.n()];
    for (int i = 0; i < g.n(); i++) {
      double s = 0;
      for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
        s += g.weights()[p];
      }
      inv[i] = 1 / Math.sqrt(s);
    }
    return inv;
  }

  private static double[] denseLayout(FuzzySimplicialSet.Graph g, int dim, double[] invSqrt) {
    int n = g.n();
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      l[i * n + i] = 1;
      for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
        int j = g.columns()[p];
        l[i * n + j] -= invSqrt[i] * g.weights()[p] * invSqrt[j];
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, l))) {
      return null;
    }
    Integer[] order = ascending(eig, n);
    double[] out = new double[n * dim];
    for (int c = 0; c < dim; c++) {
      DMatrixRMaj v = eig.getEigenVector(order[c + 1]);
      for (int i = 0; i < n; i++) {
        out[i * dim + c] = v.get(i, 0);
      }
    }
    return out;
  }

  private static Integer[] ascending(EigenDecomposition_F64<DMatrixRMaj> eig, int m) {
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (p, q) ->
            Double.compare(eig.getEigenvalue(p).getReal(), eig.getEigenvalue(q).getReal()) != 0
                ? Double.compare(eig.getEigenvalue(p).getReal(), eig.getEigenvalue(q).getReal())
                : Integer.compare(p, q));
    return order;
  }

  /** Result of the last iterative solve, for tests and benches: rounds and the largest residual. */
  static volatile double[] lastIterativeStats = new double[2];

  private static double[] iterativeLayout(
      FuzzySimplicialSet.Graph g, int dim, double[] invSqrt, long seed, WorkerPool pool) {
    return iterativeLayout(g, dim, invSqrt, seed, pool, true);
  }

  /**
   * The iterative solve. With {@code reorder} the block is stored in breadth-first order of the
   * graph ({@link Operator}); every sum still runs over the points in their own order, so the
   * result is the same bit for bit as without (tested).
   */
  static double[] iterativeLayout(
      FuzzySimplicialSet.Graph g,
      int dim,
      double[] invSqrt,
      long seed,
      WorkerPool pool,
      boolean reorder) {
    int n = g.n();
    int m = Math.min(n, dim + 1 + EXTRA);
    Operator op = new Operator(g, invSqrt, reorder);
    int[] pos = op.pos;
    SplittableRandom rng = Seeds.stream(seed, "umap-spectral");
    double[] v = new double[n * m];
    for (int i = 0; i < n; i++) {
      int o = pos[i] * m;
      for (int c = 0; c < m; c++) {
        v[o + c] = gaussian(rng);
      }
    }
    orthonormalise(v, pos, m, rng, pool);
    double[] lv = new double[n * m];
    double[] theta = new double[m];
    double residual = Double.POSITIVE_INFINITY;
    int rounds = 0;
    for (int outer = 0; outer <= MAX_OUTER; outer++) {
      op.times(v, lv, m, pool);
      residual = rayleighRitz(v, lv, pos, m, theta, dim + 1, pool);
      rounds = outer;
      if (residual < TOLERANCE || outer == MAX_OUTER) {
        break;
      }
      chebyshevFilter(op, v, m, theta[m - 1], pool);
      orthonormalise(v, pos, m, rng, pool);
    }
    lastIterativeStats = new double[] {rounds, residual};
    double[] out = new double[n * dim];
    for (int i = 0; i < n; i++) {
      int o = pos[i] * m;
      for (int c = 0; c < dim; c++) {
        out[i * dim + c] = v[o + c + 1];
      }
    }
    return out;
  }

  /**
   * The normalised Laplacian as an operator on blocks stored in breadth-first order of the graph
   * (Cuthill-McKee without the degree sort): a point's neighbours then sit in nearby rows, so a
   * product reads memory that is mostly in cache instead of rows scattered over the whole block
   * (the whole solve 1.6 to 3 times faster on 70,000 MNIST embeddings, docs/RESULTS.md). Point
   * {@code i} is stored in row {@code pos[i]}; each row keeps its neighbours in the graph's order,
   * so every sum is the one the product in the points' own order computes.
   */
  static final class Operator {
    /** Row of each point. */
    final int[] pos;

    private final int[] rowStart;
    private final int[] columns;
    private final double[] scaled;
    private final double[] invSqrt;

    Operator(FuzzySimplicialSet.Graph g, double[] invSqrtDegree, boolean reorder) {
      int n = g.n();
      int[] order = reorder ? breadthFirstOrder(g) : identity(n);
      pos = new int[n];
      for (int r = 0; r < n; r++) {
        pos[order[r]] = r;
      }
      rowStart = new int[n + 1];
      columns = new int[g.nnz()];
      scaled = new double[g.nnz()];
      invSqrt = new double[n];
      int q = 0;
      for (int r = 0; r < n; r++) {
        int i = order[r];
        invSqrt[r] = invSqrtDegree[i];
        for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
          int j = g.columns()[p];
          columns[q] = pos[j];
          // the product w_ij / sqrt(d_j) the unordered loop forms for each term, once
          scaled[q++] = g.weights()[p] * invSqrtDegree[j];
        }
        rowStart[r + 1] = q;
      }
    }

    /** {@code out = L v} for an {@code n x m} row-major block in this operator's row order. */
    void times(double[] v, double[] out, int m, WorkerPool pool) {
      int[] rs = rowStart;
      int[] cols = columns;
      double[] w = scaled;
      double[] inv = invSqrt;
      pool.forRange(
          inv.length,
          512,
          (from, to) -> {
            double[] acc = new double[m];
            for (int r = from; r < to; r++) {
              Arrays.fill(acc, 0);
              for (int p = rs[r]; p < rs[r + 1]; p++) {
                double wp = w[p];
                int o = cols[p] * m;
                for (int c = 0; c < m; c++) {
                  acc[c] += wp * v[o + c];
                }
              }
              int o = r * m;
              double s = inv[r];
              for (int c = 0; c < m; c++) {
                out[o + c] = v[o + c] - s * acc[c];
              }
            }
          });
    }

    private static int[] identity(int n) {
      int[] id = new int[n];
      for (int i = 0; i < n; i++) {
        id[i] = i;
      }
      return id;
    }

    /** Points in breadth-first order from point 0, then from the first point not yet reached. */
    private static int[] breadthFirstOrder(FuzzySimplicialSet.Graph g) {
      int n = g.n();
      int[] queue = new int[n];
      boolean[] seen = new boolean[n];
      int head = 0;
      int tail = 0;
      for (int start = 0; start < n; start++) {
        if (seen[start]) {
          continue;
        }
        seen[start] = true;
        queue[tail++] = start;
        while (head < tail) {
          int i = queue[head++];
          for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
            int j = g.columns()[p];
            if (!seen[j]) {
              seen[j] = true;
              queue[tail++] = j;
            }
          }
        }
      }
      return queue;
    }
  }

  /**
   * Rotates {@code v} (and {@code lv}) onto the Ritz vectors of {@code V^T L V}, ascending Ritz
   * values into {@code theta}; returns the largest residual norm of the first {@code wanted}.
   */
  private static double rayleighRitz(
      double[] v, double[] lv, int[] pos, int m, double[] theta, int wanted, WorkerPool pool) {
    int n = pos.length;
    double[] h = gram(v, lv, pos, m, pool);
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        double s = (h[a * m + b] + h[b * m + a]) / 2;
        h[a * m + b] = s;
        h[b * m + a] = s;
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
    if (!eig.decompose(new DMatrixRMaj(m, m, true, h))) {
      throw new IllegalStateException("UMAP spectral init: Rayleigh-Ritz eigensolve failed");
    }
    Integer[] order = ascending(eig, m);
    double[] u = new double[m * m];
    for (int c = 0; c < m; c++) {
      theta[c] = eig.getEigenvalue(order[c]).getReal();
      DMatrixRMaj e = eig.getEigenVector(order[c]);
      for (int r = 0; r < m; r++) {
        u[r * m + c] = e.get(r, 0);
      }
    }
    rotate(v, u, n, m, pool);
    rotate(lv, u, n, m, pool);
    // residual norms: per-block partial sums added in block order (independent of threads)
    int blocks = (n + BLOCK - 1) / BLOCK;
    double[] partial = new double[blocks * wanted];
    pool.forEach(
        blocks,
        bl -> {
          int to = Math.min(n, (bl + 1) * BLOCK);
          for (int i = bl * BLOCK; i < to; i++) {
            int o = pos[i] * m;
            for (int c = 0; c < wanted; c++) {
              double r = lv[o + c] - theta[c] * v[o + c];
              partial[bl * wanted + c] += r * r;
            }
          }
        });
    double worst = 0;
    for (int c = 0; c < wanted; c++) {
      double s = 0;
      for (int bl = 0; bl < blocks; bl++) {
        s += partial[bl * wanted + c];
      }
      worst = Math.max(worst, Math.sqrt(s));
    }
    return worst;
  }

  /** Rows per block of the Gram sums; fixed, so that sums do not depend on the thread count. */
  static final int BLOCK = 2048;

  /**
   * {@code X^T Y} of two row-major {@code n x m} blocks, {@code m x m} row-major: partial sums over
   * fixed blocks of points (point {@code i} in row {@code pos[i]}) in parallel, added in block
   * order.
   */
  static double[] gram(double[] x, double[] y, int[] pos, int m, WorkerPool pool) {
    int n = pos.length;
    int blocks = (n + BLOCK - 1) / BLOCK;
    double[] partial = new double[blocks * m * m];
    pool.forEach(
        blocks,
        bl -> {
          int off = bl * m * m;
          int to = Math.min(n, (bl + 1) * BLOCK);
          for (int i = bl * BLOCK; i < to; i++) {
            int o = pos[i] * m;
            for (int a = 0; a < m; a++) {
              double xa = x[o + a];
              int ho = off + a * m;
              for (int b = 0; b < m; b++) {
                partial[ho + b] += xa * y[o + b];
              }
            }
          }
        });
    double[] h = new double[m * m];
    for (int bl = 0; bl < blocks; bl++) {
      for (int t = 0; t < m * m; t++) {
        h[t] += partial[bl * m * m + t];
      }
    }
    return h;
  }

  private static void rotate(double[] x, double[] u, int n, int m, WorkerPool pool) {
    pool.forRange(
        n,
        BLOCK,
        (from, to) -> {
          double[] row = new double[m];
          for (int i = from; i < to; i++) {
            int o = i * m;
            Arrays.fill(row, 0);
            for (int r = 0; r < m; r++) {
              double xr = x[o + r];
              for (int c = 0; c < m; c++) {
                row[c] += xr * u[r * m + c];
              }
            }
            System.arraycopy(row, 0, x, o, m);
          }
        });
  }

  /**
   * {@code v <- T_p((L - c) / e) v} with {@code [cut, 2]} mapped onto [-1, 1]: eigenvalues below
   * {@code cut} grow like {@code cosh}, those above stay within [-1, 1].
   */
  private static void chebyshevFilter(Operator op, double[] v, int m, double cut, WorkerPool pool) {
    double upper = 2.0;
    double low = Math.min(cut, upper - 1e-3);
    double c = (upper + low) / 2;
    double e = (upper - low) / 2;
    int size = v.length;
    double[] prev = v.clone();
    double[] cur = new double[size];
    double[] tmp = new double[size];
    op.times(prev, tmp, m, pool);
    pool.forRange(
        size,
        1 << 14,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            cur[i] = (tmp[i] - c * prev[i]) / e;
          }
        });
    int chunks = (size + (1 << 14) - 1) >> 14;
    double[] chunkMax = new double[chunks];
    for (int step = 2; step <= DEGREE; step++) {
      op.times(cur, tmp, m, pool);
      pool.forEach(
          chunks,
          ch -> {
            double mx = 1;
            int to = Math.min(size, (ch + 1) << 14);
            for (int i = ch << 14; i < to; i++) {
              double next = 2 * (tmp[i] - c * cur[i]) / e - prev[i];
              prev[i] = cur[i];
              tmp[i] = next;
              mx = Math.max(mx, Math.abs(next));
            }
            chunkMax[ch] = mx;
          });
      double scale = 1;
      for (double mx : chunkMax) {
        scale = Math.max(scale, mx);
      }
      // keep the growing block representable; the common factor does not change its span
      double inv = 1 / scale;
      pool.forRange(
          size,
          1 << 14,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              cur[i] = tmp[i] * inv;
              prev[i] *= inv;
            }
          });
    }
    System.arraycopy(cur, 0, v, 0, size);
  }

  /**
   * Orthonormalises the columns of a row-major {@code n x m} block: Cholesky QR twice ({@code V <-
   * V R^-1} with {@code V^T V = R^T R}; Fukaya et al. 2014), which runs on rows in parallel, with
   * two-pass modified Gram-Schmidt as the fallback when the block is too ill-conditioned for a
   * Cholesky factor. Point {@code i} is in row {@code pos[i]}; sums run over the points in order.
   */
  static void orthonormalise(double[] v, int[] pos, int m, SplittableRandom rng, WorkerPool pool) {
    if (!choleskyQr(v, pos, m, pool) || !choleskyQr(v, pos, m, pool)) {
      orthonormalise(v, pos, m, rng);
    }
  }

  /** One Cholesky QR step in place; false (with {@code v} unchanged) if the factor fails. */
  private static boolean choleskyQr(double[] v, int[] pos, int m, WorkerPool pool) {
    int n = pos.length;
    double[] r = gram(v, v, pos, m, pool);
    double maxDiag = 0;
    for (int a = 0; a < m; a++) {
      maxDiag = Math.max(maxDiag, r[a * m + a]);
    }
    // upper R with R^T R = G, row by row
    for (int a = 0; a < m; a++) {
      double d = r[a * m + a];
      for (int p = 0; p < a; p++) {
        d -= r[p * m + a] * r[p * m + a];
      }
      // a pivot this small means columns nearly dependent: R^-1 would amplify rounding
      if (!(d > 1e-12 * maxDiag)) {
        return false;
      }
      double piv = Math.sqrt(d);
      r[a * m + a] = piv;
      for (int b = a + 1; b < m; b++) {
        double s = r[a * m + b];
        for (int p = 0; p < a; p++) {
          s -= r[p * m + a] * r[p * m + b];
        }
        r[a * m + b] = s / piv;
      }
    }
    // each row x <- x R^-1 (forward substitution on x = y R)
    pool.forRange(
        n,
        BLOCK,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int o = i * m;
            for (int b = 0; b < m; b++) {
              double s = v[o + b];
              for (int p = 0; p < b; p++) {
                s -= v[o + p] * r[p * m + b];
              }
              v[o + b] = s / r[b * m + b];
            }
          }
        });
    return true;
  }

  /**
   * Two-pass modified Gram-Schmidt on the columns of a row-major {@code n x m} block, point {@code
   * i} in row {@code pos[i]}.
   */
  static void orthonormalise(double[] v, int[] pos, int m, SplittableRandom rng) {
    int n = pos.length;
    for (int c = 0; c < m; c++) {
      for (int attempt = 0; ; attempt++) {
        double before = columnNorm(v, pos, m, c);
        for (int pass = 0; pass < 2; pass++) {
          for (int p = 0; p < c; p++) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
              int o = pos[i] * m;
              dot += v[o + p] * v[o + c];
            }
            for (int i = 0; i < n; i++) {
              v[i * m + c] -= dot * v[i * m + p];
            }
          }
        }
        double norm = columnNorm(v, pos, m, c);
        if (norm > 1e-10 * before && norm > 0) {
          for (int i = 0; i < n; i++) {
            v[i * m + c] /= norm;
          }
          break;
        }
        if (attempt > 3) {
          throw new IllegalStateException("UMAP spectral init: cannot orthonormalise the block");
        }
        // the filtered column fell into the span of the others: restart it at random
        for (int i = 0; i < n; i++) {
          v[pos[i] * m + c] = gaussian(rng);
        }
      }
    }
  }

  private static double columnNorm(double[] v, int[] pos, int m, int c) {
    double s = 0;
    for (int row : pos) {
      s += v[row * m + c] * v[row * m + c];
    }
    return Math.sqrt(s);
  }

  static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }
}
