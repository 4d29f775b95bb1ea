package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * A fitted PCA: {@code transform(x) = (x - mean) components^T}, optionally divided column-wise by
 * {@code sqrt(explainedVariance)} when whitening.
 *
 * @param mean column means of the fitted data, length d
 * @param components {@code k x d} principal axes (unit rows), by decreasing explained variance; the
 *     sign of each row is fixed so that its largest-magnitude loading is positive (sklearn's {@code
 *     svd_flip} fixes signs differently, so rows may differ from sklearn's by a factor -1)
 * @param explainedVariance variance of the data along each component (eigenvalues of the covariance
 *     with divisor n - 1), length k
 * @param explainedVarianceRatio {@code explainedVariance / total variance} (the trace of the
 *     covariance), length k
 * @param whiten whether {@link #transform} scales scores to unit variance
 */
public record PcaModel(
    double[] mean,
    FloatMatrix components,
    double[] explainedVariance,
    double[] explainedVarianceRatio,
    boolean whiten)
    implements FittedReducer {

  /** Checks that the shapes agree. */
  public PcaModel {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(components, "components");
    Objects.requireNonNull(explainedVariance, "explainedVariance");
    Objects.requireNonNull(explainedVarianceRatio, "explainedVarianceRatio");
    int k = components.rows();
    if (components.cols() != mean.length) {
      throw new IllegalArgumentException(
          "PCA components have " + components.cols() + " columns but mean has " + mean.length);
    }
    if (explainedVariance.length != k || explainedVarianceRatio.length != k) {
      throw new IllegalArgumentException(
          "PCA has "
              + k
              + " components but "
              + explainedVariance.length
              + " explained variances and "
              + explainedVarianceRatio.length
              + " ratios");
    }
  }

  /** Number of components k. */
  public int k() {
    return components.rows();
  }

  /** Number of input features d. */
  public int dimensions() {
    return mean.length;
  }

  /**
   * Projects rows onto the principal axes using all available processors.
   *
   * @param x {@code n x d} samples
   * @return {@code n x k} scores
   */
  public FloatMatrix transform(FloatMatrix x) {
    return transform(x, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Projects rows onto the principal axes with {@code threads} workers (the result does not depend
   * on {@code threads}).
   *
   * @param x {@code n x d} samples
   * @return {@code n x k} scores
   */
  public FloatMatrix transform(FloatMatrix x, int threads) {
    return Pca.project(this, x, threads);
  }

  /** {@code PCA-k of d-d keeps p% of the variance}. */
  @Override
  public String summary() {
    double kept = 0;
    for (double v : explainedVarianceRatio) {
      kept += v;
    }
    return String.format(
        java.util.Locale.ROOT,
        "PCA-%d of %d-d features keeps %.1f%% of the variance%s",
        k(),
        dimensions(),
        100 * kept,
        whiten ? " (whitened)" : "");
  }
}
