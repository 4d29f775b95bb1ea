package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Randomized PCA (Halko, Martinsson and Tropp, "Finding structure with randomness", SIAM Review
 * 53(2), 2011, Algorithms 4.4 + 5.1), with the semantics of scikit-learn 1.2's {@code
 * PCA(svd_solver="randomized")}: for {@code n x d} data too wide for {@link Pca}'s {@code d x d}
 * covariance (e.g. 70,000 x 12,544 encoder feature maps).
 *
 * <p>With {@code Xc = X - 1 mean^T} (never formed: {@link MatrixProducts} centre row blocks on the
 * fly), k components, {@code l = min(k + oversamples, n, d)} and q power iterations:
 *
 * <ol>
 *   <li>{@code Omega}: {@code d x l} standard normal, from the seed;
 *   <li>{@code Q = orth(Xc Omega)}; q times: {@code Q = orth(Xc orth(Xc^T Q))};
 *   <li>{@code B^T = Xc^T Q} ({@code d x l}); thin SVD {@code B = U_b S V^T} (EJML, on the small
 *       matrix);
 *   <li>components = first k rows of {@code V^T}; explained variance {@code S^2 / (n - 1)}; ratio
 *       against the total variance {@code sum_j var(x_j)} (divisor n - 1) computed exactly from the
 *       data, as sklearn does; scores {@code = Q U_b S}.
 * </ol>
 *
 * <p>Data of rank below the number of components (collapsed embeddings: all rows equal, or rank 1)
 * work as in scikit-learn: the components beyond the rank are further orthonormal directions with
 * explained variance ~0 and scores ~0 (all-equal rows: every variance and score 0). The
 * explained-variance ratio is 0 where the total variance is 0 (scikit-learn divides 0 by 0 and
 * gives NaN). {@link Pca} returns the same.
 *
 * <p>That is {@code 2 (q + 1)} passes over X, {@code 4 n d l (q + 1)} flops, plus two cheap passes
 * for the column means and variances.
 *
 * <p>Differences from sklearn, none of which changes the converged subspace: the power-iteration
 * normaliser is a QR (CholeskyQR2, Householder when ill-conditioned; sklearn's {@code 'auto'} picks
 * LU, cheaper and less stable); the random matrix comes from {@link Seeds}, not NumPy, so results
 * agree with sklearn only as far as both have converged; sklearn transposes X when {@code n < d},
 * this class never does; component signs follow {@link Pca}'s convention (largest-magnitude loading
 * positive) rather than {@code svd_flip}. The same seed, data and {@link MatrixProducts} give the
 * same model.
 */
public final class RandomizedPca {
  private static final String SEED_PURPOSE = "randomized-pca";
  private static final int STAT_CHUNK = 256;

  private final RandomizedPcaConfig config;
  private final MatrixProducts products;
  private final int threads;

  /** A randomized PCA on the pure-Java products, all processors. */
  public RandomizedPca(RandomizedPcaConfig config) {
    this(config, MatrixProducts.java());
  }

  /**
   * A randomized PCA whose heavy products run on {@code products} (e.g. {@code
   * io.deepclust.engine.TorchMatrixProducts}); the cheap column statistics use all processors.
   */
  public RandomizedPca(RandomizedPcaConfig config, MatrixProducts products) {
    this.config = Objects.requireNonNull(config, "config");
    this.products = Objects.requireNonNull(products, "products");
    this.threads = Runtime.getRuntime().availableProcessors();
  }

  public RandomizedPcaConfig config() {
    return config;
  }

  /**
   * Fits the top principal axes of the rows of {@code x}.
   *
   * @param x {@code n x d} samples, n >= 2, finite; not modified
   * @return a model of {@code config.components()} components (the same record {@link Pca} returns)
   */
  public PcaModel fit(FloatMatrix x) {
    return fitInternal(x, false).model;
  }

  /**
   * Fits and returns the {@code n x k} scores of the fitted rows, taken from the factorisation
   * ({@code Q U_b S}, or {@code Q U_b sqrt(n - 1)} when whitening) at no extra pass over X.
   */
  public FloatMatrix fitTransform(FloatMatrix x) {
    return fitInternal(x, true).scores;
  }

