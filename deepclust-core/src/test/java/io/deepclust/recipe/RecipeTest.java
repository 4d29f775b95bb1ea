package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Architectures;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ModelSummary;
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.TripletPhase;
import io.deepclust.train.triplet.TripletMiner;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Shipped recipes load, validate and map onto the training phases; bad values say where. */
class RecipeTest {
  @Test
  void everyIndexedRecipeLoads() {
    assertEquals(List.of("cae-pca-kmeans", "triplet-cae"), RecipeLoader.shippedNames());
    assertEquals(2, RecipeLoader.shipped().size());
  }

  @Test
  void tripletCaeIsPaper001() {
    Recipe r = RecipeLoader.load("triplet-cae", List.of());
    assertEquals("triplet-cae", r.name());
    assertTrue(r.paper().contains("NMI 0.4960"), r.paper());
    assertEquals("train", r.data().split());
    assertEquals("test", r.data().evalSplit());
    assertEquals(0.2, r.data().validationFraction());
    assertEquals(Architectures.TRIPLET_CAE_001, r.model().architecture());
    assertEquals(128, r.training().batchSize());
    assertEquals(1e-3, r.training().optimizer().lr());
    assertEquals("none", r.reduce().type());
    assertEquals(10, r.cluster().k());
    assertEquals(10, r.cluster().nInit());
    assertTrue(r.evaluation().afterEachPhase());
    assertEquals(3000, r.report().tsnePoints());

    List<Recipe.Phase> phases = r.training().phases();
    assertEquals(2, phases.size());
    ReconstructionPhase.Config p1 = PhaseSettings.reconstructionConfig(phases.get(0), 0, 12);
    assertEquals("reconstruction", p1.name());
    assertEquals(12, phases.get(0).epochs());
    assertEquals(ReconstructionPhase.LossKind.MSE, p1.loss());

    TripletPhase.Config p2 = PhaseSettings.tripletConfig(phases.get(1), 1, phases.get(1).epochs());
    assertEquals("triplet", p2.name());
    assertEquals(5, p2.epochs());
    assertEquals(20_000, p2.subsetSize());
    assertEquals(1.0f, p2.margin());
    assertEquals(TripletMiner.NegativeMining.RANDOM_FAR, p2.mining().negativeMining());
    assertEquals(0.5f, p2.mining().negativeThreshold());
    assertEquals(1.0f, p2.mining().margin());
    assertEquals(TripletPhase.Forward.JOINT, p2.forward());
    // the encoder of triplet-cae-001 normalises, so the phase must not normalise again
    assertFalse(p2.l2Normalize());
  }

  @Test
  void tripletCaeModelHasThePapersParameterCount() {
    Recipe r = RecipeLoader.load("triplet-cae", List.of());
    Architecture arch = Architectures.create(r.model().architecture(), r.model().params());
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    try (Model model = Model.newInstance("count")) {
      ae.initialize(model.getNDManager());
      assertEquals(442_433, ModelSummary.countParameters(ae.block()));
    }
  }

  @Test
  void semiHardMiningIsARecipeParam() {
    Recipe r =
        RecipeLoader.load(
            "triplet-cae",
            List.of("training.phases.1.params.mining=semi_hard", "training.phases.1.epochs=2"));
    Recipe.Phase p = r.training().phases().get(1);
    TripletPhase.Config c = PhaseSettings.tripletConfig(p, 1, p.epochs());
    assertEquals(TripletMiner.NegativeMining.SEMI_HARD, c.mining().negativeMining());
    assertEquals(2, c.epochs());
  }

