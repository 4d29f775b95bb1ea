package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.cluster.soft.SoftCentroids;
import io.deepclust.cluster.soft.SoftCentroidsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code type: soft_centroids} in a recipe: defaults, checks and the clusterer it builds. */
class SoftCentroidsSpecTest {
  private static final String RECIPE =
      "name: soft\n"
          + "seed: 7\n"
          + "embedding: {source: pixels}\n"
          + "methods:\n"
          + "  - name: abo\n"
          + "    cluster: {type: soft_centroids}\n"
          + "  - name: abo_pp\n"
          + "    cluster: {type: soft_centroids, k: 4, epochs: 3, batch_size: 16, lr: 0.05,"
          + " init: kmeans++}\n";

  private static Recipe parse(String... overrides) {
    return RecipeLoader.parse("soft.yaml", RECIPE, List.of(overrides));
  }

  private static String error(String override) {
    RecipeException e = assertThrows(RecipeException.class, () -> parse(override));
    assertFalse(e.getMessage().contains("io.deepclust"), "no Java class names: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void aRecipeUsingItLoadsWithThePapersDefaults() {
    Recipe r = parse();
    SoftCentroidsSpec s = (SoftCentroidsSpec) r.methods().get(0).cluster();
    assertEquals(new SoftCentroidsSpec(10, 200, 32, 0.1, "farthest"), s);
    SoftCentroids built = (SoftCentroids) s.build(new ComponentContext(r.seed()));
    assertEquals(SoftCentroidsConfig.defaults().withSeed(7), built.config());

    SoftCentroidsSpec pp = (SoftCentroidsSpec) r.methods().get(1).cluster();
    assertEquals(new SoftCentroidsSpec(4, 3, 16, 0.05, "kmeans++"), pp);
    SoftCentroids b = assertInstanceOf(SoftCentroids.class, pp.build(new ComponentContext(7)));
    assertEquals(new SoftCentroidsConfig(4, 3, 16, 0.05f, "kmeans++", 7), b.config());
  }

  @Test
  void itsResolvedFormLoadsAgain() {
    Recipe r = parse();
    Recipe again = RecipeLoader.parse("config.json", RecipeLoader.toJson(r).toString(), List.of());
    assertEquals(r.methods(), again.methods());
  }

  @Test
  void badValuesNameTheField() {
    String m = error("methods.0.cluster.k=1");
    assertTrue(m.contains("'methods.0.cluster.k'") && m.contains("at least 2"), m);
    m = error("methods.0.cluster.epochs=0");
    assertTrue(m.contains("'methods.0.cluster.epochs'") && m.contains("at least 1"), m);
    m = error("methods.0.cluster.batch_size=0");
    assertTrue(m.contains("'methods.0.cluster.batch_size'") && m.contains("positive"), m);
    m = error("methods.0.cluster.lr=-0.1");
    assertTrue(m.contains("'methods.0.cluster.lr'") && m.contains("positive"), m);
    m = error("methods.0.cluster.init=random");
    assertTrue(m.contains("'methods.0.cluster.init'") && m.contains("kmeans++"), m);
    m = error("methods.0.cluster.lerning_rate=0.1");
    assertTrue(m.contains("lerning_rate"), m);
    m = error("methods.0.cluster.type=soft_centroid");
    assertTrue(m.contains("did you mean 'soft_centroids'"), m);
  }

  @Test
  void kMustFitTheImagesClustered() {
    SoftCentroidsSpec s = new SoftCentroidsSpec(10, null, null, null, null);
    var e = assertThrows(IllegalArgumentException.class, () -> s.checkFits(5, 64));
    assertTrue(e.getMessage().startsWith("k: "), e.getMessage());
  }
}
