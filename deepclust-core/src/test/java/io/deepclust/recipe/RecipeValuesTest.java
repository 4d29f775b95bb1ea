package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One rule for every value: missing takes the documented default, an explicit invalid value is an
 * error naming the field (never replaced), unknown keys and types are errors with "did you mean".
 */
class RecipeValuesTest {

  private static String error(String recipe, String... overrides) {
    RecipeException e =
        assertThrows(RecipeException.class, () -> RecipeLoader.load(recipe, List.of(overrides)));
    return e.getMessage();
  }

  private static void assertError(List<String> overrides, String field, String fix) {
    String m = error("triplet-cae", overrides.toArray(String[]::new));
    assertTrue(m.contains("'" + field + "'") && m.contains(fix), overrides + " -> " + m);
    assertFalse(m.contains("io.deepclust"), "no Java class names: " + m);
  }

  @Test
  void explicitInvalidValuesAreErrorsNamingTheField() {
    assertError(List.of("methods.0.cluster.k=0"), "methods.0.cluster.k", "at least 2");
    assertError(List.of("training.batch_size=0"), "training.batch_size", "positive");
    assertError(List.of("training.optimizer.lr=0"), "training.optimizer.lr", "positive");
    assertError(List.of("training.phases.1.margin=-1"), "training.phases.1.margin", "> 0");
    assertError(List.of("training.phases.1.subset_size=2"), "training.phases.1.subset_size", "3");
    assertError(List.of("training.phases.1.forward=twice"), "training.phases.1.forward", "joint");
    assertError(
        List.of("training.phases.1.mining=hardest"), "training.phases.1.mining", "semi_hard");
    assertError(List.of("training.phases.0.loss=l1"), "training.phases.0.loss", "mse");
    assertError(List.of("training.phases.0.epochs=-1"), "training.phases.0.epochs", "0 or more");
    assertError(
        List.of("training.phases.1.name=reconstruction"), "training.phases.1.name", "twice");
    assertError(List.of("data.validation_fraction=1.0"), "data.validation_fraction", "below 1");
    assertError(List.of("data.eval_split=dev"), "data.eval_split", "test");
    assertError(List.of("data.subset=-5"), "data.subset", "positive");
    assertError(List.of("methods.0.name=null"), "methods.0.name", "give a name (required)");
    assertError(List.of("data.dataset=cifar"), "data.dataset", "fashion-mnist");
    assertError(
        List.of("methods.0.reduce={type: pca, components: 0}"),
        "methods.0.reduce.components",
        "positive");
    assertError(
        List.of("methods.0.paper={accuracy: 0.9}"), "methods.0.paper.accuracy", "not a metric");
    assertError(List.of("report.figures=[tsne, isomap]"), "report.figures.1", "not a figure");
  }

  @Test
  void missingValuesTakeTheDocumentedDefaults() {
    Recipe r =
        RecipeLoader.load(
            "triplet-cae",
            List.of("methods.0.cluster={type: kmeans}", "training.batch_size=null", "report=null"));
    KMeansSpec km = (KMeansSpec) r.methods().get(0).cluster();
    assertEquals(10, km.k());
    assertEquals(10, km.nInit());
    assertEquals(300, km.maxIter());
    assertEquals(256, r.training().batchSize());
    assertEquals(Recipe.Report.FIGURES, r.report().figures());
  }

  @Test
  void valuesOfTheWrongKindAreRejectedNotCoerced() {
    String m = error("triplet-cae", "methods.0.cluster.k='12'");
    assertTrue(m.contains("methods.0.cluster.k") && m.contains("whole number"), m);
    assertTrue(m.contains("got \"12\" (text: write numbers"), m);
    assertFalse(m.contains("java.lang") || m.contains("coerc"), "no Jackson internals: " + m);
    m = error("triplet-cae", "training.phases.1.subset_size=2.5");
    assertTrue(m.contains("training.phases.1.subset_size"), m);
    m = error("triplet-cae", "evaluation.after_each_phase='yes'");
    assertTrue(m.contains("evaluation.after_each_phase") && m.contains("true or false"), m);
  }

  @Test
  void unknownKeysSuggestTheNearestKnownOne() {
    String m = error("triplet-cae", "training.phases.1.margn=0.5");
    assertTrue(m.contains("training.phases.1.margn") && m.contains("did you mean 'margin'"), m);
    m = error("triplet-cae", "methods.0.cluster.n_inits=3");
    assertTrue(m.contains("did you mean 'n_init'"), m);
    m = error("triplet-cae", "evaluaton.silhouette_sample=5");
    assertTrue(m.contains("did you mean 'evaluation'"), m);
  }

  @Test
  void aMisspeltRequiredKeyIsReportedAsTheMisspelling() {
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeLoader.parse(
                    "mine.yaml",
                    "name: mine\nembedding: {source: pixels}\nmethodz: [{name: a}]\n",
                    List.of()));
    String m = e.getMessage();
    assertTrue(m.contains("unknown field 'methodz'") && m.contains("did you mean 'methods'"), m);
  }

  @Test
  void unknownTypesListTheKnownOnes() {
    String m = error("triplet-cae", "methods.0.cluster.type=kmean");
    assertTrue(m.contains("methods.0.cluster.type") && m.contains("did you mean 'kmeans'"), m);
    m = error("triplet-cae", "training.phases.1.type=contrastive");
    assertTrue(m.contains("reconstruction") && m.contains("triplet"), m);
    m = error("triplet-cae", "model.type=resnet");
    assertTrue(m.contains("model.type") && m.contains("triplet-cae-001"), m);
  }

  @Test
  void monitoringValLossNeedsAValidationSet() {
    String m =
        error("cae-pca-kmeans", "training.phases.0.schedule={type: plateau, monitor: val_loss}");
    assertTrue(m.contains("'training.phases.0'") && m.contains("data.validation_fraction"), m);
    m =
        error(
            "cae-pca-kmeans", "training.phases.0.early_stopping={monitor: val_loss, patience: 2}");
    assertTrue(m.contains("data.validation_fraction"), m);
    RecipeLoader.load(
        "cae-pca-kmeans",
        List.of(
            "training.phases.0.early_stopping={monitor: val_loss, patience: 2}",
            "data.validation_fraction=0.1"));
  }

  @Test
  void pixelsNeedNoModelAndEncoderNeedsOne() {
    String m = error("kmeans-baselines", "embedding.source=encoder");
    assertTrue(m.contains("'model'") && m.contains("needs a model"), m);
    m = error("triplet-cae", "embedding.source=pixels");
    assertTrue(m.contains("training.phases"), m);
  }

  @Test
  void aKeyGivenTwiceIsAnError() {
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeLoader.parse(
                    "twice.yaml",
                    "name: a\nembedding: {source: pixels}\n"
                        + "methods: [{name: m, cluster: {type: kmeans, k: 3, k: 5}}]\n",
                    List.of()));
    assertTrue(e.getMessage().contains("Duplicate field 'k'"), e.getMessage());
  }

  @Test
  void didYouMeanOnlyForCloseNames() {
    assertEquals(
        "; did you mean 'margin'?", RecipeErrors.didYouMean("margn", List.of("margin", "mining")));
    assertEquals("", RecipeErrors.didYouMean("zzzzzz", List.of("margin", "mining")));
  }
}
