package io.deepclust.recipe;

import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.SelectK;
import io.deepclust.metrics.SilhouetteOptions;
import io.deepclust.util.Seeds;
import java.util.stream.IntStream;

/**
 * {@code type: select_k}: the number of clusters chosen from a range ({@link SelectK}), for data
 * whose number of groups is unknown. The inner {@code cluster} is fitted once for every k from
 * {@code k_min} to {@code k_max}; the best by {@code criterion} wins, and the run's log shows every
 * k's score. With labels, the row's {@code n_clusters} sits next to the number of classes.
 *
 * <pre>
 * cluster: {type: select_k, cluster: {type: gmm, covariance_type: full}, k_min: 5, k_max: 15,
 *           criterion: bic}
 * </pre>
 *
 * @param cluster the clusterer to size (required): {@code kmeans} or {@code gmm}, without a {@code
 *     k} of its own (each candidate is its k; a {@code k} other than {@code k_max}, which the
 *     resolved recipe records, is an error)
 * @param kMin smallest k tried (required, at least 2)
 * @param kMax largest k tried (required, at least {@code k_min}; at most 50 candidates)
 * @param criterion {@code bic} (default for {@code gmm}; lower wins) or {@code silhouette} (the
 *     only one for {@code kmeans}; higher wins)
 * @param silhouetteSample rows of the seeded sample the silhouette is computed on (default 10,000;
 *     0 for all rows, exact but quadratic)
 */
public record SelectKSpec(
    ClustererSpec cluster, Integer kMin, Integer kMax, String criterion, Integer silhouetteSample)
    implements ClustererSpec {

  /** Fills defaults; checks the range and that the criterion fits the clusterer. */
  public SelectKSpec {
    Checks.require(
        cluster != null,
        "cluster",
        "give the clusterer to size, e.g. {type: gmm, covariance_type: full}");
    Checks.require(
        cluster instanceof GmmSpec || cluster instanceof KMeansSpec,
        "cluster",
        "select_k sizes a kmeans or gmm clusterer, not " + RecipeErrors.typeName(cluster));
    Checks.require(kMin != null, "k_min", "give the smallest k to try, e.g. 5");
    Checks.require(kMax != null, "k_max", "give the largest k to try, e.g. 15");
    Checks.require(kMin >= 2, "k_min", "use at least 2, got " + kMin);
    Checks.require(kMax >= kMin, "k_max", kMax + " is below k_min " + kMin);
    Checks.require(
        kMax - kMin < 50, "k_max", "try at most 50 values of k, got " + (kMax - kMin + 1));
    criterion = Checks.orDefault(criterion, cluster instanceof GmmSpec ? "bic" : "silhouette");
    Checks.require(
        criterion.equals("bic") || criterion.equals("silhouette"),
        "criterion",
        "'" + criterion + "' is not one of bic, silhouette");
    Checks.require(
        !criterion.equals("bic") || cluster instanceof GmmSpec,
        "criterion",
        "bic needs a Gaussian mixture (cluster type gmm); use silhouette for kmeans");
    // the resolved recipe records the range's top as the inner k (RecipeLoader checks it)
    cluster = withK(cluster, kMax);
    silhouetteSample = Checks.orDefault(silhouetteSample, 10_000);
    Checks.require(
        silhouetteSample >= 0,
        "silhouette_sample",
        "use 0 (all rows) or more, got " + silhouetteSample);
  }

  /** The most clusters it can make, {@code k_max}. */
  @Override
  public Integer k() {
    return kMax;
  }

  @Override
  public void checkFits(int rows, int dims) {
    Checks.require(
        kMax <= rows,
        "k_max",
        kMax + " is more than the " + rows + " images clustered; use at most " + rows);
  }

  @Override
  public Clusterer build(ComponentContext context) {
    int[] ks = IntStream.rangeClosed(kMin, kMax).toArray();
    SilhouetteOptions sil =
        SilhouetteOptions.defaults()
            .withSample(silhouetteSample, Seeds.mix(context.seed(), "select_k/silhouette"))
            .withThreads(Runtime.getRuntime().availableProcessors());
    return new SelectK(
        k -> withK(cluster, k).build(context), ks, SelectK.Criterion.parse(criterion), sil);
  }

  /**
   * Rejects an inner {@code k} in a {@code select_k} of the recipe tree: every candidate is its k,
   * so a k written there would be silently replaced. The resolved recipe's {@code k_max} is
   * accepted.
   *
   * @param node a clusterer's JSON object
   * @param path where it is, e.g. {@code methods[0].cluster}
   * @throws RecipeException naming {@code <path>.cluster.k}
   */
  static void requireNoInnerK(com.fasterxml.jackson.databind.JsonNode node, String path) {
    if (node == null || !"select_k".equals(node.path("type").asText())) {
      return;
    }
    com.fasterxml.jackson.databind.JsonNode inner = node.path("cluster").path("k");
    if (!inner.isMissingNode()
        && !inner.isNull()
        && !(inner.isIntegralNumber() && inner.asInt() == node.path("k_max").asInt(-1))) {
      throw new RecipeException(
          path
              + ".cluster.k: select_k fits every k from k_min to k_max, so leave the inner"
              + " clusterer's k out (got "
              + inner
              + ")");
    }
  }

  private static ClustererSpec withK(ClustererSpec inner, int k) {
    if (inner instanceof GmmSpec g) {
      return new GmmSpec(
          k, g.covarianceType(), g.regCovar(), g.tol(), g.maxIter(), g.nInit(), g.init());
    }
    KMeansSpec m = (KMeansSpec) inner;
    return new KMeansSpec(k, m.nInit(), m.maxIter(), m.tol());
  }
}
