package io.deepclust.recipe;

import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.GaussianMixture;
import io.deepclust.cluster.GaussianMixtureConfig;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureConfig.Init;
import java.util.List;

/**
 * {@code type: gmm}: a Gaussian mixture fitted by EM, scikit-learn's {@code GaussianMixture}
 * semantics ({@link GaussianMixture}); labels are the most probable component.
 *
 * @param k number of components (default 10, as {@code kmeans}, where scikit-learn's {@code
 *     n_components} defaults to 1; at least 2)
 * @param covarianceType {@code full} (default), {@code tied}, {@code diag} or {@code spherical}
 * @param regCovar added to every covariance's diagonal (default 1e-6; finite, at least 0)
 * @param tol EM stops once the mean log-likelihood per sample changes by less (default 1e-3)
 * @param maxIter EM iterations per initialisation (default 100)
 * @param nInit initialisations, the highest log-likelihood wins (default 1)
 * @param init starting responsibilities: {@code kmeans} (default), {@code k-means++} or {@code
 *     random}
 */
public record GmmSpec(
    Integer k,
    String covarianceType,
    Double regCovar,
    Double tol,
    Integer maxIter,
    Integer nInit,
    String init)
    implements ClustererSpec {

  private static final List<String> COVARIANCE_TYPES = List.of("full", "tied", "diag", "spherical");
  private static final List<String> INITS = List.of("kmeans", "k-means++", "random");

  /** Fills defaults; checks ranges. */
  public GmmSpec {
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 components, got " + k);
    covarianceType = Checks.orDefault(covarianceType, "full");
    Checks.require(
        COVARIANCE_TYPES.contains(covarianceType),
        "covariance_type",
        "'" + covarianceType + "' is not one of full, tied, diag, spherical");
    regCovar = Checks.orDefault(regCovar, 1e-6);
    Checks.require(
        regCovar >= 0 && Double.isFinite(regCovar),
        "reg_covar",
        "use a finite value >= 0 (e.g. 1e-6), got " + regCovar);
    tol = Checks.orDefault(tol, 1e-3);
    Checks.require(
        tol >= 0 && Double.isFinite(tol), "tol", "use a finite tolerance >= 0, got " + tol);
    maxIter = Checks.orDefault(maxIter, 100);
    Checks.require(maxIter >= 1, "max_iter", "use at least 1 iteration, got " + maxIter);
    nInit = Checks.orDefault(nInit, 1);
    Checks.require(nInit >= 1, "n_init", "use at least 1 initialisation, got " + nInit);
    init = Checks.orDefault(init, "kmeans");
    Checks.require(
        INITS.contains(init), "init", "'" + init + "' is not one of kmeans, k-means++, random");
  }

  @Override
  public Clusterer build(ComponentContext context) {
    return new GaussianMixture(
        GaussianMixtureConfig.defaults()
            .withK(k)
            .withCovarianceType(CovarianceType.parse(covarianceType))
            .withRegCovar(regCovar)
            .withTol(tol)
            .withMaxIter(maxIter)
            .withNInit(nInit)
            .withInit(Init.parse(init))
            .withSeed(context.seed()));
  }
}
