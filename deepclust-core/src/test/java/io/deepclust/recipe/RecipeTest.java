package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ModelSummary;
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.TripletPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shipped recipes load into typed components and map onto the training phases. */
class RecipeTest {
  private static final ComponentContext CTX = new ComponentContext(0);

  @Test
  void everyIndexedRecipeLoads() {
    assertEquals(
        List.of(
            "cae-pca-kmeans",
            "triplet-cae",
            "kmeans-baselines",
            "mlp-soft-centroids",
            "dcae-embedded",
            "dcae-embedded-plus",
            "dec",
            "idec",
            "dcec",
            "n2d",
            "n2d-fashion",
            "flagship",
            "flagship-fashion",
            "dec-contrastive",
            "dec-contrastive-plus"),
        RecipeLoader.shippedNames());
    assertEquals(15, RecipeLoader.shipped().size());
  }

  /** The recipe files RESULTS.md runs from tools/ (experiments, ablations, bench) stay valid. */
  @Test
  void everyRecipeFileUnderToolsLoads() throws Exception {
    Path tools = Path.of("..", "tools");
    List<Path> files;
    try (var walk = Files.walk(tools)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "recipe files under " + tools.toAbsolutePath() + ": " + files);
    for (Path f : files) {
      Recipe r = RecipeLoader.load(f.toString(), List.of());
      assertFalse(r.name().isBlank(), f.toString());
    }
  }

  @Test
  void decFamilyRecipesAreTheirPapers() {
    Recipe dec = RecipeLoader.load("dec", List.of());
    DecSpec p = (DecSpec) dec.training().phases().get(1);
    assertEquals(140, p.updateInterval());
    assertEquals(0.001, p.tol());
    assertEquals("none", p.reconstructionLoss());
    assertEquals(20, p.kmeansInit());
    assertEquals(
        new io.deepclust.train.SgdConfig(0.01f, 0.9f, 0f, false, 0f), p.optimizer().build());
    assertEquals("all", dec.data().split());
    DecSpec i = (DecSpec) RecipeLoader.load("idec", List.of()).training().phases().get(1);
    assertEquals(0.1, i.gamma());
    assertEquals("mse", i.reconstructionLoss());
    DecSpec c = (DecSpec) RecipeLoader.load("dcec", List.of()).training().phases().get(1);
    assertEquals(0.1, c.gamma());
  }

  @Test
  void theFlagshipWithoutItsSelfTrainingIsTwoOverrides() {
    String pretrainOnly =
        "training.phases=[{type: reconstruction, name: pretrain, loss: mse, epochs: 40}]";
    // its first method is the DEC head, which the pretraining alone does not train
    RecipeException e =
        assertThrows(
            RecipeException.class, () -> RecipeLoader.load("flagship", List.of(pretrainOnly)));
    assertTrue(e.getMessage().contains("methods.0.cluster"), e.getMessage());
    // README gives these two overrides for the flagship's pretraining alone
    Recipe r =
        RecipeLoader.load(
            "flagship",
            List.of(
                pretrainOnly,
                "methods=[{name: umap-gmm, reduce: {type: umap, n_neighbors: 20, n_components: 10,"
                    + " min_dist: 0.0}, cluster: {type: gmm, k: 10, covariance_type: full, n_init:"
                    + " 5}}]"));
    assertEquals(1, r.training().phases().size());
    assertEquals(1, r.methods().size());
    assertInstanceOf(UmapSpec.class, r.methods().get(0).reduce());
  }

