package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.ReconstructionPhase.LossKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingLoopTest {
  private static final long SEED = 42;

  @TempDir Path tmp;

  private static BatchSource train(int n) {
    return new BatchSource(
        TinyModels.blobs(n, 7), TinyModels.IMAGE, new BatchConfig(64, true, false), SEED);
  }

  private static BatchSource validation() {
    return new BatchSource(
        TinyModels.blobs(128, 8), TinyModels.IMAGE, BatchConfig.sequential(64), SEED);
  }

  /** pretrain (BCE, 3 epochs) then finetune (MSE, 1 epoch): 4 epochs in two phases. */
  private static TrainingLoop.Builder twoPhaseLoop(Model model, Autoencoder ae) {
    return TrainingLoop.builder(model, train(512))
        .optValidationData(validation())
        .optAdam(AdamConfig.withLearningRate(3e-3f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", 3, LossKind.BCE)))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("finetune", 1, LossKind.MSE)))
        .addListener(new ProgressListener(Progress.Mode.PLAIN, System.err));
  }

  /** Stops the loop after {@code n} finished epochs in total. */
  private static TrainingListener stopAfter(int n) {
    return onEpochEnd(
        (loop, r) -> {
          if (loop.history().size() == n) {
            loop.requestStop();
          }
        });
  }

  /** A listener that runs {@code action} at the end of each epoch. */
  private static TrainingListener onEpochEnd(BiConsumer<TrainingLoop, EpochResult> action) {
    return new TrainingListener() {
      @Override
      public void onEpochEnd(TrainingLoop loop, EpochResult r) {
        action.accept(loop, r);
      }
    };
  }

  /**
   * A phase of {@code epochs} epochs that runs {@code beforePhase} when it starts and trains on
   * {@code loss}.
   */
  private static Phase phase(
      String name,
      int epochs,
      Consumer<PhaseContext> beforePhase,
      BiFunction<PhaseContext, TrainBatch, NDArray> loss) {
    return new Phase() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int epochs() {
        return epochs;
      }

      @Override
      public void beforePhase(PhaseContext ctx) {
        beforePhase.accept(ctx);
      }

      @Override
      public NDArray loss(PhaseContext ctx, TrainBatch batch) {
        return loss.apply(ctx, batch);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void resumedRunMatchesUnbrokenRun(int killAfter) {
    float[] straightParams;
    List<EpochResult> straight;
    Autoencoder aeA = TinyModels.mlp();
    try (Model a = TinyModels.model(aeA, 1)) {
      straight = twoPhaseLoop(a, aeA).build().run().epochs();
      straightParams = TinyModels.parameters(a);
    }
    assertEquals(4, straight.size());

    Path ckpt = tmp.resolve("ckpt");
    Autoencoder aeB = TinyModels.mlp();
    try (Model b = TinyModels.model(aeB, 1)) {
      TrainingLoop first =
          twoPhaseLoop(b, aeB)
              .addListener(new CheckpointListener(ckpt))
              .addListener(stopAfter(killAfter))
              .build();
      assertEquals(killAfter, first.run().size());
    }
    float[] resumedParams;
    List<EpochResult> resumed;
    // a "new process": different initial weights, which the checkpoint must overwrite
    Autoencoder aeC = TinyModels.mlp();
    try (Model c = TinyModels.model(aeC, 999)) {
      TrainingLoop second = twoPhaseLoop(c, aeC).addListener(new CheckpointListener(ckpt)).build();
      resumed = second.resume(ckpt).epochs();
      resumedParams = TinyModels.parameters(c);
      assertEquals(4L * 8, second.steps());
    }
    assertEquals(straight.size(), resumed.size());
    for (int i = 0; i < straight.size(); i++) {
      EpochResult s = straight.get(i);
      EpochResult r = resumed.get(i);
      assertEquals(s.phase(), r.phase());
      assertEquals(s.epoch(), r.epoch());
      assertEquals(s.loss(), r.loss(), 1e-6, "loss of epoch " + i);
      assertEquals(s.valLoss(), r.valLoss(), 1e-6, "val_loss of epoch " + i);
      assertArrayEquals(s.batchLosses(), r.batchLosses(), 1e-6f, "batch losses of epoch " + i);
    }
    assertEquals(straightParams.length, resumedParams.length);
    float maxDiff = 0;
    for (int i = 0; i < straightParams.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(straightParams[i] - resumedParams[i]));
    }
    System.err.println("resume after " + killAfter + " epochs: max |param diff| = " + maxDiff);
    assertTrue(maxDiff <= 1e-6f, "max parameter difference " + maxDiff);
    // training did something
    assertTrue(straight.get(2).loss() < straight.get(0).loss());
  }

  @Test
  void checkpointFolderHoldsOnlyTheNewestCompleteCheckpointAndCsvHasAllEpochs() throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    Path csv = tmp.resolve("metrics.csv");
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      twoPhaseLoop(m, ae)
          .addListener(new CheckpointListener(ckpt))
          .addListener(new MetricsCsvListener(csv))
          .build()
          .run();
    }
    List<String> names;
    try (Stream<Path> s = Files.list(ckpt)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("latest", "p0-pretrain-e0003", "p1-finetune-e0001", "previous"), names);
    assertEquals("p1-finetune-e0001", Files.readString(ckpt.resolve("latest")).trim());
    assertEquals("p0-pretrain-e0003", Files.readString(ckpt.resolve("previous")).trim());
    Path cp = Checkpoints.resolve(ckpt);
    CheckpointState state = Checkpoints.readState(cp);
    assertEquals(1, state.phaseIndex());
    assertEquals(1, state.epochsDone());
    assertEquals(32, state.steps());
    assertEquals(List.of("pretrain", "finetune"), state.phases());
    assertEquals(4, state.history().size());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(MetricsCsvListener.HEADER, lines.get(0));
    assertEquals(5, lines.size());
    assertTrue(lines.get(1).startsWith("pretrain,1,"));
    assertTrue(lines.get(4).startsWith("finetune,1,"));
    assertTrue(lines.get(4).endsWith(",0.0030000000"), lines.get(4));
    assertFalse(lines.get(1).split(",")[3].isEmpty(), "val_loss present");
  }

  @Test
  void resumeRejectsACheckpointOfAnotherRecipe() {
    Path ckpt = tmp.resolve("ckpt");
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      twoPhaseLoop(m, ae)
          .addListener(new CheckpointListener(ckpt))
          .addListener(stopAfter(1))
          .build()
          .run();
    }
    Autoencoder ae2 = TinyModels.mlp();
    try (Model m = TinyModels.model(ae2, 1)) {
      TrainingLoop other =
          TrainingLoop.builder(m, train(512))
              .addPhase(
                  new ReconstructionPhase(
                      ae2, new ReconstructionPhase.Config("other", 1, LossKind.MSE)))
              .build();
      var e = assertThrows(IllegalArgumentException.class, () -> other.resume(ckpt));
      assertTrue(e.getMessage().contains("[pretrain, finetune]"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Checkpoints.resolve(tmp.resolve("none")));
  }

  /** Linear output (no sigmoid) + MSE, so a huge step really overflows. */
  private static Autoencoder unboundedMlp() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(16).build())
            .add(Activation::relu);
    SequentialBlock dec = new SequentialBlock().add(Linear.builder().setUnits(64).build());
    return new Autoencoder(enc, dec, TinyModels.IMAGE);
  }

  @Test
  void hugeLearningRateStopsWithDivergenceMessage() {
    Autoencoder ae = unboundedMlp();
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          TrainingLoop.builder(m, train(512))
              .optAdam(AdamConfig.withLearningRate(1e9f))
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("pretrain", 20, LossKind.MSE)))
              .build();
      var e = assertThrows(TrainingDivergedException.class, loop::run);
      System.err.println("diverged: " + e.getMessage());
      assertTrue(e.getMessage().contains("phase 'pretrain'"), e.getMessage());
      assertTrue(e.getMessage().contains("Lower the learning rate (it is 1.0E9"), e.getMessage());
      assertTrue(e.getMessage().contains("No checkpoint had been written yet"), e.getMessage());
      assertFalse(Float.isFinite(e.loss()));
    }
  }

  /**
   * Trains a 3-epoch BCE pretraining whose loss at ({@code epoch}, 0-based {@code batch}) goes
   * through {@code poison}, with checkpoints in {@code ckpt}; returns the divergence it must stop
   * with, after checking that no parameter became NaN (the bad step was not taken).
   */
  private TrainingDivergedException divergeAt(
      Path ckpt, int epoch, int batch, java.util.function.UnaryOperator<NDArray> poison) {
    Autoencoder ae = TinyModels.mlp();
    ReconstructionPhase inner =
        new ReconstructionPhase(ae, new ReconstructionPhase.Config("pretrain", 3, LossKind.BCE));
    Phase poisoned =
        phase(
            inner.name(),
            inner.epochs(),
            ctx -> {},
            (ctx, b) -> {
              NDArray l = inner.loss(ctx, b);
              return ctx.epoch() == epoch && b.index() == batch ? poison.apply(l) : l;
            });
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          TrainingLoop.builder(m, train(512))
              .addPhase(poisoned)
              .addListener(new CheckpointListener(ckpt))
              .build();
      var e = assertThrows(TrainingDivergedException.class, loop::run);
      for (float v : TinyModels.parameters(m)) {
        assertTrue(Float.isFinite(v));
      }
      return e;
    }
  }

  @Test
  void injectedNanKeepsLastGoodCheckpoint() {
    Path ckpt = tmp.resolve("ckpt");
    var e = divergeAt(ckpt, 2, 4, l -> l.mul(Float.NaN));
    Path good = ckpt.resolve("p0-pretrain-e0001");
    assertEquals(good, e.lastCheckpoint());
    assertEquals(2, e.epoch());
    assertEquals(5, e.batch());
    assertTrue(e.getMessage().contains("epoch 2, batch 5: the loss is NaN"), e.getMessage());
    assertTrue(e.nanStep());
    assertEquals(null, e.parameter());
    assertTrue(e.getMessage().contains("kept at " + good), e.getMessage());
    assertEquals(good, Checkpoints.resolve(ckpt));
  }

  @Test
  void aFiniteLossWithANanGradientStopsBeforeTheStepNamingTheParameter() {
    Path ckpt = tmp.resolve("ckpt");
    // sqrt's derivative at 0 is infinite: 0 * inf = NaN in every gradient, the loss stays finite
    var e = divergeAt(ckpt, 2, 1, l -> l.add(l.mul(0).sqrt()));
    assertEquals(2, e.epoch());
    assertEquals(2, e.batch());
    assertTrue(Float.isFinite(e.loss()), e.getMessage());
    assertTrue(
        e.getMessage().contains("is finite but the gradient of parameter '"), e.getMessage());
    assertTrue(e.getMessage().contains(" NaN and 0 infinite of "), e.getMessage());
    // every parameter is named with its count, to tell where the NaN entered
    assertTrue(e.getMessage().contains(" parameters have non-finite gradients: "), e.getMessage());
    // a NaN step like a NaN loss: run retries it from the last checkpoint
    assertTrue(e.nanStep());
    assertTrue(e.getMessage().contains("'" + e.parameter() + "'"), e.getMessage());
    assertEquals(ckpt.resolve("p0-pretrain-e0001"), e.lastCheckpoint());
  }

  @Test
  void evaluationLeavesBatchNormRunningStatsAlone() {
    Autoencoder ae = TinyModels.convBn();
    try (Model m = TinyModels.model(ae, 3)) {
      Parameter runningMean = findParam(m, "runningMean");
      Parameter runningVar = findParam(m, "runningVar");
      List<float[]> atLastBatch = new ArrayList<>();
      List<float[]> atEpochEnd = new ArrayList<>();
      TrainingLoop loop =
          TrainingLoop.builder(m, train(256))
              .optValidationData(validation())
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("pretrain", 2, LossKind.BCE)))
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onBatchEnd(TrainingLoop l, BatchResult r) {
                      if (r.batch() == r.batches()) {
                        atLastBatch.add(runningMean.getArray().toFloatArray());
                      }
                    }

                    @Override
                    public void onEpochEnd(TrainingLoop l, EpochResult r) {
                      // validation ran in between, in eval mode
                      atEpochEnd.add(runningMean.getArray().toFloatArray());
                    }
                  })
              .build();
      loop.run();
      assertEquals(2, atEpochEnd.size());
      assertArrayEquals(atLastBatch.get(1), atEpochEnd.get(1));
      assertFalse(
          java.util.Arrays.equals(atLastBatch.get(0), atLastBatch.get(1)),
          "training updates stats");

      float[] mean = runningMean.getArray().toFloatArray();
      float[] var = runningVar.getArray().toFloatArray();
      FloatMatrix z =
          new Embedder(ae.encoder(), TinyModels.IMAGE, 50).embed(TinyModels.blobs(120, 9));
      assertEquals(120, z.rows());
      assertEquals(8, z.cols());
      assertArrayEquals(mean, runningMean.getArray().toFloatArray());
      assertArrayEquals(var, runningVar.getArray().toFloatArray());

      // a training-mode forward does change them (the check above is not vacuous)
      try (NDManager s = m.getNDManager().newSubManager()) {
        NDArray x = train(256).toNDArray(s, new int[] {0, 1, 2, 3});
        ae.reconstruct(new ParameterStore(s, false), x, true);
      }
      assertFalse(java.util.Arrays.equals(mean, runningMean.getArray().toFloatArray()));
    }
  }

  private static Parameter findParam(Model m, String suffix) {
    return m.getBlock().getParameters().stream()
        .filter(p -> p.getKey().endsWith(suffix))
        .findFirst()
        .orElseThrow()
        .getValue();
  }

  @Test
  void memoryStaysFlatOverEpochs() {
    Autoencoder ae = TinyModels.mlp();
    long[] rss = new long[6];
    int[] live = new int[6];
    double[] imagesPerSecond = new double[6];
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          TrainingLoop.builder(m, train(1024))
              .optValidationData(validation())
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("pretrain", 5, LossKind.BCE)))
              .addListener(new CheckpointListener(tmp.resolve("ckpt")))
              .addListener(new MetricsCsvListener(tmp.resolve("m.csv")))
              .addListener(
                  onEpochEnd(
                      (l, r) -> {
                        System.gc();
                        live[r.epoch()] = TinyModels.liveResources(m.getNDManager());
                        rss[r.epoch()] = TinyModels.rssKb();
                        imagesPerSecond[r.epoch()] = r.imagesPerSecond();
                      }))
              .build();
      loop.run();
      // after the run the trainer (and its scopes) are closed; embed once more to be sure
      int before = TinyModels.liveResources(m.getNDManager());
      new Embedder(ae.encoder(), TinyModels.IMAGE, 256)
          .embed(m.getNDManager(), TinyModels.blobs(1000, 3));
      assertEquals(before, TinyModels.liveResources(m.getNDManager()));
    }
    System.err.printf(
        "memory: live resources epoch1=%d epoch5=%d; RSS epoch1=%d kB epoch5=%d kB (growth %d kB);"
            + " tiny MLP %.0f img/s%n",
        live[1], live[5], rss[1], rss[5], rss[5] - rss[1], imagesPerSecond[5]);
    assertEquals(live[1], live[5], "live NDArrays/managers under the model manager");
    assertEquals(live[2], live[5]);
    if (rss[1] > 0) {
      assertTrue(rss[5] - rss[1] < 64 * 1024, "RSS grew by " + (rss[5] - rss[1]) + " kB");
    }
  }

  @Test
  void blockGroupTrainsOnlyTheUnfrozenMembersOfEachPhase() {
    Autoencoder ae = TinyModels.mlp();
    try (Model m = Model.newInstance("group")) {
      ai.djl.engine.Engine.getInstance().setRandomSeed(5);
      ae.initialize(m.getNDManager());
      var head = Linear.builder().setUnits(1).build();
      head.initialize(
          m.getNDManager(),
          ai.djl.ndarray.types.DataType.FLOAT32,
          new ai.djl.ndarray.types.Shape(1, 16));
      m.setBlock(new BlockGroup().add("autoencoder", ae.block()).add("head", head));
      ReconstructionPhase pre =
          new ReconstructionPhase(ae, new ReconstructionPhase.Config("pretrain", 1, LossKind.MSE));
      Phase pretrain = phase("pretrain", 1, ctx -> head.freezeParameters(true), pre::loss);
      // regress the mean pixel from the frozen encoder's embedding
      Phase headOnly =
          phase(
              "head",
              1,
              ctx -> {
                ae.block().freezeParameters(true);
                head.freezeParameters(false);
              },
              (ctx, batch) -> {
                NDArray x = batch.images();
                NDArray z = ae.encode(ctx.parameterStore(), x, ctx.training());
                NDArray y = ctx.forward(head, z).reshape(-1);
                return Losses.meanSquaredError(
                    y, x.reshape(x.getShape().get(0), -1).mean(new int[] {1}));
              });
      float[][] snapshots = new float[3][];
      snapshots[0] = TinyModels.parameters(m);
      TrainingLoop loop =
          TrainingLoop.builder(m, train(256))
              .addPhase(pretrain)
              .addPhase(headOnly)
              .addListener(new CheckpointListener(tmp.resolve("g")))
              .addListener(
                  onEpochEnd((l, r) -> snapshots[r.phaseIndex() + 1] = TinyModels.parameters(m)))
              .build();
      loop.run();
      int aeSize =
          (int)
              ae.block().getParameters().values().stream()
                  .mapToLong(p -> p.getArray().size())
                  .sum();
      // parameters() lists the autoencoder first, then the head (1 x 16 weight + 1 bias)
      assertEquals(aeSize + 17, snapshots[0].length);
      var aeOf =
          (java.util.function.Function<float[], float[]>) a -> java.util.Arrays.copyOf(a, aeSize);
      var headOf =
          (java.util.function.Function<float[], float[]>)
              a -> java.util.Arrays.copyOfRange(a, aeSize, a.length);
      assertFalse(java.util.Arrays.equals(aeOf.apply(snapshots[0]), aeOf.apply(snapshots[1])));
      assertArrayEquals(headOf.apply(snapshots[0]), headOf.apply(snapshots[1]));
      assertArrayEquals(aeOf.apply(snapshots[1]), aeOf.apply(snapshots[2]));
      assertFalse(java.util.Arrays.equals(headOf.apply(snapshots[1]), headOf.apply(snapshots[2])));
      assertEquals("p1-head-e0001", Checkpoints.resolve(tmp.resolve("g")).getFileName().toString());
    }
  }

  @Test
  void progressListenerPrintsPlainEpochLines() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1);
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      TrainingLoop.builder(m, train(256))
          .addPhase(
              new ReconstructionPhase(
                  ae, new ReconstructionPhase.Config("pretrain", 2, LossKind.MSE)))
          .addListener(new ProgressListener(Progress.Mode.PLAIN, out))
          .build()
          .run();
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("pretrain epoch 1/2 4/4 loss "), text);
    assertTrue(text.contains(" img/s ETA 0:00:00"), text);
    assertTrue(text.contains("pretrain epoch 2/2: loss "), text);
  }

  @Test
  void builderRejectsBadSetups() {
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      var b = TrainingLoop.builder(m, train(64));
      assertThrows(IllegalArgumentException.class, b::build);
      Phase p = new ReconstructionPhase(ae, new ReconstructionPhase.Config("a", 1, LossKind.MSE));
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TrainingLoop.builder(m, train(64)).addPhase(p).addPhase(p).build());
      assertTrue(e.getMessage().contains("'a'"));
      TrainingLoop once = TrainingLoop.builder(m, train(64)).addPhase(p).build();
      assertNotNull(once.run());
      assertThrows(IllegalStateException.class, once::run);
    }
  }

  /**
   * SGD with Nesterov momentum and weight decay; pretrain (4 epochs) decays its rate with StepLr
   * and may stop early on val_loss, finetune reduces it on plateaus of the training loss.
   */
  private static TrainingLoop.Builder sgdLoop(Model model, Autoencoder ae) {
    return TrainingLoop.builder(model, train(512))
        .optValidationData(validation())
        .optOptimizer(new SgdConfig(0.5f, 0.9f, 0f, true, 1e-4f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", 4, LossKind.BCE)),
            new PhaseOptions(
                new LrSchedule.StepLr(2, 0.5f),
                new EarlyStopping(LrSchedule.VAL_LOSS, 1, 0.03f, true)))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("finetune", 3, LossKind.MSE)),
            PhaseOptions.of(new LrSchedule.ReduceLrOnPlateau("loss", 0.5f, 0, 0.5f, 0, 0f)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4})
  void resumedSgdRunWithSchedulesMatchesUnbrokenRunBitForBit(int killAfter) {
    List<EpochResult> straight;
    float[] straightParams;
    Autoencoder aeA = TinyModels.mlp();
    try (Model a = TinyModels.model(aeA, 1)) {
      straight = sgdLoop(a, aeA).build().run().epochs();
      straightParams = TinyModels.parameters(a);
    }
    // StepLr(2, 0.5) in pretrain; finetune starts again at the base rate
    assertEquals(0.5, straight.get(0).lr(), 1e-7);
    assertEquals(0.5, straight.get(1).lr(), 1e-7);
    assertEquals(0.25, straight.get(2).lr(), 1e-7);
    assertEquals(3, straight.stream().filter(e -> e.phase().equals("pretrain")).count());
    EpochResult firstFinetune =
        straight.stream().filter(e -> e.phase().equals("finetune")).findFirst().orElseThrow();
    assertEquals(0.5, firstFinetune.lr(), 1e-7);
    // epoch 1 improves on +inf; the plateau threshold 0.5 cannot be met after that, and with
    // patience 0 the rate halves after epoch 2
    List<EpochResult> fine = straight.stream().filter(e -> e.phase().equals("finetune")).toList();
    assertEquals(3, fine.size());
    assertEquals(0.5, fine.get(1).lr(), 1e-7);
    assertEquals(0.25, fine.get(2).lr(), 1e-7);
    straight.forEach(
        e ->
            System.err.printf(
                "sgd %s %d: loss %.5f val %.5f lr %.4g%n",
                e.phase(), e.epoch(), e.loss(), e.valLoss(), e.lr()));

    Path ckpt = tmp.resolve("ckpt");
    Autoencoder aeB = TinyModels.mlp();
    try (Model b = TinyModels.model(aeB, 1)) {
      sgdLoop(b, aeB)
          .addListener(new CheckpointListener(ckpt))
          .addListener(stopAfter(killAfter))
          .build()
          .run();
    }
    List<EpochResult> resumed;
    float[] resumedParams;
    Autoencoder aeC = TinyModels.mlp();
    try (Model c = TinyModels.model(aeC, 999)) {
      resumed = sgdLoop(c, aeC).build().resume(ckpt).epochs();
      resumedParams = TinyModels.parameters(c);
    }
    assertEquals(straight.size(), resumed.size());
    for (int i = 0; i < straight.size(); i++) {
      EpochResult s = straight.get(i);
      EpochResult r = resumed.get(i);
      assertEquals(s.phase() + s.epoch(), r.phase() + r.epoch());
      assertEquals(s.loss(), r.loss(), 0.0, "loss of epoch " + i);
      assertEquals(s.valLoss(), r.valLoss(), 0.0, "val_loss of epoch " + i);
      assertEquals(s.lr(), r.lr(), 0.0, "lr of epoch " + i);
    }
    assertArrayEquals(straightParams, resumedParams, 0f);
  }

  @Test
  void earlyStoppingEndsThePhaseAndRestoresTheBestEpoch() {
    Autoencoder ae = TinyModels.mlp();
    List<String> notices = new ArrayList<>();
    float[][] afterEpoch1 = new float[1][];
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          TrainingLoop.builder(m, train(256))
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("pretrain", 10, LossKind.MSE)),
                  // nothing improves by 10: epoch 1 is the best, epochs 2 and 3 are bad
                  new PhaseOptions(LrSchedule.constant(), new EarlyStopping("loss", 2, 10f, true)))
              .addPhase(
                  new ReconstructionPhase(
                      ae, new ReconstructionPhase.Config("finetune", 1, LossKind.MSE)))
              .addListener(new CheckpointListener(tmp.resolve("es")))
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingLoop l, EpochResult r) {
                      if (r.phase().equals("pretrain") && r.epoch() == 1) {
                        afterEpoch1[0] = TinyModels.parameters(m);
                      }
                      if (r.phase().equals("pretrain") && r.epoch() == 3) {
                        // the best parameters are back before the phase's last listeners run
                        assertArrayEquals(afterEpoch1[0], TinyModels.parameters(m), 0f);
                        assertTrue(l.phaseFinished());
                      }
                    }

                    @Override
                    public void onNotice(TrainingLoop l, String message) {
                      notices.add(message);
                    }
                  })
              .build();
      List<EpochResult> h = loop.run().epochs();
      assertEquals(4, h.size());
      assertEquals("pretrain", h.get(2).phase());
      assertEquals("finetune", h.get(3).phase());
    }
    assertTrue(
        notices.stream().anyMatch(n -> n.contains("early stop after epoch 3/10")),
        notices.toString());
    assertTrue(
        notices.stream().anyMatch(n -> n.contains("restored the parameters of epoch 1")),
        notices.toString());
    CheckpointState s = Checkpoints.readState(tmp.resolve("es").resolve("p0-pretrain-e0003"));
    assertTrue(s.stoppedEarly());
  }

  @Test
  void valLossMonitorWithoutValidationDataIsRejected() {
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      var b =
          TrainingLoop.builder(m, train(64))
              .addPhase(
                  new ReconstructionPhase(ae, new ReconstructionPhase.Config("a", 2, LossKind.MSE)),
                  PhaseOptions.of(
                      new LrSchedule.ReduceLrOnPlateau("val_loss", 0.1f, 1, 1e-4f, 0, 0f)));
      var e = assertThrows(IllegalArgumentException.class, b::build);
      assertTrue(e.getMessage().contains("val_loss"), e.getMessage());
      assertTrue(e.getMessage().contains("no validation data"), e.getMessage());
    }
  }

  /** Writes checkpoints of pretrain epochs 1-3 (3-epoch phase), returns the folder. */
  private Path threeEpochCheckpoints() {
    Path ckpt = tmp.resolve("ckpt");
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      twoPhaseLoop(m, ae)
          .addListener(new CheckpointListener(ckpt))
          .addListener(stopAfter(3))
          .build()
          .run();
    }
    return ckpt;
  }

  private static TrainingLoop.Builder pretrainOnly(Model m, Autoencoder ae, int epochs) {
    return TrainingLoop.builder(m, train(512))
        .optValidationData(validation())
        .optAdam(AdamConfig.withLearningRate(3e-3f))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("pretrain", epochs, LossKind.BCE)))
        .addPhase(
            new ReconstructionPhase(
                ae, new ReconstructionPhase.Config("finetune", 1, LossKind.MSE)));
  }

  @Test
  void resumeWithFewerEpochsThanTheCheckpointFailsBeforeTraining() {
    Path ckpt = threeEpochCheckpoints();
    Checkpoints.Summary d = Checkpoints.describe(ckpt);
    assertEquals(0, d.phaseIndex());
    assertEquals("pretrain", d.phase());
    assertEquals(3, d.epochsDone());
    assertEquals(ckpt.resolve("p0-pretrain-e0003"), d.checkpoint());
    assertTrue(d.warnings().isEmpty());
    var e0 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Checkpoints.checkResumable(
                    d.checkpoint(), d.state(), List.of("pretrain", "finetune"), List.of(2, 1)));
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      List<EpochResult> seen = new ArrayList<>();
      TrainingLoop loop =
          pretrainOnly(m, ae, 2).addListener(onEpochEnd((l, r) -> seen.add(r))).build();
      var e = assertThrows(IllegalArgumentException.class, () -> loop.resume(ckpt));
      System.err.println("fewer epochs: " + e.getMessage());
      assertEquals(e0.getMessage(), e.getMessage());
      assertTrue(e.getMessage().contains("phase 'pretrain' already has 3 epochs"), e.getMessage());
      assertTrue(e.getMessage().contains("asks for 2"), e.getMessage());
      assertTrue(seen.isEmpty());
    }
  }

  @Test
  void truncatedLatestParamsFallBackToThePreviousCheckpoint() throws Exception {
    Path ckpt = threeEpochCheckpoints();
    Path latest = ckpt.resolve("p0-pretrain-e0003");
    assertEquals(ckpt.resolve("p0-pretrain-e0002"), Checkpoints.candidates(ckpt).get(1));
    Path params = latest.resolve(Checkpoints.PARAMS);
    byte[] bytes = Files.readAllBytes(params);
    Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    List<String> warnings = new ArrayList<>();
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          pretrainOnly(m, ae, 3)
              .addListener(
                  new TrainingListener() {
                    @Override
                    public void onWarning(TrainingLoop l, String message) {
                      warnings.add(message);
                    }
                  })
              .build();
      List<EpochResult> h = loop.resume(ckpt).epochs();
      assertEquals(4, h.size(), "epoch 3 of pretrain is redone, then finetune");
    }
    assertEquals(1, warnings.size(), warnings.toString());
    String w = warnings.get(0);
    System.err.println(w);
    assertTrue(w.contains(params.toString()), w);
    assertTrue(w.contains("truncated"), w);
    assertTrue(w.contains("p0-pretrain-e0002"), w);
  }

  @Test
  void bothCheckpointsDamagedGiveAClearError() throws Exception {
    Path ckpt = threeEpochCheckpoints();
    Path a = ckpt.resolve("p0-pretrain-e0003").resolve(Checkpoints.PARAMS);
    Files.write(a, new byte[0]);
    Path b = ckpt.resolve("p0-pretrain-e0002").resolve(Checkpoints.OPTIMIZER);
    byte[] bytes = Files.readAllBytes(b);
    Files.write(b, java.util.Arrays.copyOf(bytes, 40));
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop = pretrainOnly(m, ae, 3).build();
      var e = assertThrows(IllegalArgumentException.class, () -> loop.resume(ckpt));
      System.err.println("both damaged: " + e.getMessage());
      assertTrue(e.getMessage().contains("no readable checkpoint in " + ckpt), e.getMessage());
      assertTrue(e.getMessage().contains(a + ": truncated"), e.getMessage());
      assertTrue(e.getMessage().contains(b + ": truncated"), e.getMessage());
      assertTrue(e.getMessage().contains("without resuming"), e.getMessage());
      assertFalse(e.getMessage().contains("null"), e.getMessage());
    }
    // a damaged state.json is skipped by describe with the cause
    Files.writeString(
        ckpt.resolve("p0-pretrain-e0003").resolve(Checkpoints.STATE), "{\"format\": 2,");
    Checkpoints.Summary d = Checkpoints.describe(ckpt);
    assertEquals(2, d.epochsDone());
    assertEquals(1, d.warnings().size());
    assertTrue(d.warnings().get(0).contains("not valid JSON"), d.warnings().get(0));
  }

  @Test
  void aLossThatBlowsUpWithoutNaNStopsTheRunBeforeItsCheckpoint() {
    Autoencoder ae = TinyModels.mlp();
    ReconstructionPhase inner =
        new ReconstructionPhase(ae, new ReconstructionPhase.Config("pretrain", 5, LossKind.MSE));
    // the loss grows tenfold per epoch, finite throughout
    Phase growing =
        new Phase() {
          @Override
          public String name() {
            return inner.name();
          }

          @Override
          public int epochs() {
            return inner.epochs();
          }

          @Override
          public double divergenceFactor() {
            return inner.divergenceFactor();
          }

          @Override
          public ai.djl.ndarray.NDArray loss(PhaseContext ctx, TrainBatch batch) {
            return inner.loss(ctx, batch).mul((float) Math.pow(10, ctx.epoch()));
          }
        };
    Path ckpt = tmp.resolve("blowup");
    try (Model m = TinyModels.model(ae, 1)) {
      TrainingLoop loop =
          TrainingLoop.builder(m, train(128))
              .addPhase(growing)
              .addListener(new CheckpointListener(ckpt))
              .build();
      var e = assertThrows(TrainingDivergedException.class, loop::run);
      assertTrue(e.getMessage().contains("more than 2.00 times"), e.getMessage());
      assertFalse(e.nanStep(), "a growing loss is a trend: no automatic retry");
      assertEquals(2, e.epoch());
      assertTrue(e.getMessage().contains("p0-pretrain-e0001"), e.getMessage());
    }
    assertEquals(1, Checkpoints.readState(Checkpoints.resolve(ckpt)).epochsDone());
  }
}
