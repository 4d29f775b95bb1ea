package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.ReconstructionPhase.LossKind;
import io.deepclust.train.triplet.TripletMiner;
import io.deepclust.train.triplet.Triplets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TripletPhaseTest {
  private static final long SEED = 42;

  @TempDir Path tmp;

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @Test
  void tripletMarginLossAndGradientMatchTorch() throws IOException {
    JsonNode fx;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/triplet_margin_loss.json")) {
      fx = new ObjectMapper().readTree(in);
    }
    Shape shape = new Shape(fx.get("batch").asInt(), fx.get("dim").asInt());
    for (JsonNode c : fx.get("cases")) {
      float margin = (float) c.get("margin").asDouble();
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray a = m.create(floats(fx.get("anchor")), shape);
        NDArray p = m.create(floats(fx.get("positive")), shape);
        NDArray n = m.create(floats(fx.get("negative")), shape);
        a.setRequiresGradient(true);
        float loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l = Losses.tripletMargin(a, p, n, margin);
          gc.backward(l);
          loss = l.getFloat();
        }
        assertEquals(c.get("loss").asDouble(), loss, 1e-6, "loss, margin " + margin);
        assertArrayEquals(
            floats(c.get("grad_anchor")),
            a.getGradient().toFloatArray(),
            1e-5f,
            "d loss / d anchor, margin " + margin);
      }
    }
  }

  @Test
  void tripletMarginByHand() {
    try (NDManager m = NDManager.newBaseManager()) {
      // d(a,p) = ||(3,4) + eps||, d(a,n) = ||(0,1) + eps||; second row: a = p, far negative
      NDArray a = m.create(new float[] {0, 0, 1, 1}, new Shape(2, 2));
      NDArray p = m.create(new float[] {-3, -4, 1, 1}, new Shape(2, 2));
      NDArray n = m.create(new float[] {0, -1, 9, 9}, new Shape(2, 2));
      double e = Losses.TRIPLET_EPS;
      double dap = Math.hypot(3 + e, 4 + e);
      double dan = Math.hypot(e, 1 + e);
      // row 2: d(a,p) = sqrt(2) eps, d(a,n) = ||(-8,-8) + eps|| ~ 11.3 > margin: hinge 0
      double want = (Math.max(0, dap - dan + 1.0) + 0.0) / 2;
      assertEquals(want, Losses.tripletMargin(a, p, n, 1f).getFloat(), 1e-5);
    }
  }

  /** An MLP encoder 64-16-8 with an L2-normalised output, as paper 001's embedding. */
  private static Autoencoder normalisedMlp(boolean batchNorm) {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(16).build());
    if (batchNorm) {
      enc.add(BatchNorm.builder().build());
    }
    enc.add(Activation::relu)
        .add(Linear.builder().setUnits(8).build())
        .add(
            new LambdaBlock(
                list -> {
                  NDArray z = list.singletonOrThrow();
                  return new NDList(z.div(z.norm(new int[] {1}, true).maximum(1e-12f)));
                }));
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(enc, dec, TinyModels.IMAGE);
  }

  private static TrainingLoop.Builder loop(
      Model model, Autoencoder ae, TripletPhase.Config tripletConfig) {
    BatchSource train =
        new BatchSource(
            TinyModels.blobs(512, 7), TinyModels.IMAGE, new BatchConfig(64, true, false), SEED);
    BatchSource validation =
        new BatchSource(
            TinyModels.blobs(96, 8), TinyModels.IMAGE, BatchConfig.sequential(64), SEED);
    return TrainingLoop.builder(model, train)
        .optValidationData(validation)
        .optAdam(AdamConfig.withLearningRate(3e-3f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", 1, LossKind.BCE)))
        .addPhase(new TripletPhase(ae, tripletConfig));
  }

  private static TripletPhase.Config tripletConfig() {
    return TripletPhase.Config.defaults()
        .withEpochs(1)
        .withSubsetSize(384)
        .withMining(
            TripletMiner.Config.defaults()
                .withNegativeMining(TripletMiner.NegativeMining.SEMI_HARD));
  }

  private static float[] values(Iterable<Parameter> params) {
    float[][] parts =
        java.util.stream.StreamSupport.stream(params.spliterator(), false)
            .map(p -> p.getArray().toFloatArray())
            .toArray(float[][]::new);
    int total = Arrays.stream(parts).mapToInt(a -> a.length).sum();
    float[] out = new float[total];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void reconstructionThenTripletTrainsOnlyTheEncoderOnTheSubset() {
    Autoencoder ae = normalisedMlp(false);
    try (Model m = TinyModels.model(ae, 1)) {
      float[][] dec = new float[2][];
      float[][] enc = new float[2][];
      TrainingLoop l =
          loop(m, ae, tripletConfig())
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingLoop loop, EpochResult r) {
                      dec[r.phaseIndex()] = values(ae.decoder().getParameters().values());
                      enc[r.phaseIndex()] = values(ae.encoder().getParameters().values());
                      assertEquals(
                          r.phaseIndex() == 1,
                          !ae.decoder().getParameters().valueAt(0).requiresGradient(),
                          "decoder frozen during the triplet phase only (checked at epoch end)");
                    }
                  })
              .build();
      TripletPhase triplet = (TripletPhase) l.phases().get(1);
      List<EpochResult> h = l.run().epochs();
      assertEquals(2, h.size());
      for (EpochResult r : h) {
        assertTrue(Double.isFinite(r.loss()), r.phase() + " loss " + r.loss());
        assertTrue(Double.isFinite(r.valLoss()), r.phase() + " val loss " + r.valLoss());
      }
      // the triplet loss lies in [0, margin + 2] for unit embeddings
      assertTrue(h.get(1).loss() >= 0 && h.get(1).loss() <= 3, "triplet loss " + h.get(1).loss());
      assertArrayEquals(dec[0], dec[1], "the decoder must not move in the triplet phase");
      assertFalse(Arrays.equals(enc[0], enc[1]), "the encoder trains in the triplet phase");
      assertTrue(
          ae.decoder().getParameters().valueAt(0).requiresGradient(),
          "afterPhase unfreezes the decoder");
      assertEquals(384, triplet.subsetRows().length);
      assertEquals(384, triplet.trainTriplets().size());
      assertEquals(96, triplet.validationTriplets().size());
      // 8 reconstruction steps, then 6 triplet steps (384 / 64) for the encoder only
      Parameter encW = ae.encoder().getParameters().valueAt(0);
      Parameter decW = ae.decoder().getParameters().valueAt(0);
      assertEquals(14, l.optimizer().stepCount(encW.getId()));
      assertEquals(8, l.optimizer().stepCount(decW.getId()));

      // the validation loss is the triplet loss of the final model on the validation triplets
      FloatMatrix val = TinyModels.blobs(96, 8);
      FloatMatrix z = new Embedder(ae.encoder(), TinyModels.IMAGE, 32).embed(val);
      Triplets vt = triplet.validationTriplets();
      double sum = 0;
      for (int a = 0; a < z.rows(); a++) {
        double dp = torchDistance(z, a, vt.positive()[a]);
        double dn = torchDistance(z, a, vt.negative()[a]);
        sum += Math.max(0, dp - dn + 1.0);
      }
      assertEquals(sum / z.rows(), h.get(1).valLoss(), 2e-5);
    }
  }

  /** ||z_a - z_b + eps||_2 in double. */
  private static double torchDistance(FloatMatrix z, int a, int b) {
    double s = 0;
    for (int k = 0; k < z.cols(); k++) {
      double t = (double) z.get(a, k) - z.get(b, k) + Losses.TRIPLET_EPS;
      s += t * t;
    }
    return Math.sqrt(s);
  }

  @Test
  void resumeAtThePhaseBoundaryIsExact() {
    for (TripletPhase.Forward forward : TripletPhase.Forward.values()) {
      TripletPhase.Config cfg = tripletConfig().withForward(forward);
      float[] straightParams;
      List<EpochResult> straight;
      Autoencoder aeA = normalisedMlp(true);
      try (Model a = TinyModels.model(aeA, 1)) {
        straight = loop(a, aeA, cfg).build().run().epochs();
        straightParams = TinyModels.parameters(a);
      }
      Path ckpt = tmp.resolve("ckpt-" + forward);
      Autoencoder aeB = normalisedMlp(true);
      try (Model b = TinyModels.model(aeB, 1)) {
        loop(b, aeB, cfg)
            .addListener(new CheckpointListener(ckpt))
            .addListener(
                new TrainingListener() {
                  @Override
                  public void onEpochEnd(TrainingLoop l, EpochResult r) {
                    l.requestStop();
                  }
                })
            .build()
            .run();
      }
      assertEquals("p0-pretrain-e0001", Checkpoints.resolve(ckpt).getFileName().toString());
      Autoencoder aeC = normalisedMlp(true);
      try (Model c = TinyModels.model(aeC, 999)) {
        TrainingLoop second = loop(c, aeC, cfg).build();
        List<EpochResult> resumed = second.resume(ckpt).epochs();
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
          assertEquals(straight.get(i).loss(), resumed.get(i).loss(), 1e-6, forward + " loss");
          assertEquals(
              straight.get(i).valLoss(), resumed.get(i).valLoss(), 1e-6, forward + " val loss");
          assertArrayEquals(
              straight.get(i).batchLosses(), resumed.get(i).batchLosses(), 1e-6f, forward + "");
        }
        float[] resumedParams = TinyModels.parameters(c);
        float maxDiff = 0;
        for (int i = 0; i < straightParams.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(straightParams[i] - resumedParams[i]));
        }
        System.err.println(forward + ": resume at the phase boundary, max |param diff| " + maxDiff);
        assertTrue(maxDiff <= 1e-6f, forward + " max parameter difference " + maxDiff);
      }
    }
  }

  @Test
  void configsAreValidated() {
    TripletPhase.Config d = TripletPhase.Config.defaults();
    assertEquals(20_000, d.subsetSize());
    assertEquals(1.0f, d.margin());
    assertEquals(0.5f, d.mining().negativeThreshold());
    assertThrows(IllegalArgumentException.class, () -> d.withSubsetSize(2));
    assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0));
    assertEquals(TripletPhase.Forward.SEPARATE, TripletPhase.Forward.parse(" Separate"));
    assertThrows(IllegalArgumentException.class, () -> TripletPhase.Forward.parse("both"));
  }

  @Test
  void subsetIsSeededAndSorted() {
    BatchSource data =
        new BatchSource(TinyModels.blobs(100, 3), TinyModels.IMAGE, BatchConfig.defaults(), 5);
    int[] a = data.sampleRows(30, "x");
    assertArrayEquals(a, data.sampleRows(30, "x"));
    assertFalse(Arrays.equals(a, data.sampleRows(30, "y")));
    assertEquals(30, Arrays.stream(a).distinct().count());
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1] < a[i]);
    }
    BatchSource sub = data.subset(a);
    assertEquals(30, sub.size());
    assertArrayEquals(data.images().row(a[7]), sub.images().row(7));
    assertEquals(100, data.sampleRows(500, "x").length);
  }
}