  @Test
  void theFlagshipEndsWithDecDaOnItsSelfTrainedEmbedding() {
    Recipe r = RecipeLoader.load("flagship", List.of());
    assertEquals(3, r.training().phases().size());
    assertInstanceOf(ContrastiveSpec.class, r.training().phases().get(1));
    DecSpec dec = assertInstanceOf(DecSpec.class, r.training().phases().get(2));
    // all 8 epochs: DEC's default tol stopped it after 2 epochs, before most of its gain
    assertEquals(8, dec.epochs());
    assertEquals(0.0, dec.tol());
    assertEquals("none", dec.reconstructionLoss());
    // no augmentation of its own: the run's rotations and shifts, as DEC-DA
    assertNull(dec.augmentation());
    assertInstanceOf(AugmentationSpec.RandomAffineSpec.class, r.training().augmentation());
    // the head's clusters are the headline; N2D's clusterer on the same embedding is the second
    assertEquals(
        List.of("flagship", "umap-gmm", "ae-gmm"),
        r.methods().stream().map(MethodSpec::name).toList());
    assertInstanceOf(HeadClustererSpec.class, r.methods().get(0).cluster());
  }

  @Test
  void overridingOnlyAComponentsTypeSaysWhyItsOldSettingsAreThere() {
    // n2d's method 0 is a GMM with covariance_type; k-means has no such setting
    var e =
        assertThrows(
            RecipeException.class,
            () -> RecipeLoader.load("n2d", List.of("methods.0.cluster.type=kmeans")));
    String m = e.getMessage();
    assertTrue(m.contains("covariance_type"), m);
    assertTrue(
        m.contains("--set methods.0.cluster.type changed the type from gmm and kept that"), m);
    assertTrue(m.contains("--set 'methods.0.cluster={type: kmeans, ...}'"), m);
    // the whole component given in full loads
    Recipe ok = RecipeLoader.load("n2d", List.of("methods.0.cluster={type: kmeans, k: 10}"));
    assertInstanceOf(KMeansSpec.class, ok.methods().get(0).cluster());
  }

