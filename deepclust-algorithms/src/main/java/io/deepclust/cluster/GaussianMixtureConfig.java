package io.deepclust.cluster;

import java.util.Locale;
import java.util.Objects;

/**
 * Settings for {@link GaussianMixture}, mirroring scikit-learn's {@code
 * GaussianMixture(n_components, covariance_type, tol, reg_covar, max_iter, n_init, init_params,
 * weights_init, means_init, precisions_init, random_state)}.
 *
 * @param k number of mixture components ({@code n_components}), at least 1 (and at most the number
 *     of distinct samples, checked by fit)
 * @param covarianceType the form of each component's covariance
 * @param regCovar non-negative value added to the diagonal of every covariance (default 1e-6), so
 *     that they stay positive definite
 * @param tol EM stops once the lower bound (mean log-likelihood per sample) changes by less than
 *     this between two iterations (default 1e-3); finite, at least 0
 * @param maxIter maximum EM iterations per initialisation, at least 1 (default 100)
 * @param nInit initialisations; the one with the highest lower bound wins (default 1)
 * @param init how each initialisation sets the starting responsibilities (default k-means)
 * @param seed seed of all randomness; initialisation r draws from {@code Seeds.stream(seed,
 *     "gmm/init/" + r)} (k-means: seed {@code Seeds.mix(seed, "gmm/init/" + r)}), so results do not
 *     depend on {@code threads}
 * @param threads worker threads for the E and M steps, at least 1; results are bit-for-bit the same
 *     for any count
 * @param initialParameters starting weights / means / precisions ({@code weights_init}, {@code
 *     means_init}, {@code precisions_init}); null, or any of its parts null, means "from {@code
 *     init}"
 */
