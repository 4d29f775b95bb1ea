package io.deepclust.cluster;

import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * A fitted Gaussian mixture ({@link GaussianMixture#fitModel}), with scikit-learn's {@code
 * GaussianMixture} attributes and its {@code predict}, {@code predict_proba}, {@code
 * score_samples}, {@code score}, {@code bic} and {@code aic}. Arrays are shared, not copied; the
 * record's {@code equals} compares them by reference.
 *
 * <p>Flat parameter layouts are row-major in scikit-learn's shapes for the covariance type: full
 * {@code k x d x d}, tied {@code d x d}, diag {@code k x d}, spherical {@code k}.
 *
 * @param covarianceType the covariance form
 * @param weights mixing weights, length k, positive, summing to 1 ({@code weights_})
 * @param means {@code k x d} component means ({@code means_})
 * @param covariances covariances including {@code regCovar} on the diagonal, flat as above ({@code
 *     covariances_})
 * @param precisionsCholesky {@code U} with {@code U U^T} = the precision (inverse covariance), flat
 *     as above: upper triangular for full / tied, {@code 1 / sqrt(variance)} for diag / spherical
 *     ({@code precisions_cholesky_})
 * @param lowerBound mean log-likelihood per sample of the winning initialisation at its last E-step
 *     ({@code lower_bound_})
 * @param converged whether the winning initialisation stopped on {@code tol} before {@code maxIter}
 * @param nIter EM iterations of the winning initialisation ({@code n_iter_}), in [1, maxIter]
 * @param bestRun index of the winning initialisation, in [0, nInit)
 * @param labels most probable component of each training sample (a final E-step, as {@code
 *     fit_predict}), length n, values in [0, k)
 */
public record GaussianMixtureModel(
    CovarianceType covarianceType,
    double[] weights,
    double[][] means,
    double[] covariances,
    double[] precisionsCholesky,
    double lowerBound,
    boolean converged,
    int nIter,
    int bestRun,
    int[] labels) {

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  /** Checks that the parameter shapes agree with {@code k = weights.length} and the type. */
  public GaussianMixtureModel {
    Objects.requireNonNull(covarianceType, "covarianceType");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(means, "means");
    Objects.requireNonNull(covariances, "covariances");
    Objects.requireNonNull(precisionsCholesky, "precisionsCholesky");
    Objects.requireNonNull(labels, "labels");
    int k = weights.length;
    if (k < 1 || means.length != k) {
      throw new IllegalArgumentException(
          "weights has " + k + " entries and means " + means.length + " rows; both must be k >= 1");
    }
    int d = means[0].length;
    int size = parameterSize(covarianceType, k, d);
    if (covariances.length != size || precisionsCholesky.length != size) {
      throw new IllegalArgumentException(
          covarianceType.sklearnName()
              + " covariances need "
              + size
              + " values for k = "
              + k
              + ", d = "
              + d
              + "; got "
              + covariances.length
              + " covariances and "
              + precisionsCholesky.length
              + " precision factors");
    }
  }

  /** Number of components. */
  public int k() {
    return weights.length;
  }

  /** Number of features. */
  public int dims() {
    return means[0].length;
  }

  /**
   * The {@code d x d} covariance matrix of component {@code j}, expanded from any covariance type
   * (tied: the shared matrix; diag / spherical: a diagonal matrix).
   *
   * @throws IndexOutOfBoundsException if {@code j} is not in [0, k)
   */
  public double[][] covariance(int j) {
    Objects.checkIndex(j, k());
    int d = dims();
    double[][] c = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        c[a][b] =
            switch (covarianceType) {
              case FULL -> covariances[j * d * d + a * d + b];
              case TIED -> covariances[a * d + b];
              case DIAG -> a == b ? covariances[j * d + a] : 0;
              case SPHERICAL -> a == b ? covariances[j] : 0;
            };
      }
    }
    return c;
  }

  /**
   * Most probable component of each row, {@code argmax_j log(w_j) + log N(x | mu_j, Sigma_j)},
   * first component on ties (scikit-learn's {@code predict}).
   *
   * @param x {@code m x d} samples
   * @return labels, length m, values in [0, k)
   * @throws IllegalArgumentException if {@code x} has not d columns
   */
  public int[] predict(FloatMatrix x) {
    Estimator est = estimator();
    int m = checkColumns(x);
    int k = k();
    double[] wlp = new double[k];
    double[] scratch = new double[dims()];
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      est.weightedLogProb(x.data(), i * dims(), scratch, wlp);
      out[i] = argmax(wlp, k);
    }
    return out;
  }

  /**
   * Posterior probabilities of the components (responsibilities), computed in log space with
   * log-sum-exp (scikit-learn's {@code predict_proba}).
   *
   * @param x {@code m x d} samples
   * @return {@code m x k}, each row non-negative and summing to 1 (to float rounding)
   * @throws IllegalArgumentException if {@code x} has not d columns
   */
  public FloatMatrix predictProba(FloatMatrix x) {
    Estimator est = estimator();
    int m = checkColumns(x);
    int k = k();
    double[] wlp = new double[k];
    double[] scratch = new double[dims()];
    float[] out = new float[m * k];
    for (int i = 0; i < m; i++) {
      est.weightedLogProb(x.data(), i * dims(), scratch, wlp);
      double norm = logSumExp(wlp, k);
      for (int j = 0; j < k; j++) {
        out[i * k + j] = (float) Math.exp(wlp[j] - norm);
      }
    }
    return new FloatMatrix(m, k, out);
  }

  /**
   * Log-likelihood of each row under the mixture, {@code log sum_j w_j N(x | mu_j, Sigma_j)}
   * (scikit-learn's {@code score_samples}).
   *
   * @param x {@code m x d} samples
   * @return length m, in nats
   * @throws IllegalArgumentException if {@code x} has not d columns
   */
  public double[] scoreSamples(FloatMatrix x) {
    Estimator est = estimator();
    int m = checkColumns(x);
    double[] wlp = new double[k()];
    double[] scratch = new double[dims()];
    double[] out = new double[m];
    for (int i = 0; i < m; i++) {
      est.weightedLogProb(x.data(), i * dims(), scratch, wlp);
      out[i] = logSumExp(wlp, k());
    }
    return out;
  }

  /**
   * Mean log-likelihood per sample (scikit-learn's {@code score}).
   *
   * @param x {@code m x d} samples, m at least 1
   * @return nats per sample
   * @throws IllegalArgumentException if {@code x} has not d columns or no rows
   */
  public double score(FloatMatrix x) {
    double[] s = scoreSamples(x);
    if (s.length == 0) {
      throw new IllegalArgumentException("score needs at least one sample, got 0 rows");
    }
    double sum = 0;
    for (double v : s) {
      sum += v;
    }
    return sum / s.length;
  }

  /**
   * Bayesian information criterion, {@code -2 m score(x) + p ln(m)} with p = {@link #nParameters()}
   * (scikit-learn's {@code bic}); lower is better.
   *
   * @param x {@code m x d} samples, m at least 1
   */
  public double bic(FloatMatrix x) {
    return -2 * score(x) * x.rows() + nParameters() * Math.log(x.rows());
  }

  /**
   * Akaike information criterion, {@code -2 m score(x) + 2 p} with p = {@link #nParameters()}
   * (scikit-learn's {@code aic}); lower is better.
   *
   * @param x {@code m x d} samples, m at least 1
   */
  public double aic(FloatMatrix x) {
    return -2 * score(x) * x.rows() + 2.0 * nParameters();
  }

  /**
   * Free parameters (scikit-learn's {@code _n_parameters}): {@code k d} means, {@code k - 1}
   * weights, and covariances: full {@code k d (d + 1) / 2}, tied {@code d (d + 1) / 2}, diag {@code
   * k d}, spherical {@code k}.
   */
  public int nParameters() {
    int k = k();
    int d = dims();
    int cov =
        switch (covarianceType) {
          case FULL -> k * d * (d + 1) / 2;
          case TIED -> d * (d + 1) / 2;
          case DIAG -> k * d;
          case SPHERICAL -> k;
        };
    return cov + k * d + k - 1;
  }

  private int checkColumns(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    if (x.cols() != dims()) {
      throw new IllegalArgumentException(
          "Gaussian mixture input has "
              + x.cols()
              + " columns but the model was fitted on "
              + dims()
              + "; give samples with "
              + dims()
              + " features");
    }
    return x.rows();
  }

  private Estimator estimator() {
    return new Estimator(
        covarianceType, weights, flatten(means), precisionsCholesky, dims(), false);
  }

  static double[] flatten(double[][] rows) {
    int d = rows[0].length;
    double[] flat = new double[rows.length * d];
    for (int j = 0; j < rows.length; j++) {
      System.arraycopy(rows[j], 0, flat, j * d, d);
    }
    return flat;
  }

  /** Length of a flat covariance / precision array of this type. */
  static int parameterSize(CovarianceType type, int k, int d) {
    return switch (type) {
      case FULL -> k * d * d;
      case TIED -> d * d;
      case DIAG -> k * d;
      case SPHERICAL -> k;
    };
  }

  /** {@code log(sum_j exp(v_j))} over {@code v[0..k)}, shifted by the maximum (no overflow). */
  static double logSumExp(double[] v, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, v[j]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(v[j] - max);
    }
    return max + Math.log(sum);
  }

  /** First index of the maximum of {@code v[0..k)} (numpy's argmax). */
  static int argmax(double[] v, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[j] > v[best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * Weighted log densities {@code log(w_j) + log N(x | mu_j, Sigma_j)} from the precision Cholesky
   * factors, scikit-learn's {@code _estimate_weighted_log_prob}: {@code -0.5 (d log(2 pi) + ||(x -
   * mu_j) U_j||^2) + sum(log diag U_j) + log w_j}.
   */
  static final class Estimator {
    private final CovarianceType type;
    private final int k;
    private final int d;
    private final double[] means;

    /** Full / tied: the factors transposed per block; diag / spherical: the factors. */
    private final double[] factor;

    private final boolean lowerFactor;
    private final double[] constant;

    /**
     * @param means flat {@code k x d}
     * @param precChol flat factors; full / tied are upper triangular, or lower triangular when
     *     {@code lowerFactor} (the Cholesky factor of a given {@code precisions_init})
     */
    Estimator(
        CovarianceType type,
        double[] weights,
        double[] means,
        double[] precChol,
        int d,
        boolean lowerFactor) {
      this.type = type;
      this.k = weights.length;
      this.d = d;
      this.means = means;
      this.lowerFactor = lowerFactor;
      if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
        // Transposed blocks, so that the E-step reads each column of U contiguously.
        double[] t = new double[precChol.length];
        for (int base = 0; base < t.length; base += d * d) {
          for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
              t[base + c * d + r] = precChol[base + r * d + c];
            }
          }
        }
        this.factor = t;
      } else {
        this.factor = precChol;
      }
      this.constant = new double[k];
      for (int j = 0; j < k; j++) {
        constant[j] = Math.log(weights[j]) + logDetCholesky(j) - 0.5 * d * LOG_2PI;
      }
    }

    /** {@code sum(log diag U_j)} = half the log-determinant of the precision. */
    private double logDetCholesky(int j) {
      double s = 0;
      switch (type) {
        case FULL, TIED -> {
          int base = type == CovarianceType.FULL ? j * d * d : 0;
          for (int f = 0; f < d; f++) {
            s += Math.log(factor[base + f * d + f]);
          }
        }
        case DIAG -> {
          for (int f = 0; f < d; f++) {
            s += Math.log(factor[j * d + f]);
          }
        }
        case SPHERICAL -> s = d * Math.log(factor[j]);
      }
      return s;
    }

    /**
     * Writes the k weighted log densities of row {@code x[offset .. offset + d)} into {@code out}.
     *
     * @param diff scratch of length d
     */
    void weightedLogProb(float[] x, int offset, double[] diff, double[] out) {
      for (int j = 0; j < k; j++) {
        int mo = j * d;
        for (int f = 0; f < d; f++) {
          diff[f] = x[offset + f] - means[mo + f];
        }
        double q = 0;
        switch (type) {
          case FULL, TIED -> {
            int base = type == CovarianceType.FULL ? j * d * d : 0;
            for (int c = 0; c < d; c++) {
              // y_c = sum_r diff_r U[r][c], over the non-zero rows of column c only.
              double y = 0;
              int from = lowerFactor ? c : 0;
              int to = lowerFactor ? d - 1 : c;
              int col = base + c * d;
              for (int r = from; r <= to; r++) {
                y += diff[r] * factor[col + r];
              }
              q += y * y;
            }
          }
          case DIAG -> {
            for (int f = 0; f < d; f++) {
              double y = diff[f] * factor[mo + f];
              q += y * y;
            }
          }
          case SPHERICAL -> {
            double s = 0;
            for (int f = 0; f < d; f++) {
              s += diff[f] * diff[f];
            }
            double p = factor[j];
            q = s * p * p;
          }
        }
        out[j] = constant[j] - 0.5 * q;
      }
    }
  }
}