  @Test
  void aHeadMethodNeedsAHeadPhaseNoReducerAndTheHeadsK() {
    var noPhase =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeLoader.load(
                    "dec", List.of("training.phases=[{type: reconstruction, epochs: 1}]")));
    assertTrue(noPhase.getMessage().contains("no training phase trains one"), noPhase.getMessage());
    var reduced =
        assertThrows(
            RecipeException.class,
            () -> RecipeLoader.load("dec", List.of("methods.0.reduce={type: pca, components: 5}")));
    assertTrue(reduced.getMessage().contains("reduce: {type: none}"), reduced.getMessage());
    var k =
        assertThrows(
            RecipeException.class,
            () -> RecipeLoader.load("dec", List.of("methods.0.cluster={type: head, k: 5}")));
    assertTrue(k.getMessage().contains("differs from the head's k 10"), k.getMessage());
    var kernel =
        assertThrows(
            RecipeException.class,
            () -> RecipeLoader.load("dec", List.of("training.phases.1.kernel=gauss")));
    assertTrue(kernel.getMessage().contains("student_t"), kernel.getMessage());
  }

  @Test
  void tripletCaeIsPaper001() {
    Recipe r = RecipeLoader.load("triplet-cae", List.of());
    assertEquals("triplet-cae", r.name());
    assertTrue(r.paper().contains("NMI 0.4960"), r.paper());
    assertEquals("train", r.data().split());
    assertEquals("test", r.data().evalSplit());
    assertEquals(0.2, r.data().validationFraction());
    assertEquals("triplet-cae-001", r.model().name());
    assertEquals(128, r.training().batchSize());
    AdamSpec adam = assertInstanceOf(AdamSpec.class, r.training().optimizer());
    assertEquals(1e-3, adam.lr());
    MethodSpec m = r.methods().get(0);
    assertInstanceOf(NoReductionSpec.class, m.reduce());
    KMeansSpec km = assertInstanceOf(KMeansSpec.class, m.cluster());
    assertEquals(10, km.k());
    assertEquals(10, km.nInit());
    assertEquals(0.3923, m.paper().get("ari"));
    assertTrue(r.evaluation().afterEachPhase());
    assertEquals(3000, r.report().tsnePoints());

    List<PhaseSpec> phases = r.training().phases();
    ReconstructionSpec p1 = assertInstanceOf(ReconstructionSpec.class, phases.get(0));
    assertEquals("reconstruction", p1.name());
    assertEquals(12, p1.epochs());
    assertEquals("mse", p1.loss());
    TripletSpec p2 = assertInstanceOf(TripletSpec.class, phases.get(1));
    assertEquals("triplet", p2.name());
    assertEquals(5, p2.epochs());
    assertEquals(20_000, p2.subsetSize());
    assertEquals(1.0, p2.margin());
    assertEquals("random_far", p2.mining());
    assertEquals(0.5, p2.negativeThreshold());
    assertEquals("joint", p2.forward());
    // the encoder of triplet-cae-001 normalises, so the phase must not normalise again
    assertFalse(p2.l2Normalize());
    assertEquals(500, p2.imagesPerEpoch(500));
    assertEquals(20_000, p2.imagesPerEpoch(48_000));
  }

  @Test
  void modelsHaveThePapersParameterCounts() {
    assertEquals(442_433, parameters(RecipeLoader.load("triplet-cae", List.of()).model()));
    assertEquals(572_033, parameters(RecipeLoader.load("cae-pca-kmeans", List.of()).model()));
    assertEquals(218_192, parameters(RecipeLoader.load("mlp-soft-centroids", List.of()).model()));
    // N2D's autoencoder, kept by the flagship
    assertEquals(3_330_794, parameters(RecipeLoader.load("flagship", List.of()).model()));
  }

  private static long parameters(Architecture arch) {
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    try (Model model = Model.newInstance("count")) {
      ae.initialize(model.getNDManager());
      return ModelSummary.countParameters(ae.block());
    }
  }

  @Test
  void phasesCreateTheirTrainingPhases() {
    Recipe r =
        RecipeLoader.load(
            "triplet-cae",
            List.of("training.phases.1.mining=semi_hard", "training.phases.1.epochs=2"));
    Architecture arch = r.model();
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape());
    assertInstanceOf(ReconstructionPhase.class, r.training().phases().get(0).create(ae, CTX));
    TripletPhase t =
        assertInstanceOf(TripletPhase.class, r.training().phases().get(1).create(ae, CTX));
    assertEquals(2, t.config().epochs());
    assertEquals("semi_hard", ((TripletSpec) r.training().phases().get(1)).mining());
  }

  @Test
  void baselinesAreARecipeWithoutAModel() {
    Recipe r = RecipeLoader.load("kmeans-baselines", List.of());
    assertEquals(null, r.model());
    assertEquals("pixels", r.embedding().source());
    assertEquals(
        List.of("kmeans_raw", "kmeans_pca50"), r.methods().stream().map(MethodSpec::name).toList());
    assertEquals(50, ((PcaSpec) r.methods().get(1).reduce()).components());
    assertEquals(0.0845, r.methods().get(1).paper().get("silhouette"));
  }

  @Test
  void mlpSoftCentroidsIsPaper002() {
    Recipe r = RecipeLoader.load("mlp-soft-centroids", List.of());
    assertEquals(32, r.training().batchSize());
    AdamSpec adam = assertInstanceOf(AdamSpec.class, r.training().optimizer());
    assertEquals(1e-8, adam.weightDecay());
    assertEquals(20, r.training().phases().get(0).epochs());
    assertEquals(4, r.methods().size());
    for (MethodSpec m : r.methods()) {
      assertEquals("train", m.fitOn());
      assertEquals(m.name().endsWith("_test") ? "eval" : "train", m.predictOn());
    }
    SoftCentroidsSpec soft =
        assertInstanceOf(SoftCentroidsSpec.class, r.methods().get(0).cluster());
    assertEquals(200, soft.epochs());
    assertEquals(0.1, soft.lr());
    assertEquals(0.0871, r.methods().get(0).paper().get("silhouette"));
  }

  @Test
  void theResolvedRecipeRoundTripsThroughConfigJson() {
    for (String name : RecipeLoader.shippedNames()) {
      Recipe r = RecipeLoader.load(name, List.of());
      String json = RecipeLoader.toJson(r).toString();
      Recipe back =
          RecipeLoader.parse(
              "config.json", "{\"recipe\": " + json + ", \"provenance\": {}}", List.of());
      assertEquals(r, back, name);
    }
  }
}
