package io.deepclust.reduce;

/**
 * Settings for {@link RandomizedPca}, named after scikit-learn's {@code PCA(svd_solver=
 * "randomized")} arguments.
 *
 * @param components number of principal components k, at least 1 (at most min(n, d), checked by
 *     fit)
 * @param whiten scale scores to unit variance, as {@link PcaConfig#whiten()}
 * @param oversamples extra random directions p beyond k (sklearn {@code n_oversamples}, default
 *     10), at least 0; the sketch has {@code l = min(k + p, n, d)} columns
 * @param powerIterations subspace (power) iterations q (sklearn {@code iterated_power}); {@link
 *     #AUTO} = sklearn's {@code 'auto'}: 7 if {@code k < 0.1 min(n, d)}, else 4; otherwise at least
 *     0
 * @param seed seed of the Gaussian test matrix (stream "randomized-pca" of {@link
 *     io.deepclust.util.Seeds})
 */
public record RandomizedPcaConfig(
    int components, boolean whiten, int oversamples, int powerIterations, long seed) {

  /** {@code powerIterations} value meaning sklearn's {@code iterated_power='auto'}. */
  public static final int AUTO = -1;

  /** Validates the fields. */
  public RandomizedPcaConfig {
    if (components < 1) {
      throw new IllegalArgumentException(
          "RandomizedPcaConfig.components = "
              + components
              + " is invalid; use components >= 1 (default 50)");
    }
    if (oversamples < 0) {
      throw new IllegalArgumentException(
          "RandomizedPcaConfig.oversamples = "
              + oversamples
              + " is invalid; use >= 0 (default 10, sklearn's n_oversamples)");
    }
    if (powerIterations < AUTO) {
      throw new IllegalArgumentException(
          "RandomizedPcaConfig.powerIterations = "
              + powerIterations
              + " is invalid; use -1 (auto) or a count >= 0");
    }
  }

  /** 50 components, no whitening, 10 oversamples, automatic power iterations, seed 0. */
  public static RandomizedPcaConfig defaults() {
    return new RandomizedPcaConfig(50, false, 10, AUTO, 0L);
  }

  /** The randomized counterpart of an exact-PCA configuration, with sklearn's defaults. */
  public static RandomizedPcaConfig of(PcaConfig pca, long seed) {
    return new RandomizedPcaConfig(pca.components(), pca.whiten(), 10, AUTO, seed);
  }

  /** A copy with another seed. */
  public RandomizedPcaConfig withSeed(long newSeed) {
    return new RandomizedPcaConfig(components, whiten, oversamples, powerIterations, newSeed);
  }

  /** A copy with a fixed number of power iterations. */
  public RandomizedPcaConfig withPowerIterations(int iterations) {
    return new RandomizedPcaConfig(components, whiten, oversamples, iterations, seed);
  }

  /** The number of power iterations used for an {@code n x d} input. */
  public int effectivePowerIterations(int n, int d) {
    if (powerIterations != AUTO) {
      return powerIterations;
    }
    return components < 0.1 * Math.min(n, d) ? 7 : 4;
  }
}