public record GaussianMixtureConfig(
    int k,
    CovarianceType covarianceType,
    double regCovar,
    double tol,
    int maxIter,
    int nInit,
    Init init,
    long seed,
    int threads,
    InitialParameters initialParameters) {

  /** The covariance form, scikit-learn's {@code covariance_type}. */
  public enum CovarianceType {
    /** Each component has its own general covariance matrix: {@code k x d x d} parameters. */
    FULL,
    /** All components share one general covariance matrix: {@code d x d}. */
    TIED,
    /** Each component has its own diagonal covariance: {@code k x d}. */
    DIAG,
    /** Each component has its own single variance: {@code k}. */
    SPHERICAL;

    /** scikit-learn's name: {@code full}, {@code tied}, {@code diag} or {@code spherical}. */
    public String sklearnName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type named {@code name} (scikit-learn's spelling, case-insensitive).
     *
     * @throws IllegalArgumentException naming the four allowed values
     */
    public static CovarianceType parse(String name) {
      for (CovarianceType t : values()) {
        if (t.sklearnName().equalsIgnoreCase(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "covariance type '" + name + "' is unknown; use full, tied, diag or spherical");
    }
  }

  /** How the starting responsibilities are chosen, scikit-learn's {@code init_params}. */
  public enum Init {
    /** One k-means run ({@code n_init = 1}), hard assignment: sklearn's default. */
    KMEANS,
    /** k-means++ seeding only: responsibility 1 of each seed point for its own component. */
    K_MEANS_PLUS_PLUS,
    /**
     * Uniform random responsibilities, each row normalised to sum 1. Every component then starts
     * near the global mean, and (as in scikit-learn) EM may stop on {@code tol} before the
     * components separate; prefer k-means, or several {@code nInit}.
     */
    RANDOM;

    /** scikit-learn's name: {@code kmeans}, {@code k-means++} or {@code random}. */
    public String sklearnName() {
      return switch (this) {
        case KMEANS -> "kmeans";
        case K_MEANS_PLUS_PLUS -> "k-means++";
        case RANDOM -> "random";
      };
    }

    /**
     * The initialisation named {@code name} (scikit-learn's spelling, case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Init parse(String name) {
      for (Init i : values()) {
        if (i.sklearnName().equalsIgnoreCase(name)) {
          return i;
        }
      }
      throw new IllegalArgumentException(
          "init '" + name + "' is unknown; use kmeans, k-means++ or random");
    }
  }

  /**
   * Fixed starting parameters, scikit-learn's {@code weights_init}, {@code means_init} and {@code
   * precisions_init}; each may be null (taken from the initial responsibilities then). Shapes are
   * checked against the data by fit. Arrays are not copied.
   *
   * @param weights length k, each in [0, 1], summing to 1
   * @param means {@code k x d}
   * @param precisions inverse covariances, flat row-major in scikit-learn's shape for the type:
   *     full {@code k x d x d} (each symmetric positive definite), tied {@code d x d}, diag {@code
   *     k x d} (positive), spherical {@code k} (positive)
   */
  public record InitialParameters(double[] weights, double[][] means, double[] precisions) {}

  /** Validates every field; messages name the field, the bad value and the allowed range. */
  public GaussianMixtureConfig {
    if (k < 1) {
      throw new IllegalArgumentException("Gaussian mixture k = " + k + " is invalid; use k >= 1");
    }
    Objects.requireNonNull(covarianceType, "covarianceType");
    Objects.requireNonNull(init, "init");
    if (!(regCovar >= 0) || Double.isInfinite(regCovar)) {
      throw new IllegalArgumentException(
          "Gaussian mixture regCovar = "
              + regCovar
              + " is invalid; use a finite value >= 0 (default 1e-6)");
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      throw new IllegalArgumentException(
          "Gaussian mixture tol = " + tol + " is invalid; use a finite value >= 0 (default 1e-3)");
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException(
          "Gaussian mixture maxIter = " + maxIter + " is invalid; use >= 1 (default 100)");
    }
    if (nInit < 1) {
      throw new IllegalArgumentException(
          "Gaussian mixture nInit = " + nInit + " is invalid; use >= 1 (default 1)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException(
          "Gaussian mixture threads = " + threads + " is invalid; use >= 1");
    }
  }

  /**
   * k = 10 (as {@link KMeansConfig#defaults()}; scikit-learn's {@code n_components} default is 1),
   * full covariances, regCovar 1e-6, tol 1e-3, maxIter 100, nInit 1, k-means initialisation
   * (scikit-learn's defaults), seed 0, one thread per available processor, no fixed initial
   * parameters.
   */
  public static GaussianMixtureConfig defaults() {
    return new GaussianMixtureConfig(
        10,
        CovarianceType.FULL,
        1e-6,
        1e-3,
        100,
        1,
        Init.KMEANS,
        0L,
        Runtime.getRuntime().availableProcessors(),
        null);
  }

  /** This configuration with {@code k} components. */
  public GaussianMixtureConfig withK(int newK) {
    return new GaussianMixtureConfig(
        newK,
        covarianceType,
        regCovar,
        tol,
        maxIter,
        nInit,
        init,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with covariance type {@code type}. */
  public GaussianMixtureConfig withCovarianceType(CovarianceType type) {
    return new GaussianMixtureConfig(
        k, type, regCovar, tol, maxIter, nInit, init, seed, threads, initialParameters);
  }

  /** This configuration with diagonal regularisation {@code regCovar}. */
  public GaussianMixtureConfig withRegCovar(double newRegCovar) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        newRegCovar,
        tol,
        maxIter,
        nInit,
        init,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with lower-bound tolerance {@code tol}. */
  public GaussianMixtureConfig withTol(double newTol) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        newTol,
        maxIter,
        nInit,
        init,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with at most {@code maxIter} EM iterations per initialisation. */
  public GaussianMixtureConfig withMaxIter(int newMaxIter) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        tol,
        newMaxIter,
        nInit,
        init,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with {@code nInit} initialisations. */
  public GaussianMixtureConfig withNInit(int newNInit) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        tol,
        maxIter,
        newNInit,
        init,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with initialisation {@code init}. */
  public GaussianMixtureConfig withInit(Init newInit) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        tol,
        maxIter,
        nInit,
        newInit,
        seed,
        threads,
        initialParameters);
  }

  /** This configuration with seed {@code seed}. */
  public GaussianMixtureConfig withSeed(long newSeed) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        tol,
        maxIter,
        nInit,
        init,
        newSeed,
        threads,
        initialParameters);
  }

  /** This configuration with {@code threads} worker threads. */
  public GaussianMixtureConfig withThreads(int newThreads) {
    return new GaussianMixtureConfig(
        k,
        covarianceType,
        regCovar,
        tol,
        maxIter,
        nInit,
        init,
        seed,
        newThreads,
        initialParameters);
  }

  /** This configuration starting from {@code parameters} (null: from {@code init}). */
  public GaussianMixtureConfig withInitialParameters(InitialParameters parameters) {
    return new GaussianMixtureConfig(
        k, covarianceType, regCovar, tol, maxIter, nInit, init, seed, threads, parameters);
  }
}