  /**
   * Projects rows onto a fitted model's axes with this instance's {@link MatrixProducts}: {@code (x
   * - mean) components^T}, divided by {@code sqrt(explainedVariance)} when the model whitens.
   *
   * @param x {@code m x d} samples
   * @return {@code m x k} scores
   */
  public FloatMatrix transform(PcaModel model, FloatMatrix x) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(x, "x");
    int d = model.dimensions();
    int k = model.k();
    if (x.cols() != d) {
      throw new IllegalArgumentException(
          "PCA transform input has " + x.cols() + " columns but the model was fitted on " + d);
    }
    FloatMatrix c = model.components();
    float[] wt = new float[d * k];
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        wt[f * k + j] = c.get(j, f);
      }
    }
    FloatMatrix scores = products.centredTimes(x, model.mean(), new FloatMatrix(d, k, wt));
    if (model.whiten()) {
      float[] s = scores.data();
      for (int j = 0; j < k; j++) {
        double ev = model.explainedVariance()[j];
        float scale = ev > 0 ? (float) (1.0 / Math.sqrt(ev)) : 1f;
        for (int i = j; i < s.length; i += k) {
          s[i] *= scale;
        }
      }
    }
    return scores;
  }

  private record Fitted(PcaModel model, FloatMatrix scores) {}

  private Fitted fitInternal(FloatMatrix x, boolean wantScores) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int d = x.cols();
    int k = config.components();
    if (n < 2) {
      throw new IllegalArgumentException(
          "PCA needs at least 2 samples to estimate a variance, got n = " + n);
    }
    if (k > Math.min(n, d)) {
      throw new IllegalArgumentException(
          "RandomizedPcaConfig.components = "
              + k
              + " exceeds min(n samples = "
              + n
              + ", d features = "
              + d
              + "); choose components <= "
              + Math.min(n, d));
    }
    double[] mean = columnMeans(x);
    double totalVariance = totalVariance(x, mean);
    int l = Math.min(k + config.oversamples(), Math.min(n, d));
    int q = config.effectivePowerIterations(n, d);

    FloatMatrix omega = gaussian(d, l, Seeds.stream(config.seed(), SEED_PURPOSE));
    FloatMatrix y = products.centredTimes(x, mean, omega);
    for (int it = 0; it < q; it++) {
      FloatMatrix z = products.centredTransposeTimes(x, mean, orthonormalColumns(y));
      y = products.centredTimes(x, mean, orthonormalColumns(z));
    }
    FloatMatrix basis = orthonormalColumns(y);
    FloatMatrix bt = products.centredTransposeTimes(x, mean, basis);

    // Thin SVD of B^T = V S U_b^T (d x l): EJML's U is V, its V is U_b.
    DMatrixRMaj v;
    DMatrixRMaj w;
    DMatrixRMaj ub;
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(d, l, true, true, true);
    if (!svd.decompose(toDouble(bt))) {
      throw new IllegalStateException(
          "randomized PCA: SVD of the " + d + "x" + l + " projected matrix did not converge");
    }
    v = svd.getU(null, false);
    w = svd.getW(null);
    ub = svd.getV(null, false);
    SingularOps_DDRM.descendingOrder(v, false, w, ub, false);

    float[] components = new float[k * d];
    double[] variance = new double[k];
    double[] ratio = new double[k];
    double[] sign = new double[k];
    for (int j = 0; j < k; j++) {
      int argMax = 0;
      for (int f = 1; f < d; f++) {
        if (Math.abs(v.get(f, j)) > Math.abs(v.get(argMax, j))) {
          argMax = f;
        }
      }
      sign[j] = v.get(argMax, j) < 0 ? -1.0 : 1.0;
      for (int f = 0; f < d; f++) {
        components[j * d + f] = (float) (sign[j] * v.get(f, j));
      }
      double s = w.get(j, j);
      variance[j] = s * s / (n - 1);
      ratio[j] = totalVariance > 0 ? variance[j] / totalVariance : 0.0;
    }
    PcaModel model =
        new PcaModel(mean, new FloatMatrix(k, d, components), variance, ratio, config.whiten());
    if (!wantScores) {
      return new Fitted(model, null);
    }
    // scores = Q U_b[:, :k] diag(scale): scale = sign * s, or sign * sqrt(n - 1) when whitening.
    double[] scale = new double[k];
    for (int j = 0; j < k; j++) {
      double s = w.get(j, j);
      scale[j] = sign[j] * (config.whiten() && variance[j] > 0 ? Math.sqrt(n - 1.0) : s);
    }
    float[] qd = basis.data();
    float[] out = new float[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        double acc = 0;
        for (int m = 0; m < l; m++) {
          acc += qd[i * l + m] * ub.get(m, j);
        }
        out[i * k + j] = (float) (acc * scale[j]);
      }
    }
    return new Fitted(model, new FloatMatrix(n, k, out));
  }

  /** {@code rows x cols} standard normal values, row by row from {@code random}. */
  static FloatMatrix gaussian(int rows, int cols, SplittableRandom random) {
    float[] g = new float[rows * cols];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) random.nextGaussian();
    }
    return new FloatMatrix(rows, cols, g);
  }

  /**
   * An orthonormal basis of the column space of the tall {@code y} ({@code rows x cols}, rows >=
   * cols): CholeskyQR2 (Fukaya et al., 2014: {@code R = chol(Y^T Y)}, {@code Q = Y R^-1}, done
   * twice), multi-threaded in double, several times faster than EJML's single-threaded Householder
   * QR at 70,000 x 60; Householder QR when {@code Y} is too ill-conditioned for it (Cholesky fails
   * or the diagonal of R spans more than 1e6, e.g. data of rank below the sketch size, down to rank
   * 0 for collapsed embeddings).
   */
  FloatMatrix orthonormalColumns(FloatMatrix y) {
    int rows = y.rows();
    int cols = y.cols();
    float[] src = y.data();
    double[] yd = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      yd[i] = src[i];
    }
    double[] q = choleskyQrStep(yd, rows, cols, 1e6);
    if (q != null) {
      q = choleskyQrStep(q, rows, cols, 10.0);
    }
    if (q != null && !allFinite(q)) {
      q = null; // a Cholesky that passed the checks yet overflowed: rank-deficient input
    }
    if (q == null) {
      return householderQ(y);
    }
    float[] out = new float[q.length];
    for (int i = 0; i < q.length; i++) {
      out[i] = (float) q[i];
    }
    return new FloatMatrix(rows, cols, out);
  }

  /**
   * One CholeskyQR step, {@code Y R^-1} with {@code R^T R = Y^T Y}, or null when the Cholesky
   * factorisation fails or {@code max R_jj / min R_jj > maxDiagonalRatio}. Row chunks are fixed,
   * and the Gram partial sums are added in chunk order, so the result does not depend on threads.
   */
  private double[] choleskyQrStep(double[] y, int rows, int cols, double maxDiagonalRatio) {
    int chunk = 2048;
    int chunks = (rows + chunk - 1) / chunk;
    double[][][] partial = new double[chunks][][];
    WorkerPool.run(
        chunks,
        threads,
        "pca-gram",
        c -> {
          // Full square Gram, row by row as axpys on separate arrays (vectorisable).
          double[][] g = new double[cols][cols];
          double[] row = new double[cols];
          int end = Math.min(rows, (c + 1) * chunk);
          for (int i = c * chunk; i < end; i++) {
            System.arraycopy(y, i * cols, row, 0, cols);
            for (int a = 0; a < cols; a++) {
              axpy(g[a], row[a], row, cols);
            }
          }
          partial[c] = g;
        });
    double[] gram = new double[cols * cols];
    for (double[][] g : partial) {
      for (int a = 0; a < cols; a++) {
        for (int b = 0; b < cols; b++) {
          gram[a * cols + b] += g[a][b];
        }
      }
    }
    // Upper-triangular R with R^T R = G.
    double[] r = new double[cols * cols];
    double minDiag = Double.POSITIVE_INFINITY;
    double maxDiag = 0;
    for (int j = 0; j < cols; j++) {
      double s = gram[j * cols + j];
      for (int k = 0; k < j; k++) {
        s -= r[k * cols + j] * r[k * cols + j];
      }
      if (!(s > 0)) {
        return null;
      }
      double rjj = Math.sqrt(s);
      r[j * cols + j] = rjj;
      minDiag = Math.min(minDiag, rjj);
      maxDiag = Math.max(maxDiag, rjj);
      for (int c = j + 1; c < cols; c++) {
        double t = gram[j * cols + c];
        for (int k = 0; k < j; k++) {
          t -= r[k * cols + j] * r[k * cols + c];
        }
        r[j * cols + c] = t / rjj;
      }
    }
    if (maxDiag > maxDiagonalRatio * minDiag) {
      return null;
    }
    // R^-1 (upper triangular) by back substitution, one row per array; then Q = Y R^-1 as axpys.
    double[][] inv = new double[cols][cols];
    for (int j = 0; j < cols; j++) {
      inv[j][j] = 1.0 / r[j * cols + j];
      for (int i = j - 1; i >= 0; i--) {
        double t = 0;
        for (int k = i + 1; k <= j; k++) {
          t += r[i * cols + k] * inv[k][j];
        }
        inv[i][j] = -t / r[i * cols + i];
      }
    }
    double[] q = new double[y.length];
    WorkerPool.run(
        chunks,
        threads,
        "pca-cholqr",
        c -> {
          double[] out = new double[cols];
          int end = Math.min(rows, (c + 1) * chunk);
          for (int i = c * chunk; i < end; i++) {
            java.util.Arrays.fill(out, 0.0);
            int o = i * cols;
            for (int k = 0; k < cols; k++) {
              axpy(out, y[o + k], inv[k], cols);
            }
            System.arraycopy(out, 0, q, o, cols);
          }
        });
    return q;
  }

  private static boolean allFinite(double[] v) {
    for (double e : v) {
      if (!Double.isFinite(e)) {
        return false;
      }
    }
    return true;
  }

  /** {@code c[j] += a * v[j]}; offset-free so C2 vectorises it. */
  private static void axpy(double[] c, double a, double[] v, int len) {
    for (int j = 0; j < len; j++) {
      c[j] += a * v[j];
    }
  }

  /**
   * Thin Q ({@code rows x cols}, orthonormal columns) of a Householder QR in double, as LAPACK's
   * {@code dgeqrf}/{@code dorgqr}: slower than CholeskyQR2, but fine for any conditioning and any
   * rank. A column already zero below the diagonal gets no reflection ({@code tau = 0}, as LAPACK),
   * so rank-deficient input (collapsed embeddings: all rows equal, or rank 1) still yields
   * orthonormal columns, spanning the column space and then arbitrary further directions.
   */
  static FloatMatrix householderQ(FloatMatrix y) {
    int rows = y.rows();
    int cols = y.cols();
    float[] src = y.data();
    // column-major copy: the reflections walk down columns
    double[][] a = new double[cols][rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        a[j][i] = src[i * cols + j];
      }
    }
    double[][] v = new double[cols][];
    double[] tau = new double[cols];
    for (int k = 0; k < Math.min(rows, cols); k++) {
      double[] col = a[k];
      double scale = 0;
      for (int i = k; i < rows; i++) {
        scale = Math.max(scale, Math.abs(col[i]));
      }
      if (scale == 0) {
        continue; // nothing to annihilate: H_k = I
      }
      double ss = 0;
      for (int i = k; i < rows; i++) {
        double t = col[i] / scale;
        ss += t * t;
      }
      // v scaled by 1 / scale (H does not depend on the scale of v): vv stays of order 1 even
      // for the tiny residues earlier reflections leave in rank-deficient input
      double norm = Math.sqrt(ss);
      double alpha = col[k] >= 0 ? -norm : norm;
      double[] vk = new double[rows];
      double vv = 0;
      for (int i = k; i < rows; i++) {
        vk[i] = col[i] / scale;
      }
      vk[k] -= alpha; // |vk[k]| >= norm >= 1, so vv >= 1
      for (int i = k; i < rows; i++) {
        vv += vk[i] * vk[i];
      }
      v[k] = vk;
      tau[k] = 2.0 / vv;
      for (int j = k; j < cols; j++) {
        reflect(vk, tau[k], a[j], k, rows);
      }
    }
    // Q = H_0 H_1 ... H_{cols-1} [I; 0], applied from the last reflection backwards
    double[][] q = new double[cols][rows];
    for (int j = 0; j < cols; j++) {
      q[j][j] = 1.0;
    }
    for (int k = Math.min(rows, cols) - 1; k >= 0; k--) {
      if (v[k] == null) {
        continue;
      }
      for (int j = 0; j < cols; j++) {
        reflect(v[k], tau[k], q[j], k, rows);
      }
    }
    float[] out = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = (float) q[j][i];
      }
    }
    return new FloatMatrix(rows, cols, out);
  }

  /** {@code x = (I - tau v v^T) x} on rows {@code from..rows-1}. */
  private static void reflect(double[] v, double tau, double[] x, int from, int rows) {
    double dot = 0;
    for (int i = from; i < rows; i++) {
      dot += v[i] * x[i];
    }
    double f = tau * dot;
    if (f == 0) {
      return;
    }
    for (int i = from; i < rows; i++) {
      x[i] -= f * v[i];
    }
  }

  private static DMatrixRMaj toDouble(FloatMatrix m) {
    float[] src = m.data();
    double[] dst = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i];
    }
    return DMatrixRMaj.wrap(m.rows(), m.cols(), dst);
  }

  /** Column means in double; tasks own chunks of columns, so sums do not depend on threads. */
  private double[] columnMeans(FloatMatrix x) {
    int n = x.rows();
    int d = x.cols();
    float[] v = x.data();
    double[] mean = new double[d];
    WorkerPool.run(
        (d + STAT_CHUNK - 1) / STAT_CHUNK,
        threads,
        "pca-mean",
        c -> {
          int f0 = c * STAT_CHUNK;
          int f1 = Math.min(d, f0 + STAT_CHUNK);
          for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int f = f0; f < f1; f++) {
              mean[f] += v[o + f];
            }
          }
          for (int f = f0; f < f1; f++) {
            mean[f] /= n;
          }
        });
    for (int f = 0; f < d; f++) {
      if (!Double.isFinite(mean[f])) {
        throw nonFinite(x, f);
      }
    }
    return mean;
  }

  /** {@code sum_f var(x_f)} with divisor n - 1, two-pass (around the exact means). */
  private double totalVariance(FloatMatrix x, double[] mean) {
    int n = x.rows();
    int d = x.cols();
    float[] v = x.data();
    int chunks = (d + STAT_CHUNK - 1) / STAT_CHUNK;
    double[] perChunk = new double[chunks];
    WorkerPool.run(
        chunks,
        threads,
        "pca-variance",
        c -> {
          int f0 = c * STAT_CHUNK;
          int f1 = Math.min(d, f0 + STAT_CHUNK);
          double[] ss = new double[f1 - f0];
          for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int f = f0; f < f1; f++) {
              double e = v[o + f] - mean[f];
              ss[f - f0] += e * e;
            }
          }
          double s = 0;
          for (double e : ss) {
            s += e;
          }
          perChunk[c] = s;
        });
    double total = 0;
    for (double s : perChunk) {
      total += s;
    }
    return total / (n - 1);
  }

  private static IllegalArgumentException nonFinite(FloatMatrix x, int column) {
    for (int i = 0; i < x.rows(); i++) {
      float e = x.get(i, column);
      if (!Float.isFinite(e)) {
        return new IllegalArgumentException(
            "PCA input has a non-finite value ("
                + e
                + ") at row "
                + i
                + ", column "
                + column
                + "; remove or impute NaN/Inf values first");
      }
    }
    return new IllegalArgumentException(
        "PCA input column " + column + " sums to a non-finite value; rescale the data");
  }
}
