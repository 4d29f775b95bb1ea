package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Principal component analysis by eigen-decomposition of the sample covariance.
 *
 * <p>Fit: column means in double; {@code C = (X - mean)^T (X - mean) / (n - 1)} accumulated in
 * double over blocks of 64 rows, centring each block on the fly (X is never copied whole) and
 * splitting the rows of C between threads, each of which owns its rows and adds the blocks in the
 * same order, so C is bit-for-bit independent of the thread count; then EJML's symmetric QR
 * eigen-decomposition of the {@code d x d} matrix, eigenpairs sorted by eigenvalue descending.
 * Explained variances are the eigenvalues and the ratios divide by the trace of C, matching
 * scikit-learn's {@code PCA(svd_solver="full")} up to rounding (the SVD of X - mean and the
 * eigen-decomposition of C give the same subspace). Each component is flipped so that its
 * largest-magnitude loading is positive; sklearn's {@code svd_flip} uses a different convention, so
 * components and scores may differ from sklearn's by sign per component.
 *
 * <p>Data of rank below the number of components (collapsed embeddings: all rows equal, or rank 1)
 * work as in scikit-learn: the components beyond the rank are further orthonormal directions with
 * explained variance ~0 and scores ~0 (all-equal rows: every variance and score 0); the
 * explained-variance ratio is 0 where the total variance is 0 (scikit-learn gives NaN, 0 / 0).
 * {@link RandomizedPca} returns the same.
 *
 * <p>Cost: {@code n d^2 / 2} multiply-adds for C plus {@code O(d^3)} for the decomposition.
 */
public final class Pca {
  /** Rows per covariance block: 64 x d doubles of transposed data stay in the L2 cache. */
  private static final int BLOCK_ROWS = 64;

  private final PcaConfig config;
  private final int threads;

  /** A PCA using all available processors. */
  public Pca(PcaConfig config) {
    this(config, Runtime.getRuntime().availableProcessors());
  }

  /** A PCA using {@code threads} workers; results do not depend on {@code threads}. */
  public Pca(PcaConfig config, int threads) {
    this.config = Objects.requireNonNull(config, "config");
    if (threads < 1) {
      throw new IllegalArgumentException("PCA threads = " + threads + " is invalid; use >= 1");
    }
    this.threads = threads;
  }

  public PcaConfig config() {
    return config;
  }

  /**
   * Fits the principal axes of the rows of {@code x}.
   *
   * @param x {@code n x d} samples, n >= 2; not modified
   * @return the fitted model with {@code config.components()} components
   */
  public PcaModel fit(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int d = x.cols();
    int k = config.components();
    if (n < 2) {
      throw new IllegalArgumentException(
          "PCA needs at least 2 samples to estimate a covariance, got n = " + n);
    }
    if (k > d || k > n) {
      throw new IllegalArgumentException(
          "PCA components = "
              + k
              + " exceeds min(n samples = "
              + n
              + ", d features = "
              + d
              + "); choose components <= "
              + Math.min(n, d));
    }
    requireFinite(x);
    double[] mean = columnMeans(x);
    double[] cov = covariance(x, mean, threads);

    DMatrixRMaj c = new DMatrixRMaj(d, d, true, cov);
    double trace = 0;
    for (int a = 0; a < d; a++) {
      trace += cov[a * d + a];
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(c)) {
      throw new IllegalStateException(
          "PCA eigen-decomposition of the " + d + "x" + d + " covariance did not converge");
    }
    Integer[] order = new Integer[d];
    double[] values = new double[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
      values[i] = eig.getEigenvalue(i).getReal();
    }
    Arrays.sort(order, (p, q) -> p.equals(q) ? 0 : compareDescending(values, p, q));

    float[] components = new float[k * d];
    double[] variance = new double[k];
    double[] ratio = new double[k];
    for (int j = 0; j < k; j++) {
      int idx = order[j];
      DMatrixRMaj v = eig.getEigenVector(idx);
      double norm = 0;
      int argMax = 0;
      for (int f = 0; f < d; f++) {
        double e = v.get(f);
        norm += e * e;
        if (Math.abs(e) > Math.abs(v.get(argMax))) {
          argMax = f;
        }
      }
      double scale = (v.get(argMax) < 0 ? -1.0 : 1.0) / Math.sqrt(norm);
      for (int f = 0; f < d; f++) {
        components[j * d + f] = (float) (v.get(f) * scale);
      }
      // Rounding can leave tiny negative eigenvalues for rank-deficient data.
      variance[j] = Math.max(0.0, values[idx]);
      ratio[j] = trace > 0 ? variance[j] / trace : 0.0;
    }
    return new PcaModel(mean, new FloatMatrix(k, d, components), variance, ratio, config.whiten());
  }

