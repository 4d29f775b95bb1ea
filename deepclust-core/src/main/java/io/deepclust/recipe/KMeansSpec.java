package io.deepclust.recipe;

import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;

/**
 * {@code type: kmeans}: k-means with k-means++ initialisation and restarts, scikit-learn's {@code
 * KMeans} semantics ({@link KMeans}).
 *
 * @param k number of clusters (default 10; at least 2)
 * @param nInit restarts, the lowest inertia wins (default 10)
 * @param maxIter Lloyd iterations per restart (default 300)
 * @param tol relative centre-shift tolerance, as scikit-learn's (default 1e-4)
 */
public record KMeansSpec(Integer k, Integer nInit, Integer maxIter, Double tol)
    implements ClustererSpec {

  /** Fills defaults; checks ranges. */
  public KMeansSpec {
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 clusters, got " + k);
    nInit = Checks.orDefault(nInit, 10);
    Checks.require(nInit >= 1, "n_init", "use at least 1 restart, got " + nInit);
    maxIter = Checks.orDefault(maxIter, 300);
    Checks.require(maxIter >= 1, "max_iter", "use at least 1 iteration, got " + maxIter);
    tol = Checks.orDefault(tol, 1e-4);
    Checks.require(tol >= 0, "tol", "use a tolerance >= 0, got " + tol);
  }

  @Override
  public Clusterer build(ComponentContext context) {
    return new KMeans(
        KMeansConfig.defaults()
            .withK(k)
            .withNInit(nInit)
            .withMaxIter(maxIter)
            .withTol(tol)
            .withSeed(context.seed()));
  }
}
