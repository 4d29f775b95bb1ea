package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.ActivationFunction;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ConvArchitecture;
import io.deepclust.nn.LayerSpec;
import io.deepclust.nn.Size2d;
import io.deepclust.nn.WeightInit;
import io.deepclust.train.EmbeddedKMeansPhase.Config;
import io.deepclust.train.EmbeddedKMeansPhase.EmptyCluster;
import io.deepclust.train.EmbeddedKMeansPhase.Init;
import io.deepclust.train.EmbeddedKMeansPhase.Reduction;
import io.deepclust.train.EmbeddedKMeansPhase.Step;
import io.deepclust.train.ReconstructionPhase.LossKind;
import io.deepclust.util.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paper 004's embedded k-means phase: the centre update, the joint loss, the loop and resume. */
class EmbeddedKMeansPhaseTest {
  private static final long SEED = 13;

  @TempDir Path tmp;

  private static FloatMatrix column(double... v) {
    double[][] rows = new double[v.length][];
    for (int i = 0; i < v.length; i++) {
      rows[i] = new double[] {v[i]};
    }
    return FloatMatrix.of(rows);
  }

  @Test
  void lloydStepAssignsToTheOldCentresAndMovesEachToItsMembersMean() {
    FloatMatrix z = FloatMatrix.of(new double[][] {{0, 0}, {2, 0}, {10, 10}, {12, 10}, {11, 13}});
    FloatMatrix c = FloatMatrix.of(new double[][] {{1, 1}, {9, 9}});
    Step s = EmbeddedKMeansPhase.lloydStep(z, c, EmptyCluster.KEEP);
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, s.labels());
    assertArrayEquals(new float[] {1, 0, 11, 11}, s.centres().data(), 0f);
    // distances to the old centres: 2 + 2 + 2 + 10 + 20
    assertEquals(36.0, s.inertia(), 1e-9);
    assertEquals(0, s.emptyClusters());
    assertArrayEquals(new float[] {1, 1, 9, 9}, c.data(), 0f, "input centres untouched");
  }

  @Test
  void anEmptyClusterKeepsItsCentre() {
    Step s =
        EmbeddedKMeansPhase.lloydStep(
            column(0, 1, 10, 11), column(0.5, 10.5, 100), EmptyCluster.KEEP);
    assertArrayEquals(new int[] {0, 0, 1, 1}, s.labels());
    assertArrayEquals(new float[] {0.5f, 10.5f, 100f}, s.centres().data(), 0f);
    assertEquals(1, s.emptyClusters());
    assertEquals(0, s.relocated());
  }

  @Test
  void farthestMovesAnEmptyCentreOntoTheFarthestImageOfAClusterThatKeepsMembers() {
    // 4 ties between centres 1 and 7 and goes to the first; clusters {0, 4} and {7}
    Step s =
        EmbeddedKMeansPhase.lloydStep(
            column(0, 4, 7), column(1, 7, -50, 100), EmptyCluster.FARTHEST);
    // centre 2 takes 4 (distance 9); centre 3 would take 0 or 7, each its cluster's last member
    assertArrayEquals(new int[] {0, 2, 1}, s.labels());
    assertArrayEquals(new float[] {0f, 7f, 4f, 100f}, s.centres().data(), 0f);
    assertEquals(2, s.emptyClusters());
    assertEquals(1, s.relocated());
  }

  /** Encoder: flatten (B, 1, 2, 2) to (B, 4); decoder: y = 0.5 z + 0.25; no parameters. */
  private static Autoencoder fixedModel() {
    LambdaBlock enc = new LambdaBlock(l -> new NDList(l.singletonOrThrow().reshape(-1, 4)));
    LambdaBlock dec = new LambdaBlock(l -> new NDList(l.singletonOrThrow().mul(0.5f).add(0.25f)));
    return new Autoencoder(enc, dec, new Shape(1, 2, 2));
  }

  private static byte[] state(float[] centres, int k, int d, int[] labels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF("deepclust-embedded-kmeans-state-v1");
    out.writeBoolean(true);
    out.writeInt(k);
    out.writeInt(d);
    for (float v : centres) {
      out.writeFloat(v);
    }
    out.writeInt(labels.length);
    for (int l : labels) {
      out.writeInt(l);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static Config config(int k, double lambda, Reduction reduction) {
    return new Config(
        "embedded", 3, k, lambda, Init.RANDOM, 2, EmptyCluster.KEEP, LossKind.BCE, reduction, 64);
  }

  /**
   * x = [0, 1, .5, .25] (row 2, assigned to c1 = [1, 0, 0, 1]) and [1, 1, 0, 0] (row 1, assigned to
   * c0 = [0, 1, 0, 0]), y = x / 2 + 1/4. BCE summed over the 8 pixels: 3.0169496504578634, mean
   * 0.37711870630723293; Σ‖z − c*‖² = 2.8125 + 1 = 3.8125; λ/(2B) = 0.2 / 4.
   */
  @Test
  void theJointLossIsTheCrossEntropyPlusLambdaOverTwoNTimesTheSquaredDistances()
      throws IOException {
    float[] expected = {1.6990998f, 0.5677437f};
    Reduction[] reductions = {Reduction.SUM, Reduction.MEAN};
    for (int lam = 0; lam < 2; lam++) {
      for (int r = 0; r < 2; r++) {
        EmbeddedKMeansPhase phase =
            new EmbeddedKMeansPhase(fixedModel(), config(2, lam == 0 ? 0.2 : 0, reductions[r]));
        phase.loadState(
            new DataInputStream(
                new ByteArrayInputStream(
                    state(new float[] {0, 1, 0, 0, 1, 0, 0, 1}, 2, 4, new int[] {1, 0, 1, 0}))));
        try (NDManager m = NDManager.newBaseManager()) {
          NDArray x = m.create(new float[] {0, 1, 0.5f, 0.25f, 1, 1, 0, 0}, new Shape(2, 1, 2, 2));
          PhaseContext ctx =
              new PhaseContext(
                  null, null, new ParameterStore(m, false), m, null, true, "embedded", 1, 0);
          float loss = phase.loss(ctx, new TrainBatch(x, new int[] {2, 1}, 0)).getFloat();
          // λ = 0 row: the cross-entropy alone (summed 4 x 0.37711870 or mean)
          float want = lam == 0 ? expected[r] : (float) (0.37711870630723293 * (r == 0 ? 4 : 1));
          assertEquals(want, loss, 2e-6f, "lambda row " + lam + ", " + reductions[r]);
        }
      }
    }
    assertEquals(1.6990998252289318, 0.37711870630723293 * 4 + 0.05 * 3.8125, 1e-12);
  }

  private static BatchSource data() {
    return new BatchSource(
        TinyModels.blobs(240, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), SEED);
  }

  private static TrainingLoop.Builder loop(
      Model m, Autoencoder ae, Config cfg, List<ClusterUpdate> updates) {
    return TrainingLoop.builder(m, data())
        .optOptimizer(new SgdConfig(0.05f, 0.9f, 0f, false, 5e-4f))
        .addPhase(new EmbeddedKMeansPhase(ae, cfg))
        .addListener(
            new TrainingListener() {
              @Override
              public void onClusterUpdate(TrainingLoop l, ClusterUpdate u) {
                updates.add(u);
              }
            });
  }

  private static EmbeddedKMeansPhase phaseOf(TrainingLoop loop) {
    return (EmbeddedKMeansPhase) loop.phases().get(0);
  }

  @Test
  void eachEpochPublishesAnUpdateAndEndsWithCentresAtTheirMembersMeans() {
    List<ClusterUpdate> updates = new ArrayList<>();
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop l = loop(m, ae, config(4, 0.2, Reduction.SUM), updates).build();
      l.run();
      assertEquals(4, updates.size(), "the start and one per epoch");
      assertEquals(0, updates.get(0).epoch());
      assertTrue(Double.isNaN(updates.get(0).changedFraction()));
      assertEquals(3, updates.get(3).epoch());
      assertEquals(240, updates.get(3).labels().length);
      assertTrue(updates.get(3).values().containsKey("inertia"));
      EmbeddedKMeansPhase phase = phaseOf(l);
      FloatMatrix c = phase.centres();
      int[] labels = phase.labels();
      assertArrayEquals(updates.get(3).labels(), labels);
      // the model does not change after the last update: the centres are eq. 7's means
      FloatMatrix z;
      try (NDManager scope = m.getNDManager().newSubManager()) {
        z = new Embedder(ae.encoder(), TinyModels.IMAGE, 64).embed(scope, data().images());
      }
      double[] sums = new double[c.rows() * c.cols()];
      int[] counts = new int[c.rows()];
      for (int i = 0; i < z.rows(); i++) {
        counts[labels[i]]++;
        for (int f = 0; f < c.cols(); f++) {
          sums[labels[i] * c.cols() + f] += z.get(i, f);
        }
      }
      for (int j = 0; j < c.rows(); j++) {
        if (counts[j] > 0) {
          for (int f = 0; f < c.cols(); f++) {
            assertEquals(sums[j * c.cols() + f] / counts[j], c.get(j, f), 1e-5);
          }
        }
      }
    }
  }

  /**
   * Paper 004's DCAE (its dense transposed convolutions included) through 200 short epochs of the
   * joint phase (one step of 32 images each), each ending with the whole-data embedding, assignment
   * and centre update: the live arrays and managers of the whole engine are the same after every
   * epoch and the process's resident memory stays flat.
   */
  @Test
  void memoryStaysFlatOverHundredsOfShortEpochs() {
    ConvArchitecture dcae =
        new ConvArchitecture(
            new Shape(1, 28, 28),
            List.of(
                new LayerSpec.Conv(8, Size2d.square(9), null, null, null),
                sigmoid(),
                new LayerSpec.Conv(4, Size2d.square(9), null, null, null),
                sigmoid(),
                new LayerSpec.Flatten(),
                new LayerSpec.Linear(250, null),
                sigmoid(),
                new LayerSpec.Linear(10, null),
                sigmoid()),
            List.of(
                new LayerSpec.Linear(250, null),
                sigmoid(),
                new LayerSpec.Reshape(List.of(250, 1, 1)),
                new LayerSpec.ConvTranspose(4, Size2d.square(12), null, null, null, null),
                sigmoid(),
                new LayerSpec.ConvTranspose(4, Size2d.square(17), null, null, null, null),
                sigmoid(),
                new LayerSpec.ConvTranspose(1, Size2d.square(1), null, null, null, null),
                sigmoid()),
            WeightInit.XAVIER_UNIFORM,
            true);
    Autoencoder ae = new Autoencoder(dcae.encoder(), dcae.decoder(), dcae.inputShape());
    int epochs = 200;
    int[] live = new int[epochs];
    long[] rss = new long[epochs];
    SplittableRandom r = Seeds.stream(SEED, "memory-images");
    float[] pixels = new float[32 * 784];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextDouble();
    }
    BatchSource data =
        new BatchSource(
            new FloatMatrix(32, 784, pixels),
            dcae.inputShape(),
            new BatchConfig(32, true, false),
            SEED);
    Config cfg =
        new Config(
            "joint",
            epochs,
            4,
            0.2,
            Init.RANDOM,
            1,
            EmptyCluster.FARTHEST,
            LossKind.BCE,
            Reduction.SUM,
            32);
    // every manager of the engine (the model's and any other), so a leak anywhere is counted
    NDManager system;
    try (NDManager base = NDManager.newBaseManager()) {
      system = base.getParentManager();
    }
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop.builder(m, data)
          .optOptimizer(new SgdConfig(0.006f, 0.9f, 0f, false, 5e-4f))
          .addPhase(new EmbeddedKMeansPhase(ae, cfg))
          .addListener(
              new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingLoop l, EpochResult e) {
                  // garbage the JVM has not yet collected would count as growth
                  System.gc();
                  live[e.epoch() - 1] = TinyModels.liveResources(system);
                  rss[e.epoch() - 1] = TinyModels.rssKb();
                }
              })
          .build()
          .run();
    }
    System.err.printf(
        "dcae004 embedded k-means, %d epochs: live resources %d -> %d, RSS %d -> %d kB%n",
        epochs, live[9], live[epochs - 1], rss[9], rss[epochs - 1]);
    assertEquals(live[9], live[epochs - 1], "live arrays and managers after each epoch");
    assertEquals(live[epochs / 2], live[epochs - 1]);
    if (rss[9] > 0) {
      long growth = rss[epochs - 1] - rss[epochs / 2];
      // one leaked batch of images per epoch (100 kB) would add 10 MB
      assertTrue(growth < 8 * 1024, "RSS grew by " + growth + " kB over the last 100 epochs");
    }
  }

  private static LayerSpec sigmoid() {
    return new LayerSpec.Activation(ActivationFunction.SIGMOID);
  }

  @Test
  void aResumedRunIsBitIdenticalToAnUnbrokenOne() {
    Config cfg = config(4, 0.2, Reduction.SUM);
    List<ClusterUpdate> full = new ArrayList<>();
    float[] unbroken;
    FloatMatrix unbrokenCentres;
    Autoencoder a = TinyModels.mlp();
    try (Model m = TinyModels.model(a, 1)) {
      TrainingLoop l = loop(m, a, cfg, full).build();
      l.run();
      unbroken = TinyModels.parameters(m);
      unbrokenCentres = phaseOf(l).centres();
    }
    Path ckpt = tmp.resolve("resume");
    Autoencoder b = TinyModels.mlp();
    try (Model m = TinyModels.model(b, 1)) {
      loop(m, b, cfg, new ArrayList<>())
          .addListener(new CheckpointListener(ckpt))
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
    List<ClusterUpdate> resumed = new ArrayList<>();
    try (Model m = TinyModels.model(c, 2)) {
      TrainingLoop l = loop(m, c, cfg, resumed).build();
      l.resume(ckpt);
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
      assertArrayEquals(unbrokenCentres.data(), phaseOf(l).centres().data(), 0f);
    }
    assertEquals(2, resumed.size(), "epochs 2 and 3, no new start");
    assertArrayEquals(full.get(3).labels(), resumed.get(1).labels());
    assertEquals(full.get(3).changedFraction(), resumed.get(1).changedFraction(), 0);
  }

  @Test
  void kmeansInitStartsAtTheKMeansCentresAndRandomAtDistinctImages() {
    List<ClusterUpdate> updates = new ArrayList<>();
    Config km =
        new Config(
            "embedded",
            1,
            4,
            0.2,
            Init.KMEANS,
            3,
            EmptyCluster.FARTHEST,
            LossKind.BCE,
            Reduction.MEAN,
            64);
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop l = loop(m, ae, km, updates).build();
      l.run();
      assertNotNull(phaseOf(l).centres());
      assertEquals(4, updates.get(0).clustersInUse(), "k-means++ leaves no cluster empty");
    }
    int[] idx = EmbeddedKMeansPhase.distinctIndices(10, 10, 3, "x");
    assertEquals(10, java.util.Arrays.stream(idx).distinct().count());
  }

  @Test
  void configAndStateErrorsNameTheField() {
    var e = assertThrows(IllegalArgumentException.class, () -> config(1, 0.2, Reduction.SUM));
    assertTrue(e.getMessage().contains("k of phase"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config(2, -1, Reduction.SUM));
    assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmptyCluster.parse("drop"));
    assertTrue(e.getMessage().contains("keep"), e.getMessage());
    EmbeddedKMeansPhase phase =
        new EmbeddedKMeansPhase(fixedModel(), config(3, 0.2, Reduction.SUM));
    IOException io =
        assertThrows(
            IOException.class,
            () ->
                phase.loadState(
                    new DataInputStream(
                        new ByteArrayInputStream(
                            state(new float[] {0, 0}, 2, 1, new int[] {0, 1})))));
    assertTrue(io.getMessage().contains("k = 3"), io.getMessage());
  }
}