  /** {@code fit(x).transform(x)}: the {@code n x k} scores of the fitted rows. */
  public FloatMatrix fitTransform(FloatMatrix x) {
    return fit(x).transform(x, threads);
  }

  private static int compareDescending(double[] values, int p, int q) {
    int byValue = Double.compare(values[q], values[p]);
    return byValue != 0 ? byValue : Integer.compare(p, q);
  }

  private static double[] columnMeans(FloatMatrix x) {
    int n = x.rows();
    int d = x.cols();
    float[] v = x.data();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      int o = i * d;
      for (int f = 0; f < d; f++) {
        mean[f] += v[o + f];
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= n;
    }
    return mean;
  }

  /**
   * The {@code d x d} covariance (divisor n - 1), row-major. Rows of C are dealt to threads in
   * groups of 4 in a back-and-forth order to balance the triangle; each thread transposes and
   * centres every block of 64 data rows into its own buffer and accumulates the upper triangle of
   * its rows with 4 x 2 register tiles.
   */
  static double[] covariance(FloatMatrix x, double[] mean, int threads) {
    int n = x.rows();
    int d = x.cols();
    int dPad = (d + 3) & ~3;
    int groups = dPad / 4;
    int workers = Math.max(1, Math.min(threads, groups));
    double[] g = new double[dPad * dPad];
    int[][] groupsOf = new int[workers][];
    for (int w = 0; w < workers; w++) {
      List<Integer> mine = new ArrayList<>();
      for (int grp = 0; grp < groups; grp++) {
        int lap = grp % (2 * workers);
        if (lap == w || lap == 2 * workers - 1 - w) {
          mine.add(grp);
        }
      }
      groupsOf[w] = mine.stream().mapToInt(Integer::intValue).toArray();
    }
    WorkerPool.run(workers, workers, "pca-cov", w -> accumulateGram(x, mean, dPad, groupsOf[w], g));
    double[] cov = new double[d * d];
    double scale = 1.0 / (n - 1);
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        double v = g[a * dPad + b] * scale;
        cov[a * d + b] = v;
        cov[b * d + a] = v;
      }
    }
    return cov;
  }

  private static void accumulateGram(
      FloatMatrix x, double[] mean, int dPad, int[] groups, double[] g) {
    int n = x.rows();
    int d = x.cols();
    float[] v = x.data();
    int r = BLOCK_ROWS;
    // Transposed, centred block: t[f * r + i] = x[start + i][f] - mean[f]; zero padding adds 0.
    double[] t = new double[dPad * r];
    double[] tile = new double[8];
    for (int start = 0; start < n; start += r) {
      int rows = Math.min(r, n - start);
      if (rows < r) {
        Arrays.fill(t, 0.0);
      }
      for (int i = 0; i < rows; i++) {
        int o = (start + i) * d;
        for (int f = 0; f < d; f++) {
          t[f * r + i] = v[o + f] - mean[f];
        }
      }
      for (int grp : groups) {
        int a = grp * 4;
        for (int b = a; b < dPad; b += 2) {
          dots4x2(t, a * r, b * r, r, r, tile);
          for (int p = 0; p < 4; p++) {
            int go = (a + p) * dPad + b;
            g[go] += tile[2 * p];
            g[go + 1] += tile[2 * p + 1];
          }
        }
      }
    }
  }

  /**
   * Eight dot products of length {@code len}: rows {@code a0 + p * stride} (p = 0..3) against rows
   * {@code b0 + q * stride} (q = 0..1) of {@code m}, written to {@code out[2 p + q]}.
   */
  private static void dots4x2(double[] m, int a0, int b0, int stride, int len, double[] out) {
    int a1 = a0 + stride;
    int a2 = a1 + stride;
    int a3 = a2 + stride;
    int b1 = b0 + stride;
    double s00 = 0;
    double s01 = 0;
    double s10 = 0;
    double s11 = 0;
    double s20 = 0;
    double s21 = 0;
    double s30 = 0;
    double s31 = 0;
    for (int i = 0; i < len; i++) {
      double u0 = m[b0 + i];
      double u1 = m[b1 + i];
      double v0 = m[a0 + i];
      double v1 = m[a1 + i];
      double v2 = m[a2 + i];
      double v3 = m[a3 + i];
      s00 += v0 * u0;
      s01 += v0 * u1;
      s10 += v1 * u0;
      s11 += v1 * u1;
      s20 += v2 * u0;
      s21 += v2 * u1;
      s30 += v3 * u0;
      s31 += v3 * u1;
    }
    out[0] = s00;
    out[1] = s01;
    out[2] = s10;
    out[3] = s11;
    out[4] = s20;
    out[5] = s21;
    out[6] = s30;
    out[7] = s31;
  }

  /** {@link PcaModel#transform}: centred rows times components^T, in double, by row chunks. */
  static FloatMatrix project(PcaModel model, FloatMatrix x, int threads) {
    Objects.requireNonNull(x, "x");
    if (threads < 1) {
      throw new IllegalArgumentException("PCA threads = " + threads + " is invalid; use >= 1");
    }
    int d = model.dimensions();
    int k = model.k();
    if (x.cols() != d) {
      throw new IllegalArgumentException(
          "PCA transform input has " + x.cols() + " columns but the model was fitted on " + d);
    }
    int n = x.rows();
    // Components padded to an even count so the 4 x 2 tiles need no tail case.
    int kPad = (k + 1) & ~1;
    double[] comp = new double[kPad * d];
    float[] cf = model.components().data();
    for (int i = 0; i < k * d; i++) {
      comp[i] = cf[i];
    }
    double[] scale = new double[k];
    for (int j = 0; j < k; j++) {
      double ev = model.explainedVariance()[j];
      // A zero-variance component scores 0 for the fitted data; leave it unscaled instead of NaN.
      scale[j] = model.whiten() && ev > 0 ? 1.0 / Math.sqrt(ev) : 1.0;
    }
    double[] mean = model.mean();
    float[] out = new float[n * k];
    float[] v = x.data();
    int chunk = 1024;
    // Four centred rows side by side (stride d) as the "a" rows of the tile; the components
    // follow them in the same array so one kernel serves both. One buffer per worker.
    Supplier<double[]> buffer =
        () -> {
          double[] buf = new double[4 * d + kPad * d];
          System.arraycopy(comp, 0, buf, 4 * d, kPad * d);
          return buf;
        };
    WorkerPool.run(
        (n + chunk - 1) / chunk,
        threads,
        "pca-transform",
        buffer,
        (buf, c) -> {
          double[] tile = new double[8];
          int from = c * chunk;
          int to = Math.min(n, from + chunk);
          for (int i = from; i < to; i += 4) {
            int rows = Math.min(4, to - i);
            Arrays.fill(buf, 0, 4 * d, 0.0);
            for (int p = 0; p < rows; p++) {
              int o = (i + p) * d;
              for (int f = 0; f < d; f++) {
                buf[p * d + f] = v[o + f] - mean[f];
              }
            }
            for (int j = 0; j < kPad; j += 2) {
              dots4x2(buf, 0, 4 * d + j * d, d, d, tile);
              for (int p = 0; p < rows; p++) {
                out[(i + p) * k + j] = (float) (tile[2 * p] * scale[j]);
                if (j + 1 < k) {
                  out[(i + p) * k + j + 1] = (float) (tile[2 * p + 1] * scale[j + 1]);
                }
              }
            }
          }
        });
    return new FloatMatrix(n, k, out);
  }

  private static void requireFinite(FloatMatrix x) {
    float[] v = x.data();
    int d = x.cols();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(
            "PCA input has a non-finite value ("
                + v[i]
                + ") at row "
                + (i / d)
                + ", column "
                + (i % d)
                + "; remove or impute NaN/Inf values first");
      }
    }
  }
}
