package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.train.ReconstructionPhase.LossKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DEC / IDEC phase in the training loop: start, updates, freezing, tol stop and resume. */
class DecPhaseTest {
  private static final long SEED = 11;
  private static final int K = 4;

  /** Parameter names of the decoder, the autoencoder's second child. */
  private static final String DECODER = "01autoencoder_02";

  @TempDir Path tmp;

  /** 64-16 encoder with a linear embedding, 64 sigmoid decoder, head k = 4 on d = 16. */
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
        enc,
        dec,
        TinyModels.IMAGE,
        new ClusteringHead(K, 16, 1.0, SoftAssignment.Kernel.STUDENT_T));
  }

  private static BatchSource data() {
    return new BatchSource(
        TinyModels.blobs(320, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), SEED);
  }

  private static DecPhase.Config dec(int epochs, double tol, LossKind reconstruction) {
    return new DecPhase.Config("dec", epochs, 4, tol, 1.0, reconstruction, 3, 64);
  }

  private static TrainingLoop.Builder loop(
      Model m, Autoencoder ae, DecPhase.Config cfg, List<ClusterUpdate> updates) {
    return TrainingLoop.builder(m, data())
        .optAdam(AdamConfig.withLearningRate(3e-3f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", 2, LossKind.MSE)))
        .addPhase(
            new DecPhase(ae, cfg),
            PhaseOptions.defaults().withOptimizer(new SgdConfig(0.01f, 0.9f, 0f, false, 0f)))
        .addListener(
            new TrainingListener() {
              @Override
              public void onClusterUpdate(TrainingLoop l, ClusterUpdate u) {
                updates.add(u);
              }
            });
  }

  private static float[] flat(Model m, String prefix) {
    List<Float> out = new ArrayList<>();
    for (var p : m.getBlock().getParameters()) {
      if (p.getKey().contains(prefix)) {
        for (float v : p.getValue().getArray().toFloatArray()) {
          out.add(v);
        }
      }
    }
    assertFalse(out.isEmpty(), "no parameter named *" + prefix + "*");
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  @Test
  void decInitialisesByKMeansUpdatesEveryIntervalAndFreezesTheDecoder() {
    Autoencoder ae = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    float[][] decoderBefore = new float[1][];
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop l =
          loop(m, ae, dec(3, 0, null), updates)
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onPhaseEnd(TrainingLoop loop, int i, Phase phase) {
                      if (i == 0) {
                        decoderBefore[0] = flat(m, DECODER);
                      }
                    }
                  })
              .build();
      List<EpochResult> h = l.run().epochs();
      assertEquals(5, h.size());
      // the head is trained and the decoder (second child of the autoencoder) is not
      FloatMatrix centres = ae.head().centres();
      assertNotEquals(0f, centres.get(0, 0));
      assertArrayEquals(decoderBefore[0], flat(m, DECODER), 0f);
      // 10 steps per epoch, an update every 4 steps over 30 steps: steps 0, 4, ..., 28, plus the
      // k-means start and the labels the phase ends with (it stopped at its epoch cap, two steps
      // after its last update)
      assertEquals(1 + 8 + 1, updates.size());
      ClusterUpdate last = updates.get(9);
      assertEquals(1.0, last.values().get("end"));
      assertEquals(updates.get(8).step() + 2, last.step());
      assertEquals(3, last.epoch());
      assertArrayEquals(
          SoftAssignment.argmax(
              SoftAssignment.q(
                  new Embedder(ae.encoder(), data().imageShape(), 64).embed(data().images()),
                  centres,
                  ae.head().alpha(),
                  ae.head().kernel())),
          last.labels());
      assertEquals(0, updates.get(0).epoch());
      assertTrue(updates.get(0).values().containsKey("kmeans_inertia"));
      assertTrue(Double.isNaN(updates.get(0).changedFraction()));
      assertFalse(Double.isNaN(updates.get(1).changedFraction()));
      for (ClusterUpdate u : updates) {
        assertEquals(320, u.labels().length);
        assertEquals(K, u.k());
      }
      for (EpochResult r : h) {
        assertTrue(Double.isFinite(r.loss()), r.toString());
      }
      assertEquals("sgd", l.optimizer().config().kind());
    }
  }

  @Test
  void idecKeepsTrainingTheDecoder() {
    Autoencoder ae = headed();
    float[][] decoderBefore = new float[1][];
    try (Model m = TinyModels.model(ae, 1)) {
      loop(m, ae, dec(1, 0, LossKind.MSE), new ArrayList<>())
          .addListener(
              new TrainingListener() {
                @Override
                public void onPhaseEnd(TrainingLoop loop, int i, Phase phase) {
                  if (i == 0) {
                    decoderBefore[0] = flat(m, DECODER);
                  }
                }
              })
          .build()
          .run();
      assertFalse(java.util.Arrays.equals(decoderBefore[0], flat(m, DECODER)));
    }
  }

  @Test
  void tolStopsThePhaseAndAResumeGoesOnWithTheNext() {
    Autoencoder ae = headed();
    List<ClusterUpdate> updates = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    Path ckpt = tmp.resolve("tol");
    try (Model m = TinyModels.model(ae, 1)) {
      List<EpochResult> h =
          loop(m, ae, dec(50, 0.999, null), updates)
              .addListener(new CheckpointListener(ckpt))
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onNotice(TrainingLoop loop, String message) {
                      notices.add(message);
                    }
                  })
              .build()
              .run()
              .epochs();
      // the second target update (step 4) finds fewer than 99.9% of labels changed: stop there
      assertEquals(3, h.size());
      assertEquals(4, h.get(2).batchLosses().length);
      assertEquals(3, updates.size());
      assertTrue(notices.stream().anyMatch(n -> n.contains("below tol")), notices.toString());
    }
    CheckpointState s = Checkpoints.readState(ckpt.resolve("p1-dec-e0001"));
    assertTrue(s.stoppedEarly());
  }

  @Test
  void aResumedRunIsBitIdenticalToAnUnbrokenOne() {
    float[] unbroken;
    List<ClusterUpdate> full = new ArrayList<>();
    Autoencoder a = headed();
    try (Model m = TinyModels.model(a, 1)) {
      loop(m, a, dec(3, 0, null), full).build().run();
      unbroken = TinyModels.parameters(m);
    }
    Path ckpt = tmp.resolve("resume");
    Autoencoder b = headed();
    try (Model m = TinyModels.model(b, 1)) {
      TrainingLoop first =
          loop(m, b, dec(3, 0, null), new ArrayList<>())
              .addListener(new CheckpointListener(ckpt))
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingLoop l, EpochResult r) {
                      if (r.phase().equals("dec") && r.epoch() == 1) {
                        l.requestStop();
                      }
                    }
                  })
              .build();
      first.run();
    }
    Autoencoder c = headed();
    List<ClusterUpdate> resumed = new ArrayList<>();
    try (Model m = TinyModels.model(c, 2)) {
      loop(m, c, dec(3, 0, null), resumed).build().resume(ckpt);
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
    }
    // epoch 1 had updates at steps 0, 4, 8; the resumed run makes those of epochs 2 and 3
    assertEquals(full.size() - 1 - 3, resumed.size());
    assertArrayEquals(full.get(full.size() - 1).labels(), resumed.get(resumed.size() - 1).labels());
  }

  @Test
  void aModelWithoutHeadIsRejected() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new DecPhase(TinyModels.mlp(), dec(1, 0, null)));
    assertTrue(e.getMessage().contains("has none"), e.getMessage());
  }
}
