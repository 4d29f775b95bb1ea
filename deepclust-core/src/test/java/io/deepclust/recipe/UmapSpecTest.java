package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.reduce.Umap;
import io.deepclust.reduce.UmapConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code reduce: {type: umap, ...}} loads with umap-learn's defaults; bad values name the field.
 */
class UmapSpecTest {
  private static final String RECIPE =
      "name: u\n"
          + "embedding: {source: pixels}\n"
          + "methods: [{name: m, reduce: {type: umap}, cluster: {type: gmm, k: 3}}]\n";

  private static Recipe load(String... overrides) {
    return RecipeLoader.parse("umap.yaml", RECIPE, List.of(overrides));
  }

  private static void assertError(String override, String field, String fix) {
    RecipeException e = assertThrows(RecipeException.class, () -> load(override));
    String m = e.getMessage();
    assertTrue(
        m.contains("'methods.0.reduce." + field + "'") && m.contains(fix), override + " -> " + m);
  }

  @Test
  void loadsWithTheDocumentedDefaults() {
    UmapSpec u = assertInstanceOf(UmapSpec.class, load().methods().get(0).reduce());
    assertEquals(15, u.nNeighbors());
    assertEquals(2, u.nComponents());
    assertEquals(0.1, u.minDist());
    assertEquals(1.0, u.spread());
    assertEquals("euclidean", u.metric());
    assertEquals("spectral", u.init());
    assertNull(u.nEpochs());
    assertNull(u.seed());
    Umap built = assertInstanceOf(Umap.class, u.build(new ComponentContext(17)));
    UmapConfig c = built.config();
    assertEquals(17, c.seed());
    assertEquals(UmapConfig.Init.SPECTRAL, c.init());
    assertEquals(200, c.epochsFor(70_000));
    assertEquals(500, c.epochsFor(10_000));
    assertEquals(false, c.parallelLayout());
    assertEquals(1.0, c.learningRate());
    assertEquals(5, c.negativeSampleRate());
    assertEquals(1.0, c.repulsionStrength());
    assertEquals(2, u.checkFits(100, 784));
  }

  @Test
  void readsEveryField() {
    UmapSpec u =
        (UmapSpec)
            load("methods.0.reduce={type: umap, n_neighbors: 20, n_components: 10, min_dist: 0,"
                    + " spread: 2, metric: euclidean, init: pca, n_epochs: 50, learning_rate: 0.5,"
                    + " negative_sample_rate: 40, repulsion_strength: 2, seed: 5}")
                .methods()
                .get(0)
                .reduce();
    UmapConfig c = u.config(0);
    assertEquals(20, c.nNeighbors());
    assertEquals(10, c.nComponents());
    assertEquals(0.0, c.minDist());
    assertEquals(2.0, c.spread());
    assertEquals(UmapConfig.Init.PCA, c.init());
    assertEquals(50, c.nEpochs());
    assertEquals(0.5, c.learningRate());
    assertEquals(40, c.negativeSampleRate());
    assertEquals(2.0, c.repulsionStrength());
    assertEquals(5, c.seed());
  }

  @Test
  void badValuesNameTheField() {
    assertError("methods.0.reduce={type: umap, n_neighbors: 1}", "n_neighbors", "at least 2");
    assertError("methods.0.reduce={type: umap, min_dist: 3}", "min_dist", "min_dist <= spread");
    assertError("methods.0.reduce={type: umap, metric: cosine}", "metric", "Euclidean only");
    assertError("methods.0.reduce={type: umap, init: tsne}", "init", "spectral, pca, random");
    assertError("methods.0.reduce={type: umap, n_epochs: 0}", "n_epochs", "at least 1");
    assertError("methods.0.reduce={type: umap, learning_rate: 0}", "learning_rate", "> 0");
    assertError(
        "methods.0.reduce={type: umap, negative_sample_rate: 0}",
        "negative_sample_rate",
        "at least 1");
    assertError(
        "methods.0.reduce={type: umap, repulsion_strength: -1}", "repulsion_strength", "> 0");
    UmapSpec u = (UmapSpec) load().methods().get(0).reduce();
    assertThrows(IllegalArgumentException.class, () -> u.checkFits(15, 10));
  }

  @Test
  void shippedN2dRecipesUseUmapThenAFullGmm() {
    for (String name : List.of("n2d", "n2d-fashion", "flagship", "flagship-fashion")) {
      Recipe r = RecipeLoader.load(name, List.of());
      // the flagships' N2D clusterer is their second method, after the DEC head
      MethodSpec n2d = r.methods().get(name.startsWith("flagship") ? 1 : 0);
      UmapSpec u = assertInstanceOf(UmapSpec.class, n2d.reduce());
      assertEquals(20, u.nNeighbors());
      assertEquals(10, u.nComponents());
      assertEquals(0.0, u.minDist());
      GmmSpec g = assertInstanceOf(GmmSpec.class, n2d.cluster());
      assertEquals("full", g.covarianceType());
      assertEquals("all", r.data().split());
    }
  }

  @Test
  void theFlagshipIsN2dWithAugmentedPretrainingAndTheBestOfFiveGmmFits() {
    for (String name : List.of("flagship")) {
      Recipe r = RecipeLoader.load(name, List.of());
      assertInstanceOf(AugmentationSpec.RandomAffineSpec.class, r.training().augmentation());
      assertEquals(5, ((GmmSpec) r.methods().get(1).cluster()).nInit());
    }
  }
}
