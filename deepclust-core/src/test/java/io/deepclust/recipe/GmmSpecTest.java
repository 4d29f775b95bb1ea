package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.cluster.GaussianMixture;
import io.deepclust.cluster.GaussianMixtureConfig;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureConfig.Init;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster: {type: gmm, ...}} loads with scikit-learn's defaults; bad values name the field.
 */
class GmmSpecTest {
  private static final String RECIPE =
      "name: g\n"
          + "embedding: {source: pixels}\n"
          + "methods: [{name: gmm, cluster: {type: gmm, k: 3, covariance_type: full}}]\n";

  private static Recipe load(String... overrides) {
    return RecipeLoader.parse("gmm.yaml", RECIPE, List.of(overrides));
  }

  private static void assertError(String override, String field, String fix) {
    RecipeException e = assertThrows(RecipeException.class, () -> load(override));
    String m = e.getMessage();
    assertTrue(m.contains("'" + field + "'") && m.contains(fix), override + " -> " + m);
  }

  @Test
  void loadsWithTheDocumentedDefaultsAndBuildsTheClusterer() {
    Recipe r = load();
    GmmSpec g = assertInstanceOf(GmmSpec.class, r.methods().get(0).cluster());
    assertEquals(3, g.k());
    assertEquals("full", g.covarianceType());
    assertEquals(1e-6, g.regCovar());
    assertEquals(1e-3, g.tol());
    assertEquals(100, g.maxIter());
    assertEquals(1, g.nInit());
    assertEquals("kmeans", g.init());

    GaussianMixture gm = assertInstanceOf(GaussianMixture.class, g.build(new ComponentContext(17)));
    GaussianMixtureConfig c = gm.config();
    assertEquals(3, c.k());
    assertEquals(CovarianceType.FULL, c.covarianceType());
    assertEquals(Init.KMEANS, c.init());
    assertEquals(17, c.seed());
    assertNull(c.initialParameters());

    GmmSpec other =
        (GmmSpec)
            load("methods.0.cluster={type: gmm, covariance_type: spherical, init: k-means++,"
                    + " n_init: 3, reg_covar: 0.001, tol: 0, max_iter: 20}")
                .methods()
                .get(0)
                .cluster();
    assertEquals(10, other.k());
    GaussianMixtureConfig oc = ((GaussianMixture) other.build(new ComponentContext(0))).config();
    assertEquals(CovarianceType.SPHERICAL, oc.covarianceType());
    assertEquals(Init.K_MEANS_PLUS_PLUS, oc.init());
    assertEquals(3, oc.nInit());
    assertEquals(1e-3, oc.regCovar());
    assertEquals(0.0, oc.tol());
    assertEquals(20, oc.maxIter());
  }

  @Test
  void theResolvedRecipeWritesEveryField() {
    String json = RecipeLoader.toJson(load()).get("methods").get(0).get("cluster").toString();
    for (String field :
        List.of(
            "\"type\":\"gmm\"",
            "\"covariance_type\":\"full\"",
            "\"reg_covar\":1.0E-6",
            "\"n_init\":1",
            "\"init\":\"kmeans\"")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
  }

  @Test
  void badValuesAreErrorsNamingTheField() {
    assertError("methods.0.cluster.k=1", "methods.0.cluster.k", "at least 2");
    assertError(
        "methods.0.cluster.covariance_type=banded",
        "methods.0.cluster.covariance_type",
        "full, tied, diag, spherical");
    assertError("methods.0.cluster.reg_covar=-1", "methods.0.cluster.reg_covar", ">= 0");
    assertError("methods.0.cluster.tol=-0.1", "methods.0.cluster.tol", ">= 0");
    assertError("methods.0.cluster.max_iter=0", "methods.0.cluster.max_iter", "at least 1");
    assertError("methods.0.cluster.n_init=0", "methods.0.cluster.n_init", "at least 1");
    assertError(
        "methods.0.cluster.init=kmean", "methods.0.cluster.init", "kmeans, k-means++, random");
    RecipeException e =
        assertThrows(RecipeException.class, () -> load("methods.0.cluster.covariance_typ=full"));
    assertTrue(e.getMessage().contains("did you mean 'covariance_type'"), e.getMessage());
    e = assertThrows(RecipeException.class, () -> load("methods.0.cluster.type=gm"));
    assertTrue(e.getMessage().contains("gmm"), e.getMessage());
  }
}
