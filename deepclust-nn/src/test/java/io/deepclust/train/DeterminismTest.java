package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.train.ReconstructionPhase.LossKind;
import io.deepclust.train.triplet.PseudoLabelMiner;
import org.junit.jupiter.api.Test;

/**
 * The project's reproducibility rule: one seed and one libtorch thread count give bit-identical
 * training. Paper 003's chain (noisy reconstruction, contrastive refinement with per-epoch k-means
 * pseudo-labels on 2 Java threads, DEC joint phase with ramped separation loss) on a small MLP with
 * LayerNorm and dropout runs twice in the same JVM, where native and Java heap state differ between
 * the runs, at 1 and at 2 intra-op threads; every batch loss and every parameter must match
 * exactly.
 */
class DeterminismTest {
  private static final long SEED = 3;
  private static final int K = 4;

  @Test
  void paper003ChainIsBitReproducibleAtOneAndTwoThreads() {
    Engine.getInstance(); // loads libtorch before the thread calls
    int before = JniUtils.getNumThreads();
    try {
      for (int threads : new int[] {1, 2}) {
        JniUtils.setNumThreads(threads);
        Run a = train();
        Run b = train();
        assertArrayEquals(a.losses, b.losses, 0f, threads + " thread(s): batch losses");
        assertArrayEquals(a.parameters, b.parameters, 0f, threads + " thread(s): parameters");
        for (float v : a.parameters) {
          assertTrue(Float.isFinite(v), "finite parameters");
        }
      }
    } finally {
      JniUtils.setNumThreads(before);
    }
  }

  private record Run(float[] losses, float[] parameters) {}

  private static Run train() {
    Autoencoder ae = model();
    try (Model m = TinyModels.model(ae, 1)) {
      DecPhase.Joint joint = new DecPhase.Joint(1, 0.05, 1, 0, 100, 0, null);
      LossHistory h =
          TrainingLoop.builder(m, data())
              .optAdam(AdamConfig.withLearningRate(3e-3f))
              .optAugmentation(new GaussianNoise(0.02, true))
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("pretrain", 2, LossKind.MSE)))
              .addPhase(new ContrastivePhase(ae, contrastive()))
              .addPhase(
                  new DecPhase(
                      ae, new DecPhase.Config("joint", 2, 5, 0, 0.1, LossKind.MSE, 3, 64, joint)))
              .build()
              .run();
      int n = 0;
      for (EpochResult r : h.epochs()) {
        n += r.batchLosses().length;
      }
      float[] losses = new float[n];
      int at = 0;
      for (EpochResult r : h.epochs()) {
        System.arraycopy(r.batchLosses(), 0, losses, at, r.batchLosses().length);
        at += r.batchLosses().length;
      }
      return new Run(losses, TinyModels.parameters(m));
    }
  }

  /** 64-32-16 encoder with LayerNorm, dropout and a ReLU embedding, as the recipe's MLP. */
  private static Autoencoder model() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(32).build())
            .add(LayerNorm.builder().build())
            .add(Activation::relu)
            .add(Dropout.builder().optRate(0.2f).build())
            .add(Linear.builder().setUnits(16).build())
            .add(Activation::relu);
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(
        enc, dec, TinyModels.IMAGE, new ClusteringHead(K, 16, 2.0, SoftAssignment.Kernel.INVERSE));
  }

  private static BatchSource data() {
    return new BatchSource(
        TinyModels.blobs(400, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), SEED);
  }

  private static ContrastivePhase.Config contrastive() {
    return new ContrastivePhase.Config(
        "contrastive",
        3,
        16,
        K,
        3,
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
        null);
  }
}
