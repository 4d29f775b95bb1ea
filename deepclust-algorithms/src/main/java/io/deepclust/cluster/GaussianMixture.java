package io.deepclust.cluster;

import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureConfig.InitialParameters;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.linalg.RowKey;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Gaussian mixture fitted by expectation-maximisation, following scikit-learn 1.2's {@code
 * GaussianMixture} step for step (Bishop, "Pattern Recognition and Machine Learning", 2006, sec.
 * 9.2.2):
 *
 * <ol>
 *   <li>Each of {@code nInit} initialisations sets responsibilities {@code r} ({@code n x k}) by
 *       {@link GaussianMixtureConfig.Init}: one k-means run's hard labels, k-means++ seed points,
 *       or uniform random rows normalised to 1. The starting weights ({@code nk / n}), means and
 *       covariances are estimated from them as in the M-step; any of weights / means / precisions
 *       given in {@link GaussianMixtureConfig#initialParameters()} replaces its estimate.
 *   <li>EM iterations: the E-step computes {@code log(w_j) + log N(x_i | mu_j, Sigma_j)} from the
 *       Cholesky factors of the precisions and normalises with log-sum-exp; its mean {@code
 *       log-sum-exp} is the lower bound (the mean log-likelihood per sample). The M-step sets
 *       {@code nk = sum_i r_ij + 10 eps}, {@code mu_j = sum_i r_ij x_i / nk}, the covariances of
 *       the type plus {@code regCovar} on the diagonal, and {@code w = nk / sum(nk)}. Stop when the
 *       lower bound changes by less than {@code tol}, or after {@code maxIter} iterations.
 *   <li>The initialisation with the highest final lower bound wins; a final E-step with its
 *       parameters gives the labels, so that {@code fit} and {@code predict} agree.
 * </ol>
 *
 * <p>Differences from scikit-learn, all at rounding level: covariances are accumulated around the
 * new means ({@code sum r (x - mu)(x - mu)^T}) rather than by scikit-learn's expanded {@code
 * E[xx^T] - mu mu^T} for tied and diag, which is more accurate for data far from the origin; sums
 * are sequential in fixed chunks of rows rather than numpy's pairwise sums. The random streams
 * differ from numpy's, so initialisations (other than fixed initial parameters) differ from
 * sklearn's. {@link GaussianMixtureModel#converged()} is the winning initialisation's flag, where
 * scikit-learn 1.2 reports whether any initialisation converged.
 *
 * <p>Degenerate inputs: fewer distinct rows than k (including all rows equal with k &gt; 1) is an
 * {@link IllegalArgumentException}. A component that loses all its samples during EM is kept, as in
 * scikit-learn: {@code nk = 10 eps} keeps its weight (about {@code 10 eps / n}) positive and
 * finite, its mean becomes the responsibility-weighted mean (0 if every responsibility underflowed
 * to 0) and its covariance {@code regCovar I}, so that no value becomes NaN; such a component
 * practically never wins a label. A covariance that is not positive definite (possible only with a
 * tiny or zero {@code regCovar}) is an {@link IllegalArgumentException} asking to raise {@code
 * regCovar} or lower k.
 *
 * <p>E and M steps run on {@code threads} workers over fixed chunks of {@value #CHUNK} rows whose
 * partial sums are combined in chunk order, so the result is bit-for-bit the same for any thread
 * count.
 */
public final class GaussianMixture implements Clusterer {
  private static final int CHUNK = 1024;

  /** numpy's {@code 10 * np.finfo(np.float64).eps}, added to every {@code nk}. */
  private static final double NK_FLOOR = 10 * Math.ulp(1.0);

  private final GaussianMixtureConfig config;

  public GaussianMixture(GaussianMixtureConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public GaussianMixtureConfig config() {
    return config;
  }

  /**
   * Fits the mixture and reports it as a hard clustering: labels = most probable component, centres
   * = the component means, inertia = sum of squared Euclidean distances of the samples to their
   * component's mean, iterations = EM iterations of the winning initialisation.
   *
   * @param x {@code n x d} samples, finite
   * @throws IllegalArgumentException as {@link #fitModel}
   */
  @Override
  public ClusterResult fit(FloatMatrix x) {
    return result(fitModel(x), x);
  }

  /** The fit, predicting new rows by their most probable component (not the nearest mean). */
  @Override
  public Fitted fitPredictor(FloatMatrix x) {
    GaussianMixtureModel model = fitModel(x);
    return Fitted.of(result(model, x), new ClusterModel.Mixture(model));
  }

  private static ClusterResult result(GaussianMixtureModel model, FloatMatrix x) {
    int k = model.k();
    int d = model.dims();
    float[] centers = new float[k * d];
    double[] meansFlat = GaussianMixtureModel.flatten(model.means());
    for (int i = 0; i < centers.length; i++) {
      centers[i] = (float) meansFlat[i];
    }
    int[] labels = model.labels();
    double inertia = 0;
    for (int i = 0; i < labels.length; i++) {
      inertia += KMeans.squaredDistance(x.data(), i * d, meansFlat, labels[i] * d, d);
    }
    return new ClusterResult(
        labels, new FloatMatrix(k, d, centers), inertia, model.nIter(), model.bestRun());
  }

  /**
   * Fits the mixture by EM, scikit-learn's {@code GaussianMixture.fit}.
   *
   * @param x {@code n x d} samples, finite, with at least k distinct rows
   * @return weights, means, covariances, precision factors, lower bound, convergence, iterations
   *     and the training labels
   * @throws IllegalArgumentException if x has no columns, a non-finite value, fewer distinct rows
   *     than k, initial parameters of the wrong shape or range, or a covariance that is not
   *     positive definite; the message says what to change
   */
  public GaussianMixtureModel fitModel(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int d = x.cols();
    int k = config.k();
    if (d < 1) {
      throw new IllegalArgumentException(
          "Gaussian mixture input has 0 columns; give at least 1 feature");
    }
    if (k > n) {
      throw new IllegalArgumentException(
          "Gaussian mixture k = "
              + k
              + " exceeds the number of samples n = "
              + n
              + "; choose k <= "
              + n
              + " or supply more samples");
    }
    KMeans.requireFinite(x, "Gaussian mixture input");
    requireDistinctRows(x, k);
    Fixed fixed = Fixed.of(config.initialParameters(), config.covarianceType(), k, d);

    try (WorkerPool pool = new WorkerPool(config.threads(), "gmm")) {
      Em em = new Em(x, k, config.covarianceType(), config.regCovar(), pool);
      Params best = null;
      double bestLowerBound = Double.NEGATIVE_INFINITY;
      int bestIter = 0;
      int bestRun = 0;
      boolean bestConverged = false;
      for (int run = 0; run < config.nInit(); run++) {
        Params params = initialParams(em, x, fixed, run);
        double lowerBound = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int iter = 1;
        for (; iter <= config.maxIter(); iter++) {
          double previous = lowerBound;
          lowerBound = em.eStep(params);
          params = em.mStep();
          if (Math.abs(lowerBound - previous) < config.tol()) {
            converged = true;
            break;
          }
        }
        iter = Math.min(iter, config.maxIter());
        if (best == null || lowerBound > bestLowerBound) {
          best = params;
          bestLowerBound = lowerBound;
          bestIter = iter;
          bestRun = run;
          bestConverged = converged;
        }
      }
      em.eStep(best);
      int[] labels = em.labels();
      double[][] means = new double[k][d];
      for (int j = 0; j < k; j++) {
        System.arraycopy(best.means, j * d, means[j], 0, d);
      }
      return new GaussianMixtureModel(
          config.covarianceType(),
          best.weights,
          means,
          best.covariances,
          best.precChol,
          bestLowerBound,
          bestConverged,
          bestIter,
          bestRun,
          labels);
    }
  }

  /** Starting parameters of initialisation {@code run}: from responsibilities, then the fixed. */
  private Params initialParams(Em em, FloatMatrix x, Fixed fixed, int run) {
    int n = x.rows();
    int d = x.cols();
    int k = config.k();
    CovarianceType type = config.covarianceType();
    Params fromResp = null;
    if (!fixed.complete()) {
      fromResp = em.estimate(initialResponsibilities(x, run));
      // sklearn: weights = nk / n_samples (not renormalised) when weights_init is not given.
      for (int j = 0; j < k; j++) {
        fromResp.weights[j] = fromResp.nk[j] / n;
      }
    }
    double[] weights = fixed.weights != null ? fixed.weights : fromResp.weights;
    double[] means = fixed.means != null ? fixed.means : fromResp.means;
    if (fixed.precisions == null) {
      return new Params(
          weights, means, fromResp.covariances, fromResp.precChol, false, fromResp.nk);
    }
    // sklearn: precisions_cholesky_ = the lower Cholesky factor of precisions_init.
    double[] factor = fixed.precisions.clone();
    switch (type) {
      case FULL -> {
        for (int j = 0; j < k; j++) {
          lowerCholesky(factor, j * d * d, d, "initial precision of component " + j);
        }
      }
      case TIED -> lowerCholesky(factor, 0, d, "initial tied precision");
      case DIAG, SPHERICAL -> {
        for (int i = 0; i < factor.length; i++) {
          factor[i] = Math.sqrt(factor[i]);
        }
      }
    }
    return new Params(
        weights,
        means,
        null,
        factor,
        type == CovarianceType.FULL || type == CovarianceType.TIED,
        null);
  }

  /** The {@code n x k} starting responsibilities of initialisation {@code run}. */
  private double[] initialResponsibilities(FloatMatrix x, int run) {
    int n = x.rows();
    int k = config.k();
    String purpose = "gmm/init/" + run;
    double[] resp = new double[n * k];
    switch (config.init()) {
      case KMEANS -> {
        KMeansConfig km = new KMeansConfig(k, 1, 300, 1e-4, Seeds.mix(config.seed(), purpose), 1);
        int[] labels = new KMeans(km).fit(x).labels();
        for (int i = 0; i < n; i++) {
          resp[i * k + labels[i]] = 1;
        }
      }
      case K_MEANS_PLUS_PLUS -> {
        KMeans.Data data = KMeans.Data.of(x);
        double[] seeds = KMeans.kmeansPlusPlus(data, k, Seeds.stream(config.seed(), purpose));
        for (int j = 0; j < k; j++) {
          resp[rowOf(data, seeds, j) * k + j] = 1;
        }
      }
      case RANDOM -> {
        SplittableRandom rng = Seeds.stream(config.seed(), purpose);
        for (int i = 0; i < n; i++) {
          double sum = 0;
          for (int j = 0; j < k; j++) {
            double u = rng.nextDouble();
            resp[i * k + j] = u;
            sum += u;
          }
          for (int j = 0; j < k; j++) {
            resp[i * k + j] /= sum;
          }
        }
      }
    }
    return resp;
  }

  /** Index of the data row that k-means++ copied into seed {@code j} (seeds are exact copies). */
  private static int rowOf(KMeans.Data data, double[] seeds, int j) {
    int d = data.d;
    for (int i = 0; i < data.n; i++) {
      boolean same = true;
      for (int f = 0; f < d && same; f++) {
        same = data.x[i * d + f] == seeds[j * d + f];
      }
      if (same) {
        return i;
      }
    }
    throw new IllegalStateException("k-means++ seed " + j + " is not a data row");
  }

  /**
   * Rejects inputs with fewer than k distinct rows: some component would have no sample of its own,
   * and EM could not separate them. Stops scanning once k distinct rows are seen.
   */
  private static void requireDistinctRows(FloatMatrix x, int k) {
    if (k == 1) {
      return;
    }
    Set<RowKey> seen = new HashSet<>();
    for (int i = 0; i < x.rows() && seen.size() < k; i++) {
      seen.add(RowKey.of(x, i));
    }
    if (seen.size() < k) {
      int distinct = seen.size();
      throw new IllegalArgumentException(
          "Gaussian mixture k = "
              + k
              + " exceeds the "
              + distinct
              + " distinct point"
              + (distinct == 1 ? " (all " + x.rows() + " samples are equal)" : "s")
              + " of the input; choose k <= "
              + distinct
              + " or supply more varied data");
    }
  }

  /**
   * In place: the lower Cholesky factor of the symmetric {@code d x d} block at {@code offset}
   * (row-major), upper part zeroed.
   */
  private static void lowerCholesky(double[] a, int offset, int d, String what) {
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    System.arraycopy(a, offset, m.data, 0, d * d);
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    DMatrixRMaj lower = chol.decompose(m) ? chol.getT(null) : null;
    if (lower == null || !positiveFiniteDiagonal(lower.data, d)) {
      throw new IllegalArgumentException(
          what + " is not symmetric positive definite; give a positive definite precision matrix");
    }
    System.arraycopy(lower.data, 0, a, offset, d * d);
  }

  /**
   * Whether a triangular factor has a positive, finite diagonal and finite entries (EJML accepts a
   * zero pivot, which would give an infinite inverse).
   */
  private static boolean positiveFiniteDiagonal(double[] l, int d) {
    for (int i = 0; i < d * d; i++) {
      if (!Double.isFinite(l[i])) {
        return false;
      }
    }
    for (int f = 0; f < d; f++) {
      if (!(l[f * d + f] > 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * In place: turns the covariance block at {@code offset} into its precision factor {@code U =
   * inv(L)^T} (upper triangular, {@code U U^T = inv(Sigma)}), as sklearn's {@code
   * _compute_precision_cholesky}.
   *
   * @return false if the covariance is not positive definite
   */
  private static boolean precisionCholesky(double[] cov, double[] out, int offset, int d) {
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    System.arraycopy(cov, offset, m.data, 0, d * d);
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    if (!chol.decompose(m)) {
      return false;
    }
    double[] l = chol.getT(null).data;
    if (!positiveFiniteDiagonal(l, d)) {
      return false;
    }
    TriangularSolver_DDRM.invertLower(l, d);
    if (!positiveFiniteDiagonal(l, d)) {
      return false;
    }
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        // transpose of the lower inverse; its upper-left zeros stay zero
        out[offset + r * d + c] = r <= c ? l[c * d + r] : 0;
      }
    }
    return true;
  }

  /** Checked copies of the fixed initial parameters, each null when not given. */
  private record Fixed(double[] weights, double[] means, double[] precisions) {
    boolean complete() {
      return weights != null && means != null && precisions != null;
    }

    static Fixed of(InitialParameters p, CovarianceType type, int k, int d) {
      if (p == null) {
        return new Fixed(null, null, null);
      }
      double[] weights = null;
      if (p.weights() != null) {
        weights = p.weights().clone();
        if (weights.length != k) {
          throw new IllegalArgumentException(
              "initial weights have " + weights.length + " entries; give k = " + k);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          if (!(weights[j] >= 0 && weights[j] <= 1)) {
            throw new IllegalArgumentException(
                "initial weight " + j + " = " + weights[j] + " is outside [0, 1]");
          }
          sum += weights[j];
        }
        if (Math.abs(1 - sum) > 1e-8) {
          throw new IllegalArgumentException(
              "initial weights sum to " + sum + "; give weights that sum to 1");
        }
      }
      double[] means = null;
      if (p.means() != null) {
        if (p.means().length != k) {
          throw new IllegalArgumentException(
              "initial means have " + p.means().length + " rows; give k = " + k);
        }
        means = new double[k * d];
        for (int j = 0; j < k; j++) {
          if (p.means()[j].length != d) {
            throw new IllegalArgumentException(
                "initial mean " + j + " has " + p.means()[j].length + " values; give d = " + d);
          }
          System.arraycopy(p.means()[j], 0, means, j * d, d);
        }
        requireFiniteValues(means, "initial means");
      }
      double[] precisions = null;
      if (p.precisions() != null) {
        precisions = p.precisions().clone();
        int size = GaussianMixtureModel.parameterSize(type, k, d);
        if (precisions.length != size) {
          throw new IllegalArgumentException(
              "initial "
                  + type.sklearnName()
                  + " precisions have "
                  + precisions.length
                  + " values; give "
                  + size
                  + " (k = "
                  + k
                  + ", d = "
                  + d
                  + ")");
        }
        requireFiniteValues(precisions, "initial precisions");
        if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
          for (int i = 0; i < size; i++) {
            if (!(precisions[i] > 0)) {
              throw new IllegalArgumentException(
                  "initial precision " + i + " = " + precisions[i] + " is not positive");
            }
          }
        } else {
          for (int m = 0; m < size / (d * d); m++) {
            for (int a = 0; a < d; a++) {
              for (int b = 0; b < a; b++) {
                double u = precisions[m * d * d + a * d + b];
                double l = precisions[m * d * d + b * d + a];
                if (Math.abs(u - l) > 1e-10 * Math.max(Math.abs(u), Math.abs(l))) {
                  throw new IllegalArgumentException(
                      "initial precision matrix "
                          + m
                          + " is not symmetric at ("
                          + a
                          + ", "
                          + b
                          + ")");
                }
              }
            }
          }
        }
      }
      return new Fixed(weights, means, precisions);
    }
  }

  private static void requireFiniteValues(double[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(what + " have a non-finite value at index " + i);
      }
    }
  }

  /** Current parameters; arrays are flat as in {@link GaussianMixtureModel}. */
  private record Params(
      double[] weights,
      double[] means,
      double[] covariances,
      double[] precChol,
      boolean lowerFactor,
      double[] nk) {}

  /** The E and M steps on one data set, with chunked partial sums. */
  private final class Em {
    private final float[] x;
    private final int n;
    private final int d;
    private final int k;
    private final CovarianceType type;
    private final double regCovar;
    private final WorkerPool pool;
    private final int chunks;

    /** Responsibilities of the last E-step, {@code n x k}. */
    private final double[] resp;

    private final int[] argmax;
    private final double[] chunkLogProb;

    Em(FloatMatrix m, int k, CovarianceType type, double regCovar, WorkerPool pool) {
      this.x = m.data();
      this.n = m.rows();
      this.d = m.cols();
      this.k = k;
      this.type = type;
      this.regCovar = regCovar;
      this.pool = pool;
      this.chunks = (n + CHUNK - 1) / CHUNK;
      this.resp = new double[n * k];
      this.argmax = new int[n];
      this.chunkLogProb = new double[chunks];
    }

    /**
     * E-step: responsibilities into {@link #resp} and labels into {@link #argmax}.
     *
     * @return the mean log-likelihood per sample under {@code p}
     */
    double eStep(Params p) {
      GaussianMixtureModel.Estimator est =
          new GaussianMixtureModel.Estimator(
              type, p.weights, p.means, p.precChol, d, p.lowerFactor);
      pool.forEach(
          chunks,
          c -> {
            double[] diff = new double[d];
            double[] wlp = new double[k];
            double sum = 0;
            int end = Math.min(n, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
              est.weightedLogProb(x, i * d, diff, wlp);
              double norm = GaussianMixtureModel.logSumExp(wlp, k);
              sum += norm;
              argmax[i] = GaussianMixtureModel.argmax(wlp, k);
              for (int j = 0; j < k; j++) {
                resp[i * k + j] = Math.exp(wlp[j] - norm);
              }
            }
            chunkLogProb[c] = sum;
          });
      double total = 0;
      for (double s : chunkLogProb) {
        total += s;
      }
      return total / n;
    }

    int[] labels() {
      return argmax.clone();
    }

    /** M-step from the responsibilities of the last E-step; weights normalised to sum 1. */
    Params mStep() {
      Params p = estimate(resp);
      double total = 0;
      for (double v : p.nk) {
        total += v;
      }
      for (int j = 0; j < k; j++) {
        p.weights[j] = p.nk[j] / total;
      }
      return p;
    }

    /**
     * sklearn's {@code _estimate_gaussian_parameters} and {@code _compute_precision_cholesky}:
     * {@code nk} (stored also as unnormalised weights), means, covariances and precision factors
     * from {@code r} ({@code n x k}).
     */
    Params estimate(double[] r) {
      // Pass 1: nk and sum_i r_ij x_i.
      double[][] nkPart = new double[chunks][k];
      double[][] sumPart = new double[chunks][k * d];
      pool.forEach(
          chunks,
          c -> {
            double[] nk = nkPart[c];
            double[] sum = sumPart[c];
            int end = Math.min(n, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
              for (int j = 0; j < k; j++) {
                double w = r[i * k + j];
                if (w == 0) {
                  continue;
                }
                nk[j] += w;
                for (int f = 0; f < d; f++) {
                  sum[j * d + f] += w * x[i * d + f];
                }
              }
            }
          });
      double[] nk = new double[k];
      double[] means = new double[k * d];
      for (int c = 0; c < chunks; c++) {
        for (int j = 0; j < k; j++) {
          nk[j] += nkPart[c][j];
        }
        for (int i = 0; i < k * d; i++) {
          means[i] += sumPart[c][i];
        }
      }
      for (int j = 0; j < k; j++) {
        nk[j] += NK_FLOOR;
        for (int f = 0; f < d; f++) {
          means[j * d + f] /= nk[j];
        }
      }

      // Pass 2: responsibility-weighted scatter around the new means.
      boolean matrix = type == CovarianceType.FULL || type == CovarianceType.TIED;
      int blocks = type == CovarianceType.FULL ? k : 1;
      int partSize = matrix ? blocks * d * d : k * d;
      double[][] scatterPart = new double[chunks][partSize];
      pool.forEach(
          chunks,
          c -> {
            double[] s = scatterPart[c];
            double[] diff = new double[d];
            int end = Math.min(n, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
              for (int j = 0; j < k; j++) {
                double w = r[i * k + j];
                if (w == 0) {
                  continue;
                }
                for (int f = 0; f < d; f++) {
                  diff[f] = x[i * d + f] - means[j * d + f];
                }
                if (matrix) {
                  int base = type == CovarianceType.FULL ? j * d * d : 0;
                  for (int a = 0; a < d; a++) {
                    double wa = w * diff[a];
                    int row = base + a * d;
                    for (int b = 0; b <= a; b++) {
                      s[row + b] += wa * diff[b];
                    }
                  }
                } else {
                  for (int f = 0; f < d; f++) {
                    s[j * d + f] += w * diff[f] * diff[f];
                  }
                }
              }
            }
          });
      double[] scatter = new double[partSize];
      for (int c = 0; c < chunks; c++) {
        double[] s = scatterPart[c];
        for (int i = 0; i < partSize; i++) {
          scatter[i] += s[i];
        }
      }

      double[] cov = new double[GaussianMixtureModel.parameterSize(type, k, d)];
      switch (type) {
        case FULL, TIED -> {
          double totalNk = 0;
          for (double v : nk) {
            totalNk += v;
          }
          for (int m = 0; m < blocks; m++) {
            double denom = type == CovarianceType.FULL ? nk[m] : totalNk;
            int base = m * d * d;
            for (int a = 0; a < d; a++) {
              for (int b = 0; b <= a; b++) {
                double v = scatter[base + a * d + b] / denom;
                cov[base + a * d + b] = v;
                cov[base + b * d + a] = v;
              }
              cov[base + a * d + a] += regCovar;
            }
          }
        }
        case DIAG -> {
          for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
              cov[j * d + f] = scatter[j * d + f] / nk[j] + regCovar;
            }
          }
        }
        case SPHERICAL -> {
          for (int j = 0; j < k; j++) {
            double s = 0;
            for (int f = 0; f < d; f++) {
              s += scatter[j * d + f] / nk[j] + regCovar;
            }
            cov[j] = s / d;
          }
        }
      }

      double[] precChol = new double[cov.length];
      switch (type) {
        case FULL, TIED -> {
          for (int m = 0; m < blocks; m++) {
            if (!precisionCholesky(cov, precChol, m * d * d, d)) {
              throw notPositiveDefinite(type == CovarianceType.FULL ? "of component " + m : "");
            }
          }
        }
        case DIAG, SPHERICAL -> {
          for (int i = 0; i < cov.length; i++) {
            if (!(cov[i] > 0)) {
              int j = type == CovarianceType.DIAG ? i / d : i;
              throw notPositiveDefinite("of component " + j);
            }
            precChol[i] = 1 / Math.sqrt(cov[i]);
          }
        }
      }
      return new Params(nk.clone(), means, cov, precChol, false, nk);
    }

    private IllegalArgumentException notPositiveDefinite(String which) {
      return new IllegalArgumentException(
          "Gaussian mixture: the "
              + type.sklearnName()
              + " covariance "
              + (which.isEmpty() ? "" : which + " ")
              + "is not positive definite (a component collapsed onto too few distinct points, or"
              + " a feature is constant); increase regCovar (now "
              + regCovar
              + "), decrease k (now "
              + k
              + ") or use covariance type diag / spherical");
    }
  }
}
