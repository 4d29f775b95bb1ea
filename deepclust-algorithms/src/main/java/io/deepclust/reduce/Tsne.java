package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Barnes-Hut t-SNE to two dimensions (van der Maaten and Hinton 2008, JMLR 9; van der Maaten 2014,
 * JMLR 15), for up to about 10^4-10^5 points:
 *
 * <ol>
 *   <li>exact {@code k = min(n-1, 3 perplexity + 1)} nearest neighbours by blocked brute force
 *       (squared Euclidean distances);
 *   <li>per point a binary search for the Gaussian precision beta_i so that the conditional
 *       distribution {@code p_j|i ∝ exp(-beta_i d_ij^2)} over its neighbours has entropy {@code
 *       log(perplexity)} (scikit-learn's {@code _binary_search_perplexity}: tolerance 1e-5, at most
 *       100 steps);
 *   <li>sparse symmetric {@code P = (P_cond + P_cond^T) / sum};
 *   <li>gradient descent on {@code KL(P || Q)} with Student-t Q: gradient {@code 4 (sum_j p_ij q_ij
 *       Z (y_i - y_j) - sum_j q_ij^2 Z^2 (y_i - y_j) / Z)}, attractive part exact over the sparse
 *       P, repulsive part and Z from a quadtree ({@link TsneQuadTree}); momentum 0.5 during early
 *       exaggeration and 0.8 after, per-coordinate gains (+0.2 where gradient and last update
 *       disagree in sign, x0.8 otherwise, at least 0.01) as in bhtsne, gains and momentum carried
 *       across the switch; the map is re-centred after every step.
 * </ol>
 *
 * <p>Every per-point quantity is computed independently and all sums are taken in index order, so
 * the result for a given input and seed is bit-identical for any {@code threads}.
 */
public final class Tsne {
  /** KL divergence is reported to the listener every this many iterations. */
  public static final int REPORT_EVERY = 50;

  private static final double MOMENTUM_EARLY = 0.5;
  private static final double MOMENTUM_LATE = 0.8;
  private static final double MIN_GAIN = 0.01;
  private static final double PERPLEXITY_TOLERANCE = 1e-5;
  private static final int PERPLEXITY_STEPS = 100;
  private static final double INIT_STD = 1e-4;

  /** Progress callback. */
  @FunctionalInterface
  public interface Listener {
    /** Called after iteration {@code iteration} (1-based) every {@link #REPORT_EVERY} and last. */
    void onProgress(int iteration, double klDivergence);
  }

  private final TsneConfig config;

