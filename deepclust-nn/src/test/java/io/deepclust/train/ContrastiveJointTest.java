package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.train.ReconstructionPhase.LossKind;
import io.deepclust.train.triplet.PseudoLabelMiner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paper 003's parts: Gaussian-noise augmentation, the enhanced triplet, separation and balance
 * losses against hand-computed values, pseudo-label mining, the contrastive phase, the joint
 * phase's convergence rule, and collapse detection and recovery on a constructed collapse.
 */
class ContrastiveJointTest {
  private static final long SEED = 11;
  private static final int K = 4;

  @TempDir Path tmp;

  // ---- losses, by hand -------------------------------------------------------------------

  @Test
  void enhancedTripletMatchesHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      // d(a,p) = 1 (3-4-5 scaled: (0.6, 0.8)), d(a,n) = 2 and 0.5
      NDArray a = m.create(new float[] {0, 0, 0, 0}, new Shape(2, 2));
      NDArray p = m.create(new float[] {0.6f, 0.8f, 0.6f, 0.8f}, new Shape(2, 2));
      NDArray n = m.create(new float[] {2, 0, 0, 0.5f}, new Shape(2, 2));
      NDArray w = m.create(new float[] {1, 2}, new Shape(2));
      // margin 1, beta 0.2: row 1: 1.2*1 - 0.8*2 + 1 = 0.6; row 2: 1.2 - 0.4 + 1 = 1.8, x2 = 3.6
      float v = Losses.enhancedTriplet(a, p, n, 1f, 0.2f, w).getFloat();
      assertEquals((0.6 + 3.6) / 2, v, 2e-5);
      // margin 0.1, beta 0: row 1: 1 - 2 + 0.1 < 0 -> 0; row 2: 1 - 0.5 + 0.1 = 0.6, x2 = 1.2
      v = Losses.enhancedTriplet(a, p, n, 0.1f, 0f, w).getFloat();
      assertEquals(1.2 / 2, v, 2e-5);
      // beta 0 and weight 1 is torch's TripletMarginLoss
      NDArray ones = m.create(new float[] {1, 1}, new Shape(2));
      assertEquals(
          Losses.tripletMargin(a, p, n, 1f).getFloat(),
          Losses.enhancedTriplet(a, p, n, 1f, 0f, ones).getFloat(),
          1e-6);
    }
  }

  @Test
  void separationAndBalanceMatchHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray mu = m.create(new float[] {0, 0, 4, 0}, new Shape(2, 2));
      NDArray z = m.create(new float[] {1, 0, 4, 1}, new Shape(2, 2));
      NDArray q = m.create(new float[] {1, 0, 0.5f, 0.5f}, new Shape(2, 2));
      // within: row 1: 1 * 1 = 1; row 2: 0.5 * (16 + 1) + 0.5 * 1 = 9; mean 5
      // between: ||mu0 - mu1||^2 = 16 over the one pair; ratio 5 / 16
      assertEquals(5.0 / 16, Losses.separation(z, q, mu).getFloat(), 1e-6);
      // mean q = (0.75, 0.25): 0.75 ln 0.75 + 0.25 ln 0.25 + ln 2
      double expected = 0.75 * Math.log(0.75) + 0.25 * Math.log(0.25) + Math.log(2);
      assertEquals(expected, Losses.balance(q).getFloat(), 1e-6);
      NDArray uniform = m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(2, 2));
      assertEquals(0, Losses.balance(uniform).getFloat(), 1e-7);
    }
  }

  // ---- mining --------------------------------------------------------------------------------

  @Test
  void semiHardNegativesWithTheHardestAsFallback() {
    // 1-d embeddings: anchor 0 at 0 (label 0), its only positive at 1 (label 0);
    // label-1 points at 1.5 (semi-hard for margin 1) and 5 (easy); label-2 point at 0.2 (hard)
    float[] z = {0, 1, 1.5f, 5, 0.2f};
    int[] labels = {0, 0, 1, 1, 2};
    PseudoLabelMiner semi =
        new PseudoLabelMiner(
            PseudoLabelMiner.PositiveRule.RANDOM, PseudoLabelMiner.NegativeRule.SEMI_HARD);
    PseudoLabelMiner.Mined r = semi.mine(z, 5, 1, labels, 1.0, new SplittableRandom(1));
    // anchors 0, 1 (label 0) and 2, 3 (label 1); 4 is alone in label 2
    assertArrayEquals(new int[] {0, 1, 2, 3}, r.anchors());
    assertEquals(1, r.positives()[0]);
    assertEquals(2, r.negatives()[0], "the one negative in (1, 2)");
    // anchor 1 (at 1): d(a,p) = 1; band (1, 2): 3 (d 4) no, 2 (d 0.5) no, 4 (d 0.8) no -> hardest
    assertEquals(2, r.negatives()[1]);
    // anchor 3 (at 5, positive at 1.5, d 3.5): band (3.5, 4.5): point 1 (d 4) -> semi-hard
    assertEquals(1, r.negatives()[3]);
    assertTrue(r.hardestFallbacks() >= 1);
    PseudoLabelMiner hard =
        new PseudoLabelMiner(
            PseudoLabelMiner.PositiveRule.HARDEST, PseudoLabelMiner.NegativeRule.HARDEST);
    PseudoLabelMiner.Mined h = hard.mine(z, 5, 1, labels, 1.0, new SplittableRandom(1));
    assertEquals(4, h.negatives()[0], "the nearest other label");
    assertEquals(0, h.hardestFallbacks());
  }

  // ---- noise --------------------------------------------------------------------------------

  @Test
  void gaussianNoiseIsSeededAndClipped() {
    GaussianNoise g = new GaussianNoise(0.02, true);
    float[] a = new float[10_000];
    java.util.Arrays.fill(a, 0.5f);
    float[] b = a.clone();
    g.apply(a, GaussianNoise.stream(SEED, "p", 1, 0, "batch"));
    g.apply(b, GaussianNoise.stream(SEED, "p", 1, 0, "batch"));
    assertArrayEquals(a, b, 0f);
    double s = 0;
    double ss = 0;
    for (float v : a) {
      s += v - 0.5;
      ss += (v - 0.5) * (v - 0.5);
    }
    assertEquals(0, s / a.length, 1e-3);
    assertEquals(0.02, Math.sqrt(ss / a.length), 1e-3);
    float[] c = new float[] {0f, 1f, 0f, 1f};
    new GaussianNoise(5, true).apply(c, new SplittableRandom(3));
    for (float v : c) {
      assertTrue(v >= 0 && v <= 1, "clipped: " + v);
    }
    float[] other = new float[10_000];
    java.util.Arrays.fill(other, 0.5f);
    g.apply(other, GaussianNoise.stream(SEED, "p", 1, 1, "batch"));
    assertFalse(java.util.Arrays.equals(a, other), "another batch draws other noise");
  }

  @Test
  void noisyTrainingResumesBitIdentically() {
    GaussianNoise g = new GaussianNoise(0.05, true);
    float[] unbroken;
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      reconstruction(m, ae, g, null).build().run();
      unbroken = TinyModels.parameters(m);
    }
    Path ckpt = tmp.resolve("noise");
    Autoencoder b = TinyModels.mlp();
    try (Model m = TinyModels.model(b, 1)) {
      reconstruction(m, b, g, ckpt)
          .addListener(
              new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingLoop l, EpochResult r) {
                  if (r.epoch() == 1) {
                    l.requestStop();
                  }
                }
              })
          .build()
          .run();
    }
    Autoencoder c = TinyModels.mlp();
    try (Model m = TinyModels.model(c, 2)) {
      reconstruction(m, c, g, null).build().resume(ckpt);
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
    }
    // and the noise changes the training
    Autoencoder d = TinyModels.mlp();
    try (Model m = TinyModels.model(d, 1)) {
      reconstruction(m, d, null, null).build().run();
      assertFalse(java.util.Arrays.equals(unbroken, TinyModels.parameters(m)));
    }
  }

  private static TrainingLoop.Builder reconstruction(
      Model m, Autoencoder ae, GaussianNoise g, Path ckpt) {
    TrainingLoop.Builder b =
        TrainingLoop.builder(m, data())
            .optAugmentation(g)
            .addPhase(
                new ReconstructionPhase(
                    ae, new ReconstructionPhase.Config("pre", 2, LossKind.MSE)));
    if (ckpt != null) {
      b.addListener(new CheckpointListener(ckpt));
    }
    return b;
  }

  // ---- the contrastive phase ---------------------------------------------------------------

  private static Autoencoder headed() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(32).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(16).build());
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(
        enc, dec, TinyModels.IMAGE, new ClusteringHead(K, 16, 2.0, SoftAssignment.Kernel.INVERSE));
  }

  private static BatchSource data() {
    return new BatchSource(
        TinyModels.blobs(320, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), SEED);
  }

  private static ContrastivePhase.Config contrastive(int epochs) {
    return contrastive(epochs, null);
  }

  /** The phase with {@code labeler} in place of k-means (null: k-means). */
  private static ContrastivePhase.Config contrastive(
      int epochs, ContrastivePhase.PseudoLabeler labeler) {
    return new ContrastivePhase.Config(
        "contrastive",
        epochs,
        16,
        K,
        2,
        1,
        1.0,
        0.015,
        0.15,
        0.01,
        0.5,
        2.0,
        PseudoLabelMiner.PositiveRule.RANDOM,
        PseudoLabelMiner.NegativeRule.SEMI_HARD,
        LossKind.MSE,
        1.0,
        64,
        labeler);
  }

  @Test
  void contrastivePhaseRefreshesPseudoLabelsEachEpochAndResumesExactly() {
    List<ClusterUpdate> updates = new ArrayList<>();
    float[] unbroken;
    Autoencoder a = headed();
    try (Model m = TinyModels.model(a, 1)) {
      TrainingLoop l = contrastiveLoop(m, a, updates, null).build();
      List<EpochResult> h = l.run().epochs();
      // batch 16 on 320 images: 20 steps per epoch
      assertEquals(20, h.get(h.size() - 1).batchLosses().length);
      unbroken = TinyModels.parameters(m);
    }
    // one pseudo-label refresh per epoch, k-means with K clusters
    assertEquals(3, updates.size());
    assertEquals(1.0 + 0.015 * 2, updates.get(2).values().get("margin"), 1e-12);
    assertEquals(0.15 + 0.01 * 2, updates.get(2).values().get("beta"), 1e-12);
    assertEquals(K, updates.get(0).clustersInUse());
    // the change is counted after matching the fresh k-means' arbitrary cluster numbers
    for (int i = 1; i < updates.size(); i++) {
      int[] before = updates.get(i - 1).labels();
      int[] after = updates.get(i).labels();
      assertEquals(
          1 - io.deepclust.metrics.ExternalMetrics.accuracy(before, after),
          updates.get(i).changedFraction(),
          1e-12);
    }
    Path ckpt = tmp.resolve("contrastive");
    Autoencoder b = headed();
    try (Model m = TinyModels.model(b, 1)) {
      contrastiveLoop(m, b, new ArrayList<>(), ckpt)
          .addListener(
              new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingLoop l, EpochResult r) {
                  if (r.phase().equals("contrastive") && r.epoch() == 1) {
                    l.requestStop();
                  }
                }
              })
          .build()
          .run();
    }
    Autoencoder c = headed();
    try (Model m = TinyModels.model(c, 2)) {
      contrastiveLoop(m, c, new ArrayList<>(), null).build().resume(ckpt);
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
    }
  }

  @Test
  void aPseudoLabelerTakesKMeansPlaceWithAFreshSeedAtEachRefresh() {
    List<Long> seeds = new ArrayList<>();
    List<int[]> given = new ArrayList<>();
    ContrastivePhase.PseudoLabeler byRow =
        (z, seed) -> {
          seeds.add(seed);
          assertEquals(320, z.rows());
          assertEquals(16, z.cols());
          int[] l = new int[z.rows()];
          for (int i = 0; i < l.length; i++) {
            l[i] = (i + seeds.size()) % K;
          }
          given.add(l.clone());
          return new io.deepclust.cluster.ClusterResult(l, FloatMatrix.zeros(K, z.cols()), 0, 1, 0);
        };
    List<ClusterUpdate> updates = new ArrayList<>();
    Autoencoder a = headed();
    try (Model m = TinyModels.model(a, 1)) {
      contrastiveLoop(m, a, updates, null, contrastive(3, byRow)).build().run();
    }
    assertEquals(3, updates.size());
    assertEquals(3, seeds.size());
    assertEquals(3, seeds.stream().distinct().count(), "a fresh seed per refresh");
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(given.get(i), updates.get(i).labels());
      assertFalse(updates.get(i).values().containsKey("kmeans_inertia"));
      assertTrue(updates.get(i).values().get("seconds") >= 0);
    }
  }

  @Test
  void aPseudoLabelOutsideKStopsThePhaseWithItsName() {
    ContrastivePhase.PseudoLabeler bad =
        (z, seed) -> {
          int[] l = new int[z.rows()];
          l[7] = K;
          return new io.deepclust.cluster.ClusterResult(
              l, FloatMatrix.zeros(K + 1, z.cols()), 0, 1, 0);
        };
    Autoencoder a = headed();
    try (Model m = TinyModels.model(a, 1)) {
      TrainingLoop l = contrastiveLoop(m, a, new ArrayList<>(), null, contrastive(1, bad)).build();
      IllegalStateException e =
          org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, l::run);
      assertTrue(e.getMessage().contains("phase 'contrastive'"), e.getMessage());
      assertTrue(
          e.getMessage().contains("label " + K + ", outside [0, " + K + ")"), e.getMessage());
    }
  }

  private static TrainingLoop.Builder contrastiveLoop(
      Model m, Autoencoder ae, List<ClusterUpdate> updates, Path ckpt) {
    return contrastiveLoop(m, ae, updates, ckpt, contrastive(3));
  }

  private static TrainingLoop.Builder contrastiveLoop(
      Model m,
      Autoencoder ae,
      List<ClusterUpdate> updates,
      Path ckpt,
      ContrastivePhase.Config config) {
    TrainingLoop.Builder b =
        TrainingLoop.builder(m, data())
            .optAdam(AdamConfig.withLearningRate(3e-3f))
            .optAugmentation(new GaussianNoise(0.02, true))
            .addPhase(
                new ReconstructionPhase(
                    ae, new ReconstructionPhase.Config("pretrain", 1, LossKind.MSE)))
            .addPhase(new ContrastivePhase(ae, config))
            .addListener(
                new TrainingListener() {
                  @Override
                  public void onClusterUpdate(TrainingLoop l, ClusterUpdate u) {
                    updates.add(u);
                  }
                });
    if (ckpt != null) {
      b.addListener(new CheckpointListener(ckpt));
    }
    return b;
  }

  // ---- the joint phase: convergence rule ---------------------------------------------------

  private static DecPhase.Config joint(int epochs, double tol, DecPhase.Joint j) {
    return new DecPhase.Config("joint", epochs, 4, tol, 0.1, LossKind.MSE, 2, 64, j);
  }

  private static TrainingLoop.Builder jointLoop(
      Model m, Autoencoder ae, DecPhase phase, List<ClusterUpdate> updates, List<String> notes) {
    return TrainingLoop.builder(m, data())
        .optAdam(AdamConfig.withLearningRate(3e-3f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", 2, LossKind.MSE)))
        .addPhase(phase)
        .addListener(
            new TrainingListener() {
              @Override
              public void onClusterUpdate(TrainingLoop l, ClusterUpdate u) {
                updates.add(u);
              }

              @Override
              public void onNotice(TrainingLoop l, String message) {
                notes.add(message);
              }
            });
  }

  @Test
  void convergenceNeedsTolUpdatesConsecutiveUpdatesBelowTol() {
    // tol 0.999: every update after the first counts as "below tol"
    for (int tolUpdates : new int[] {1, 3, 6}) {
      Autoencoder ae = headed();
      List<ClusterUpdate> updates = new ArrayList<>();
      try (Model m = TinyModels.model(ae, 1)) {
        DecPhase.Joint j = new DecPhase.Joint(0, 0, 0, 0, tolUpdates, 0, null);
        DecPhase phase = new DecPhase(ae, joint(50, 0.999, j));
        List<EpochResult> h =
            jointLoop(m, ae, phase, updates, new ArrayList<>()).build().run().epochs();
        // the k-means start, then updates every 4 steps, each below tol (the first one's change
        // is against the k-means labels); the phase stops at the tolUpdates-th, but never at
        // the first (DEC's "ite > 0")
        int counted = Math.max(tolUpdates, 2);
        assertEquals(1 + counted, updates.size(), "tol_updates " + tolUpdates);
        // stopped before the step of the last update ran
        int steps = 0;
        for (EpochResult r : h) {
          if (r.phase().equals("joint")) {
            steps += r.batchLosses().length;
          }
        }
        assertEquals(4 * (counted - 1), steps);
      }
    }
  }

  @Test
  void aChangeAboveTolResetsTheCount() {
    // tol 0: no change is below it, so the phase never converges and runs all its epochs
    Autoencoder ae = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    try (Model m = TinyModels.model(ae, 1)) {
      DecPhase phase = new DecPhase(ae, joint(1, 0, new DecPhase.Joint(0, 0, 0, 0, 6, 0, null)));
      jointLoop(m, ae, phase, updates, new ArrayList<>()).build().run();
      assertFalse(phase.converged());
      // 10 steps: updates at 0, 4, 8, then the labels it ends with after step 10
      assertEquals(1 + 3 + 1, updates.size());
      assertTrue(updates.get(4).values().containsKey("end"));
    }
  }

  @Test
  void rampsStartAtZero() {
    assertEquals(0, DecPhase.Joint.ramp(2, 0, 10), 0);
    assertEquals(0.25, DecPhase.Joint.ramp(2, 5, 10), 1e-12);
    assertEquals(1, DecPhase.Joint.ramp(2, 25, 10), 0);
    assertEquals(1, DecPhase.Joint.ramp(0, 0, 10), 0);
  }

  // ---- collapse detection and recovery -------------------------------------------------------

  /** Moves every centre but the first far away after the k-means start: every image in one. */
  private static TrainingListener collapser(Autoencoder ae, long atIteration) {
    return new TrainingListener() {
      boolean done;

      @Override
      public void onClusterUpdate(TrainingLoop l, ClusterUpdate u) {
        double it = u.values().getOrDefault("iteration", -1.0);
        boolean start = u.values().containsKey("kmeans_inertia");
        if (!done && ((atIteration < 0 && start) || it == atIteration)) {
          done = true;
          FloatMatrix c = ae.head().centres();
          float[] v = c.data();
          for (int j = 1; j < K; j++) {
            for (int d = 0; d < c.cols(); d++) {
              v[j * c.cols() + d] = 1000f + j;
            }
          }
          ae.head().setCentres(new FloatMatrix(K, c.cols(), v));
        }
      }
    };
  }

  @Test
  void aCollapseIsDetectedAndTheCentresReinitialised() {
    Autoencoder ae = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    DecPhase.Collapse rule = new DecPhase.Collapse(0.5, K, DecPhase.Recovery.REINIT, 3);
    try (Model m = TinyModels.model(ae, 1)) {
      DecPhase phase = new DecPhase(ae, joint(1, 0, new DecPhase.Joint(0, 0, 0, 0, 1, 0, rule)));
      jointLoop(m, ae, phase, updates, notes).addListener(collapser(ae, -1)).build().run();
      // the first update found all images in one cluster and recovered at once
      ClusterUpdate first = updates.get(1);
      assertEquals(1.0, first.values().get("collapsed"));
      assertEquals(1.0, first.values().get("collapse_recovery"));
      assertEquals(K, first.clustersInUse());
      assertTrue(phase.collapsesDetected() >= 1);
      assertEquals(1, phase.recoveries());
      assertTrue(notes.stream().anyMatch(n -> n.contains("collapse recovery 1")), notes.toString());
      assertTrue(rule.collapsed(new int[] {320, 0, 0, 0}, 320));
      assertTrue(rule.collapsed(new int[] {100, 100, 120, 0}, 320));
      assertTrue(rule.collapsed(new int[] {170, 50, 50, 50}, 320));
      assertFalse(rule.collapsed(new int[] {80, 80, 80, 80}, 320));
    }
  }

  @Test
  void withoutRecoveryTheCollapseIsOnlyReportedAndTheEndFallsBackToTheBestUpdate() {
    Autoencoder ae = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    DecPhase.Collapse rule = new DecPhase.Collapse(0.5, K, DecPhase.Recovery.NONE, 3);
    try (Model m = TinyModels.model(ae, 1)) {
      DecPhase phase = new DecPhase(ae, joint(1, 0, new DecPhase.Joint(0, 0, 0, 0, 1, 100, rule)));
      // healthy at step 0 (the best so far), collapsed from the update at step 4 on
      jointLoop(m, ae, phase, updates, notes).addListener(collapser(ae, 0)).build().run();
      assertEquals(0, phase.recoveries());
      assertTrue(phase.collapsesDetected() >= 1);
      assertTrue(updates.get(2).values().containsKey("collapsed"));
      assertFalse(updates.get(2).values().containsKey("collapse_recovery"));
      // the end went back to the parameters of step 0: all K clusters in use again
      assertTrue(phase.endedWithBest());
      assertEquals(0, phase.bestStep());
      ClusterUpdate last = updates.get(updates.size() - 1);
      assertTrue(last.values().containsKey("restored_best"));
      assertEquals(K, last.clustersInUse());
      assertFalse(Double.isNaN(phase.bestSilhouette()));
    }
  }

  @Test
  void restoreOnlyOnCollapseKeepsAHealthyFinalModelAndStillFallsBackOnACollapse() {
    DecPhase.Collapse rule = new DecPhase.Collapse(0.5, K, DecPhase.Recovery.NONE, 3);
    DecPhase.Joint onCollapse = new DecPhase.Joint(0, 0, 0, 0, 1, 100, rule, true);
    // healthy all along: the final parameters are kept whatever the silhouettes were
    Autoencoder healthyAe = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    try (Model m = TinyModels.model(healthyAe, 1)) {
      DecPhase phase = new DecPhase(healthyAe, joint(1, 0, onCollapse));
      jointLoop(m, healthyAe, phase, updates, new ArrayList<>()).build().run();
      assertEquals(0, phase.collapsesDetected());
      assertFalse(phase.endedWithBest());
      assertFalse(updates.get(updates.size() - 1).values().containsKey("restored_best"));
    }
    // collapsed at the end: the best healthy update is still the fallback
    Autoencoder collapsingAe = headed();
    updates.clear();
    try (Model m = TinyModels.model(collapsingAe, 1)) {
      DecPhase phase = new DecPhase(collapsingAe, joint(1, 0, onCollapse));
      jointLoop(m, collapsingAe, phase, updates, new ArrayList<>())
          .addListener(collapser(collapsingAe, 0))
          .build()
          .run();
      assertTrue(phase.endedWithBest());
      assertEquals(K, updates.get(updates.size() - 1).clustersInUse());
    }
  }

  @Test
  void theJointLossAddsTheRampedSeparationAndTheBalanceTerms() {
    // with gamma ramped from 0 the first step's loss is the reconstruction alone (+ balance)
    Autoencoder ae = headed();
    try (Model m = TinyModels.model(ae, 1)) {
      DecPhase phase =
          new DecPhase(ae, joint(1, 0, new DecPhase.Joint(1, 0.05, 1, 0.1, 1, 0, null)));
      List<EpochResult> h =
          jointLoop(m, ae, phase, new ArrayList<>(), new ArrayList<>()).build().run().epochs();
      for (EpochResult r : h) {
        assertTrue(Double.isFinite(r.loss()), r.toString());
      }
    }
  }
}