  @Test
  void badMiningNamesTheFieldAndTheValidValues() {
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeLoader.load(
                    "triplet-cae", List.of("training.phases.1.params.mining=hardest")));
    String m = e.getMessage();
    assertTrue(m.contains("triplet-cae"), m);
    assertTrue(m.contains("training.phases.1.params.mining"), m);
    assertTrue(m.contains("hardest"), m);
    assertTrue(m.contains("random_far") && m.contains("semi_hard"), m);
  }

  @Test
  void unknownPhaseParamIsRejectedWithTheKnownOnes() {
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () -> RecipeLoader.load("triplet-cae", List.of("training.phases.1.params.margn=0.5")));
    String m = e.getMessage();
    assertTrue(m.contains("training.phases.1.params.margn"), m);
    assertTrue(m.contains("subset_size") && m.contains("margin") && m.contains("mining"), m);
  }

  @Test
  void badPhaseValuesAreRejected() {
    assertMessage(
        List.of("training.phases.1.params.margin=-1"), "training.phases.1.params.margin", "> 0");
    assertMessage(
        List.of("training.phases.1.params.subset_size=2"),
        "training.phases.1.params.subset_size",
        "at least 3");
    assertMessage(
        List.of("training.phases.1.params.subset_size=many"),
        "training.phases.1.params.subset_size",
        "whole number");
    assertMessage(
        List.of("training.phases.1.params.forward=twice"),
        "training.phases.1.params.forward",
        "joint");
    assertMessage(
        List.of("training.phases.1.type=contrastive"), "training.phases.1.type", "triplet");
    assertMessage(List.of("training.phases.0.loss=l1"), "training.phases.0.loss", "mse");
    assertMessage(
        List.of("training.phases.0.params={margin: 1.0}"), "training.phases.0.params", "no params");
    assertMessage(
        List.of("training.phases.1.name=reconstruction"), "training.phases.1.name", "unique");
    assertMessage(List.of("data.validation_fraction=1.0"), "data.validation_fraction", "below 1");
    assertMessage(List.of("data.eval_split=dev"), "data.eval_split", "test");
  }

  private static void assertMessage(List<String> overrides, String field, String fix) {
    RecipeException e =
        assertThrows(RecipeException.class, () -> RecipeLoader.load("triplet-cae", overrides));
    String m = e.getMessage();
    assertTrue(m.contains(field) && m.contains(fix), overrides + " -> " + m);
  }

  @Test
  void caePcaKmeansStillLoadsWithoutValidation() {
    Recipe r = RecipeLoader.load("cae-pca-kmeans", List.of());
    assertEquals(0.0, r.data().validationFraction());
    assertFalse(r.evaluation().afterEachPhase());
    Recipe.Phase p = r.training().phases().get(0);
    assertEquals("reconstruction", p.name());
    assertEquals(
        ReconstructionPhase.LossKind.BCE,
        PhaseSettings.reconstructionConfig(p, 0, p.epochs()).loss());
  }

  @Test
  void createBuildsTheRightPhaseTypes() {
    Recipe r = RecipeLoader.load("triplet-cae", List.of());
    Architecture arch = Architectures.create(r.model().architecture(), r.model().params());
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    assertInstanceOf(
        ReconstructionPhase.class, PhaseSettings.create(r.training().phases().get(0), 0, ae));
    assertInstanceOf(TripletPhase.class, PhaseSettings.create(r.training().phases().get(1), 1, ae));
  }

  @Test
  void validationSplitIsSeededDisjointAndComplete() {
    int[][] a = RecipeRunner.validationSplit(1000, 0.2, 7);
    int[][] b = RecipeRunner.validationSplit(1000, 0.2, 7);
    int[][] c = RecipeRunner.validationSplit(1000, 0.2, 8);
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
    assertFalse(Arrays.equals(a[1], c[1]));
    assertEquals(800, a[0].length);
    assertEquals(200, a[1].length);
    int[] all = IntStream.concat(Arrays.stream(a[0]), Arrays.stream(a[1])).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
    RecipeException e =
        assertThrows(RecipeException.class, () -> RecipeRunner.validationSplit(2, 0.2, 0));
    assertTrue(e.getMessage().contains("data.validation_fraction"), e.getMessage());
  }
}