  public Tsne(TsneConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public TsneConfig config() {
    return config;
  }

  /** Maps the rows of {@code x} (n x d) to 2-D. */
  public TsneResult fit(FloatMatrix x) {
    return fit(x, null);
  }

  /**
   * Maps the rows of {@code x} (n x d, finite) to 2-D, reporting progress to {@code listener} (may
   * be null).
   *
   * @throws IllegalArgumentException if n is too small for the perplexity or x has NaN/infinity
   */
  public TsneResult fit(FloatMatrix x, Listener listener) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    if (n <= 3 * config.perplexity() || n < 2) {
      throw new IllegalArgumentException(
          "t-SNE: perplexity "
              + config.perplexity()
              + " needs more than 3 x perplexity = "
              + (3 * config.perplexity())
              + " points, got "
              + n
              + "; lower perplexity to at most "
              + Math.floor((n - 1) / 3.0 * 100) / 100
              + " or use more points");
    }
    if (x.cols() < 1) {
      throw new IllegalArgumentException("t-SNE: input has no columns");
    }
    float[] data = x.data();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "t-SNE: input row "
                + (i / x.cols())
                + " column "
                + (i % x.cols())
                + " is "
                + data[i]
                + "; remove or impute non-finite values first");
      }
    }
    int k = config.neighboursFor(n);
    double learningRate = config.learningRateFor(n);
    try (TsneWorkers workers = new TsneWorkers(config.threadCount())) {
      TsneNeighbors nn = TsneNeighbors.exact(x, k, workers);
      double[] conditional = conditionalAffinities(nn, n, config.perplexity(), workers);
      SparseP p = symmetrise(nn, conditional, n);
      double[] y =
          config.init() == TsneConfig.Init.PCA
              ? pcaInit(x, config.seed())
              : randomInit(n, config.seed());
      double kl = optimise(p, y, n, learningRate, workers, listener);
      float[] out = new float[2 * n];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) y[i];
      }
      return new TsneResult(new FloatMatrix(n, 2, out), kl, learningRate, k, config.iterations());
    }
  }

  /** Symmetric joint affinities in compressed sparse rows; values sum to 1. */
  record SparseP(int[] rowStart, int[] columns, double[] values) {}

  /** Row-stochastic {@code p_j|i} over each point's k neighbours (n x k, row-major). */
  static double[] conditionalAffinities(
      TsneNeighbors nn, int n, double perplexity, TsneWorkers workers) {
    int k = nn.k;
    double[] p = new double[n * k];
    double target = Math.log(perplexity);
    workers.forRange(
        n,
        256,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            searchPrecision(nn.distances, i * k, k, target, p);
          }
        });
    return p;
  }

  /**
   * Binary search for beta with entropy {@code H = log(sum) + beta * sum(d P) / sum} equal to
   * {@code target}. Distances are shifted by the nearest one before exponentiating: the normalised
   * P is unchanged and far-apart inputs no longer underflow to an all-zero row.
   */
  private static void searchPrecision(float[] dist, int base, int k, double target, double[] p) {
    double beta = 1;
    double betaMin = Double.NEGATIVE_INFINITY;
    double betaMax = Double.POSITIVE_INFINITY;
    double d0 = dist[base];
    for (int step = 0; step < PERPLEXITY_STEPS; step++) {
      double sum = 0;
      double weighted = 0;
      for (int j = 0; j < k; j++) {
        double dj = dist[base + j] - d0;
        double v = Math.exp(-beta * dj);
        p[base + j] = v;
        sum += v;
        weighted += dj * v;
      }
      // sum >= 1 thanks to the shift (the nearest neighbour contributes exp(0))
      for (int j = 0; j < k; j++) {
        p[base + j] /= sum;
      }
      double entropy = Math.log(sum) + beta * weighted / sum;
      double diff = entropy - target;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE) {
        return;
      }
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }

  /** {@code P = (C + C^T) / sum(C + C^T)} for the kNN-sparse conditional matrix C. */
  static SparseP symmetrise(TsneNeighbors nn, double[] conditional, int n) {
    int k = nn.k;
    int[] count = new int[n + 1];
    for (int i = 0; i < n; i++) {
      for (int e = i * k; e < i * k + k; e++) {
        count[i]++;
        count[nn.indices[e]]++;
      }
    }
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + count[i];
    }
    int[] fill = Arrays.copyOf(start, n);
    int[] cols = new int[start[n]];
    double[] vals = new double[start[n]];
    for (int i = 0; i < n; i++) {
      for (int e = i * k; e < i * k + k; e++) {
        int j = nn.indices[e];
        double v = conditional[e];
        cols[fill[i]] = j;
        vals[fill[i]++] = v;
        cols[fill[j]] = i;
        vals[fill[j]++] = v;
      }
    }
    // per row: sort by column (entry order breaks ties) and merge duplicates p_j|i + p_i|j
    int[] outStart = new int[n + 1];
    int[] outCols = new int[start[n]];
    double[] outVals = new double[start[n]];
    int w = 0;
    double total = 0;
    long[] keys = new long[0];
    for (int i = 0; i < n; i++) {
      int len = start[i + 1] - start[i];
      if (keys.length < len) {
        keys = new long[Math.max(len, keys.length * 2)];
      }
      for (int e = 0; e < len; e++) {
        keys[e] = ((long) cols[start[i] + e] << 32) | e;
      }
      Arrays.sort(keys, 0, len);
      outStart[i] = w;
      int last = -1;
      for (int e = 0; e < len; e++) {
        int col = (int) (keys[e] >>> 32);
        double v = vals[start[i] + (int) (keys[e] & 0xffffffffL)];
        if (col == last) {
          outVals[w - 1] += v;
        } else {
          outCols[w] = col;
          outVals[w++] = v;
          last = col;
        }
      }
    }
    outStart[n] = w;
    for (int e = 0; e < w; e++) {
      total += outVals[e];
    }
    for (int e = 0; e < w; e++) {
      outVals[e] /= total;
    }
    return new SparseP(outStart, Arrays.copyOf(outCols, w), Arrays.copyOf(outVals, w));
  }

  /** Gradient descent; returns the final KL divergence. {@code y} (n x 2) is updated in place. */
  private double optimise(
      SparseP p, double[] y, int n, double learningRate, TsneWorkers workers, Listener listener) {
    double[] grad = new double[2 * n];
    double[] update = new double[2 * n];
    double[] gains = new double[2 * n];
    Arrays.fill(gains, 1.0);
    GradientPass pass = new GradientPass(p, n, config.theta(), workers);
    for (int it = 0; it < config.iterations(); it++) {
      boolean early = it < config.earlyExaggerationIterations();
      double exaggeration = early ? config.earlyExaggeration() : 1.0;
      double momentum = early ? MOMENTUM_EARLY : MOMENTUM_LATE;
      boolean report =
          listener != null && (it + 1) % REPORT_EVERY == 0 && it + 1 < config.iterations();
      double kl = pass.run(y, exaggeration, grad, report);
      if (report) {
        // KL of the map this gradient was taken at, i.e. before this iteration's step
        listener.onProgress(it + 1, kl);
      }
      for (int c = 0; c < 2 * n; c++) {
        double g = grad[c];
        double u = update[c];
        gains[c] = (g > 0) != (u > 0) ? gains[c] + 0.2 : gains[c] * 0.8;
        if (gains[c] < MIN_GAIN) {
          gains[c] = MIN_GAIN;
        }
        update[c] = momentum * u - learningRate * gains[c] * g;
        y[c] += update[c];
      }
      recentre(y, n);
    }
    double kl = pass.run(y, 1.0, grad, true);
    if (listener != null) {
      listener.onProgress(config.iterations(), kl);
    }
    return kl;
  }

  private static void recentre(double[] y, int n) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += y[2 * i];
      my += y[2 * i + 1];
    }
    mx /= n;
    my /= n;
    for (int i = 0; i < n; i++) {
      y[2 * i] -= mx;
      y[2 * i + 1] -= my;
    }
  }

  /** One evaluation of the gradient (and optionally KL) at the current map. */
  private static final class GradientPass {
    private final SparseP p;
    private final int n;
    private final double theta2;
    private final TsneWorkers workers;
    private final double[] attract;
    private final double[] repulse;
    private final double[] zPart;
    private final double[] klPart;

    GradientPass(SparseP p, int n, double theta, TsneWorkers workers) {
      this.p = p;
      this.n = n;
      this.theta2 = theta * theta;
      this.workers = workers;
      attract = new double[2 * n];
      repulse = new double[2 * n];
      zPart = new double[n];
      klPart = new double[n];
    }

    /**
     * Fills {@code grad} with {@code 4 (exaggeration * F_attr - F_rep / Z)}; returns KL(P || Q)
     * (unexaggerated P) when {@code withKl}, else NaN.
     */
    double run(double[] y, double exaggeration, double[] grad, boolean withKl) {
      TsneQuadTree tree = new TsneQuadTree(y, n);
      int[] rowStart = p.rowStart();
      int[] cols = p.columns();
      double[] vals = p.values();
      workers.forRange(
          n,
          128,
          (from, to) -> {
            int[] stack = new int[4 * TsneQuadTree.MAX_DEPTH + 8];
            double[] force = new double[2];
            for (int i = from; i < to; i++) {
              double yx = y[2 * i];
              double yy = y[2 * i + 1];
              double ax = 0;
              double ay = 0;
              for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = cols[e];
                double dx = yx - y[2 * j];
                double dy = yy - y[2 * j + 1];
                double pq = vals[e] / (1.0 + dx * dx + dy * dy);
                ax += pq * dx;
                ay += pq * dy;
              }
              attract[2 * i] = ax;
              attract[2 * i + 1] = ay;
              force[0] = 0;
              force[1] = 0;
              zPart[i] = tree.repulsion(i, theta2, force, stack);
              repulse[2 * i] = force[0];
              repulse[2 * i + 1] = force[1];
            }
          });
      double z = 0;
      for (int i = 0; i < n; i++) {
        z += zPart[i];
      }
      double zz = z;
      for (int c = 0; c < 2 * n; c++) {
        grad[c] = 4.0 * (exaggeration * attract[c] - repulse[c] / zz);
      }
      if (!withKl) {
        return Double.NaN;
      }
      workers.forRange(
          n,
          256,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              double s = 0;
              for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = cols[e];
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1.0 / ((1.0 + dx * dx + dy * dy) * zz);
                double pij = vals[e];
                s +=
                    pij
                        * Math.log(
                            Math.max(pij, Double.MIN_NORMAL) / Math.max(q, Double.MIN_NORMAL));
              }
              klPart[i] = s;
            }
          });
      double kl = 0;
      for (int i = 0; i < n; i++) {
        kl += klPart[i];
      }
      return kl;
    }
  }

  /** N(0, 1e-4^2) coordinates from the seed. */
  static double[] randomInit(int n, long seed) {
    SplittableRandom rnd = Seeds.stream(seed, "tsne-init");
    double[] y = new double[2 * n];
    for (int i = 0; i < y.length; i++) {
      y[i] = INIT_STD * rnd.nextGaussian();
    }
    return y;
  }

  /**
   * Projection on the two leading principal components of the centred input (covariance + EJML
   * symmetric eigensolver), scaled so that column 0 has standard deviation 1e-4, as scikit-learn >=
   * 1.2. Each component's sign is fixed so that its largest-magnitude loading is positive. A
   * coordinate without spread (one input column, or all inputs on a line) gets random N(0, 1e-4^2)
   * values from {@code seed} instead, since gradient descent could never leave that line.
   */
  static double[] pcaInit(FloatMatrix x, long seed) {
    int n = x.rows();
    int d = x.cols();
    float[] data = x.data();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += data[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double[] cov = new double[d * d];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = data[i * d + j] - mean[j];
      }
      for (int a = 0; a < d; a++) {
        double ra = row[a];
        if (ra == 0) {
          continue;
        }
        int o = a * d;
        for (int b = a; b < d; b++) {
          cov[o + b] += ra * row[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < a; b++) {
        cov[a * d + b] = cov[b * d + a];
      }
    }
    double[][] components = new double[2][d];
    if (d == 1) {
      components[0][0] = 1;
    } else {
      EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
      if (!eig.decompose(new DMatrixRMaj(d, d, true, cov))) {
        throw new IllegalStateException(
            "t-SNE PCA init: eigendecomposition failed; use init RANDOM");
      }
      Integer[] order = new Integer[eig.getNumberOfEigenvalues()];
      for (int c = 0; c < order.length; c++) {
        order[c] = c;
      }
      Arrays.sort(
          order,
          (u, v) -> {
            int cmp = Double.compare(eig.getEigenvalue(v).real, eig.getEigenvalue(u).real);
            return cmp != 0 ? cmp : Integer.compare(u, v);
          });
      for (int c = 0; c < 2; c++) {
        DMatrixRMaj vec = eig.getEigenVector(order[c]);
        int arg = 0;
        for (int j = 0; j < d; j++) {
          components[c][j] = vec == null ? 0 : vec.get(j);
          if (Math.abs(components[c][j]) > Math.abs(components[c][arg])) {
            arg = j;
          }
        }
        if (components[c][arg] < 0) {
          for (int j = 0; j < d; j++) {
            components[c][j] = -components[c][j];
          }
        }
      }
    }
    double[] y = new double[2 * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 2; c++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += (data[i * d + j] - mean[j]) * components[c][j];
        }
        y[2 * i + c] = s;
      }
    }
    double var = 0;
    for (int i = 0; i < n; i++) {
      var += y[2 * i] * y[2 * i];
    }
    double std = Math.sqrt(var / n);
    double scale = std > 0 ? INIT_STD / std : 1.0;
    for (int i = 0; i < 2 * n; i++) {
      y[i] *= scale;
    }
    double[] random = randomInit(n, seed);
    for (int c = 0; c < 2; c++) {
      double ss = 0;
      for (int i = 0; i < n; i++) {
        ss += y[2 * i + c] * y[2 * i + c];
      }
      if (!(Math.sqrt(ss / n) > INIT_STD * 1e-6)) {
        for (int i = 0; i < n; i++) {
          y[2 * i + c] = random[2 * i + c];
        }
      }
    }
    return y;
  }
}
