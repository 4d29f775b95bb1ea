package io.deepclust.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.SelectK;
import io.deepclust.metrics.SilhouetteOptions;
import io.deepclust.util.Seeds;
import java.util.ArrayList;
import java.util.List;
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
 *     k} of its own (each candidate is its k; a {@code k} other than {@code k_max} is an error, and
 *     {@code k_max} itself is accepted because the resolved recipe records it there)
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
    Checks.require(
        kMax >= kMin, "k_max", kMax + " is below k_min " + kMin + "; give k_max >= k_min");
    Checks.require(
        kMax - kMin < 50,
        "k_max",
        "try at most 50 values of k, got "
            + (kMax - kMin + 1)
            + "; narrow the range (k_max <= k_min + 49)");
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
   * Checks each {@code select_k} of {@code root} as written and returns their inner {@code k} nodes
   * (by method index; null where the method is no {@code select_k}), so that {@link
   * #requireNoInnerK(JsonNode, List, String)} can tell which an override changed.
   *
   * @throws RecipeException naming {@code methods.<i>.cluster.cluster.k}
   */
  static List<JsonNode> innerKs(JsonNode root, String source) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode methods = root.path("methods");
    for (int i = 0; i < methods.size(); i++) {
      JsonNode c = methods.get(i).path("cluster");
      out.add(isSelectK(c) ? c.path("cluster").path("k").deepCopy() : null);
      requireNoInnerK(c, i, source);
    }
    return out;
  }

  /**
   * After overrides: checks the inner {@code k} of each {@code select_k} an override added or
   * changed (one left as written was checked by {@link #innerKs}; with a new {@code k_max} the spec
   * records the new top).
   *
   * @throws RecipeException naming {@code methods.<i>.cluster.cluster.k}
   */
  static void requireNoInnerK(JsonNode root, List<JsonNode> before, String source) {
    JsonNode methods = root.path("methods");
    for (int i = 0; i < methods.size(); i++) {
      JsonNode c = methods.get(i).path("cluster");
      JsonNode k = c.path("cluster").path("k");
      boolean unchanged = i < before.size() && before.get(i) != null && before.get(i).equals(k);
      if (isSelectK(c) && !unchanged) {
        requireNoInnerK(c, i, source);
      }
    }
  }

  private static boolean isSelectK(JsonNode cluster) {
    return "select_k".equals(cluster.path("type").asText());
  }

  /** A written inner k is refused unless it is {@code k_max} (what a resolved recipe records). */
  private static void requireNoInnerK(JsonNode cluster, int method, String source) {
    if (!isSelectK(cluster)) {
      return;
    }
    JsonNode inner = cluster.path("cluster").path("k");
    if (!inner.isMissingNode()
        && !inner.isNull()
        && !(inner.isIntegralNumber() && inner.asInt() == cluster.path("k_max").asInt(-1))) {
      throw new RecipeException(
          source
              + ": invalid value for 'methods."
              + method
              + ".cluster.cluster.k': select_k fits every k from k_min to k_max, so leave the"
              + " inner clusterer's k out (got "
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
