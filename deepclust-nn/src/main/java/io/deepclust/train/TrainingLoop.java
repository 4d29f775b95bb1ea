package io.deepclust.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.deepclust.util.AtomicFiles;
import io.deepclust.util.Seeds;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Runs {@link Phase}s in order on one model with one DJL {@link Trainer} and one {@link
 * StatefulOptimizer} (Adam or SGD, {@link Builder#optOptimizer}) that carries on across phases.
 * Each phase has its own {@link PhaseOptions}: a learning-rate schedule stepped at the end of every
 * epoch (every phase starts at the optimizer's base rate) and optional {@link EarlyStopping}.
 *
 * <p>Per step: a {@code trainer.getManager().newSubManager()} scope holds the batch and every
 * intermediate; the loss scalar is copied out before the scope closes; exactly one {@code step()}
 * follows each {@code backward()} (PyTorch zeroes gradients in the update). A NaN or infinite batch
 * loss stops the run with a {@link TrainingDivergedException} before that batch touches the
 * parameters.
 *
 * <p>Reproducibility: batch orders come from {@link BatchSource#batches} and the engine's random
 * seed is reset at the start of every epoch to a value derived from (seed, phase, epoch), so epoch
 * {@code e} does the same computation whether the run is unbroken or resumed from a checkpoint
 * after epoch {@code e - 1} ({@link #resume}); checkpoints hold the optimizer's, the schedule's and
 * early stopping's state too. The seed of the run is the training {@link BatchSource}'s seed.
 * Results are bit-identical for the same seed and the same libtorch thread count ({@code
 * -Dai.djl.pytorch.num_threads}; see the package documentation).
 *
 * <p>Data: each phase trains on {@link Phase#trainData} of the run's training data (all of it
 * unless the phase picks a subset, e.g. {@link TripletPhase}); batch orders come from that source,
 * whose seed is the run's.
 *
 * <p>The model's block must be initialised before the loop runs (e.g. {@code
 * Autoencoder.initialize(model.getNDManager())}); a {@link BlockGroup} holds several blocks.
 * Parameter arrays must be changed in place once the loop runs (the trainer caches them).
 */
public final class TrainingLoop {
  private static final java.util.regex.Pattern PHASE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]+");

  private final Model model;
  private final List<Phase> phases;
  private final BatchSource trainData;
  private final BatchSource validationData;
  private final OptimizerConfig optimizerConfig;
  private final List<PhaseOptions> options;
  private final List<TrainingListener> listeners;
  private final Augmentation augmentation;
  private final LossHistory history = new LossHistory();

  private boolean started;
  private volatile boolean stopRequested;
  private StatefulOptimizer optimizer;
  private OptimizerSwitch optimizerSwitch;
  private boolean phaseConverged;
  private Trainer trainer;
  private int phaseIndex;
  private int epochsDoneInPhase;
  private LrSchedule.State schedule;
  private EarlyStopping.State stopping;
  private boolean phaseFinished;
  private NDManager bestManager;
  private Map<String, NDArray> bestParams;
  private long steps;
  private Path lastCheckpoint;

  private TrainingLoop(Builder b) {
    this.model = b.model;
    this.phases = List.copyOf(b.phases);
    this.trainData = b.trainData;
    this.validationData = b.validationData;
    this.optimizerConfig = b.optimizer;
    this.options = List.copyOf(b.options);
    this.listeners = List.copyOf(b.listeners);
    this.augmentation = b.augmentation;
  }

  /**
   * Starts a builder.
   *
   * @param model owns the root block (initialised) whose parameters are trained
   * @param trainData the training images; its seed is the run's seed
   */
  public static Builder builder(Model model, BatchSource trainData) {
    return new Builder(model, trainData);
  }

  /** Builder: {@code addPhase} at least once; the rest is optional. */
  public static final class Builder {
    private final Model model;
    private final BatchSource trainData;
    private final List<Phase> phases = new ArrayList<>();
    private final List<PhaseOptions> options = new ArrayList<>();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private BatchSource validationData;
    private OptimizerConfig optimizer = AdamConfig.defaults();
    private Augmentation augmentation;

    private Builder(Model model, BatchSource trainData) {
      this.model = Objects.requireNonNull(model, "model");
      this.trainData = Objects.requireNonNull(trainData, "trainData");
    }

    /** Adds a phase with a constant learning rate and no early stopping. */
    public Builder addPhase(Phase phase) {
      return addPhase(phase, PhaseOptions.defaults());
    }

    /** Adds a phase with its learning-rate schedule and early stopping. */
    public Builder addPhase(Phase phase, PhaseOptions options) {
      phases.add(Objects.requireNonNull(phase, "phase"));
      this.options.add(Objects.requireNonNull(options, "options"));
      return this;
    }

    /** Images for a validation loss after every epoch (eval mode, in order). */
    public Builder optValidationData(BatchSource validation) {
      this.validationData = validation;
      return this;
    }

    /** The optimizer: {@link AdamConfig} (the default, {@link AdamConfig#defaults()}) or SGD. */
    public Builder optOptimizer(OptimizerConfig optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** {@link #optOptimizer} with Adam. */
    public Builder optAdam(AdamConfig adam) {
      return optOptimizer(Objects.requireNonNull(adam, "adam"));
    }

    /**
     * The augmentation of the images of every training step (not of validation, nor of the
     * embeddings a phase computes in its hooks), seeded per (phase, epoch, batch, purpose); null
     * (the default) for none. A phase may use another ({@link PhaseOptions#augmentation}). It sees
     * the images in the {@code (C, H, W)} of their {@link BatchSource#imageShape()}.
     */
    public Builder optAugmentation(Augmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    public Builder addListener(TrainingListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public TrainingLoop build() {
      if (phases.isEmpty()) {
        throw new IllegalArgumentException("a TrainingLoop needs at least one phase (addPhase)");
      }
      var names = new HashSet<String>();
      for (Phase p : phases) {
        if (p.name() == null || !PHASE_NAME.matcher(p.name()).matches()) {
          throw new IllegalArgumentException(
              "phase name '"
                  + p.name()
                  + "' is not usable in file names; use letters, digits, '_', '-' or '.'");
        }
        if (!names.add(p.name())) {
          throw new IllegalArgumentException(
              "two phases are named '" + p.name() + "'; phase names must be unique");
        }
        if (p.epochs() < 1) {
          throw new IllegalArgumentException(
              "phase '" + p.name() + "' has " + p.epochs() + " epochs; it needs at least 1");
        }
      }
      for (int i = 0; i < phases.size(); i++) {
        PhaseOptions o = options.get(i);
        String sm = o.schedule().monitor();
        String em = o.earlyStopping() == null ? null : o.earlyStopping().monitor();
        for (String[] use :
            new String[][] {{o.schedule().getClass().getSimpleName(), sm}, {"EarlyStopping", em}}) {
          if (LrSchedule.VAL_LOSS.equals(use[1]) && validationData == null) {
            throw new IllegalArgumentException(
                "phase '"
                    + phases.get(i).name()
                    + "': "
                    + use[0]
                    + " monitors val_loss but the loop has no validation data; add"
                    + " optValidationData or monitor 'loss'");
          }
        }
      }
      if (model.getBlock() == null) {
        throw new IllegalArgumentException("the model has no block; call model.setBlock first");
      }
      return new TrainingLoop(this);
    }
  }

  /** Trains all phases from the start. Returns the history. */
  public LossHistory run() {
    return execute(null);
  }

  /**
   * Restores parameters, optimizer state, schedule and history from a checkpoint and continues with
   * the next epoch. {@code checkpoint} is a checkpoint folder, or a {@link CheckpointListener}
   * folder: its newest checkpoint is used, or, if that one is damaged (e.g. a truncated {@code
   * params.bin}), the previous one, with a warning to the listeners ({@link
   * TrainingListener#onWarning}). The model must have the structure of the checkpointed one.
   *
   * @throws IllegalArgumentException before training if the checkpoint is of another recipe (phase
   *     names, seed, data size, optimizer) or a phase asks for fewer epochs than the checkpoint
   *     holds; or if no checkpoint is readable (each file and cause named)
   */
  public LossHistory resume(Path checkpoint) {
    return execute(Objects.requireNonNull(checkpoint, "checkpoint"));
  }

  /** Asks the loop to stop after the current epoch (its listeners, e.g. checkpoints, still run). */
  public void requestStop() {
    stopRequested = true;
  }

  private LossHistory execute(Path restoreFrom) {
    if (started) {
      throw new IllegalStateException("a TrainingLoop runs once; build a new one to train again");
    }
    started = true;
    Block root = model.getBlock();
    optimizer = StatefulOptimizer.of(optimizerConfig);
    int startPhase = 0;
    int startDone = 0;
    CheckpointState restored = null;
    try {
      if (restoreFrom != null) {
        restored = restore(root, restoreFrom);
        steps = restored.steps();
        startPhase = restored.phaseIndex();
        startDone = restored.epochsDone();
        if (restored.stoppedEarly()) {
          // early stopping ended that phase: go on with the next one
          startPhase++;
          startDone = 0;
        }
      }
      if (!root.isInitialized()) {
        throw new IllegalStateException(
            "the model's block is not initialised; initialise it (e.g."
                + " Autoencoder.initialize(model.getNDManager())) before training");
      }
      Device device = model.getNDManager().getDevice();
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss("unused: phases compute their losses"))
              .optOptimizer(optimizerSwitch = new OptimizerSwitch(optimizer))
              .optDevices(new Device[] {device});
      try (Trainer t = model.newTrainer(config)) {
        trainer = t;
        // registers every parameter with the trainer (and marks them as needing gradients)
        t.initialize(root.getInputShapes());
        ParameterStore store = new ParameterStore(t.getManager(), false);
        for (int p = startPhase; p < phases.size() && !stopRequested; p++) {
          Phase phase = phases.get(p);
          PhaseOptions opts = options.get(p);
          boolean resumedHere = restored != null && p == restored.phaseIndex();
          int first = (p == startPhase ? startDone : 0) + 1;
          phaseIndex = p;
          epochsDoneInPhase = first - 1;
          phaseFinished = false;
          phaseConverged = false;
          if (!resumedHere && opts.optimizer() != null && first <= phase.epochs()) {
            // a phase with its own optimizer starts it fresh, as a new torch.optim optimizer
            optimizer = StatefulOptimizer.of(opts.optimizer());
            optimizerSwitch.use(optimizer);
          }
          schedule =
              resumedHere && restored.schedule() != null
                  ? restored.schedule()
                  : LrSchedule.State.start(optimizer.config().learningRate());
          stopping =
              opts.earlyStopping() == null
                  ? null
                  : resumedHere && restored.earlyStopping() != null
                      ? restored.earlyStopping()
                      : EarlyStopping.State.start();
          if (!resumedHere) {
            closeBest();
          }
          if (first > phase.epochs()) {
            continue;
          }
          BatchSource data = phaseData(phase);
          runHook(store, phase, data, 0, Phase::beforePhase);
          if (!resumedHere) {
            runHook(store, phase, data, 0, Phase::beforeFirstEpoch);
          }
          final int pi = p;
          listeners.forEach(l -> l.onPhaseStart(this, pi, phase, first));
          for (int e = first; e <= phase.epochs(); e++) {
            optimizer.setLearningRate(schedule.lr());
            EpochResult r = runEpoch(store, p, phase, data, e);
            if (r == null) {
              // converged before the epoch's first step: the phase ends after epoch e - 1
              phaseFinished = true;
              runHook(store, phase, data, e - 1, Phase::afterPhase);
              listeners.forEach(l -> l.onPhaseEnd(this, pi, phase));
              break;
            }
            checkBlowUp(phase, r);
            epochsDoneInPhase = e;
            String lrNote = stepSchedule(phase, opts, r);
            boolean stop = stepEarlyStopping(phase, opts, r, root) || phaseConverged;
            phaseFinished = stop || e == phase.epochs();
            if (phaseFinished) {
              restoreBest(phase, opts, root);
            }
            history.add(r);
            listeners.forEach(l -> l.onEpochEnd(this, r));
            if (lrNote != null && !phaseFinished) {
              listeners.forEach(l -> l.onNotice(this, lrNote));
            }
            if (phaseFinished) {
              runHook(store, phase, data, e, Phase::afterPhase);
              listeners.forEach(l -> l.onPhaseEnd(this, pi, phase));
              break;
            }
            if (stopRequested) {
              break;
            }
          }
        }
        listeners.forEach(l -> l.onTrainingEnd(this));
      } finally {
        trainer = null;
        closeBest();
      }
    } catch (RuntimeException e) {
      for (TrainingListener l : listeners) {
        try {
          l.onTrainingFailed(this, e);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return history;
  }

  /** The value of {@code monitor} in epoch {@code r}. */
  private static double metric(String monitor, EpochResult r) {
    return LrSchedule.VAL_LOSS.equals(monitor) ? r.valLoss() : r.loss();
  }

  /** Steps the phase's schedule; returns a note if the rate changed, else null. */
  private String stepSchedule(Phase phase, PhaseOptions opts, EpochResult r) {
    LrSchedule sched = opts.schedule();
    double before = schedule.lr();
    String monitor = sched.monitor();
    schedule = sched.step(schedule, monitor == null ? Double.NaN : metric(monitor, r));
    if (schedule.lr() == before) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "phase '%s': learning rate %.6g -> %.6g after epoch %d (%s%s)",
        phase.name(),
        before,
        schedule.lr(),
        r.epoch(),
        sched.getClass().getSimpleName(),
        monitor == null ? "" : " on " + monitor);
  }

  /** Steps early stopping; keeps the best parameters; returns whether the phase stops now. */
  private boolean stepEarlyStopping(Phase phase, PhaseOptions opts, EpochResult r, Block root) {
    EarlyStopping es = opts.earlyStopping();
    if (es == null) {
      return false;
    }
    stopping = es.step(stopping, r.epoch(), metric(es.monitor(), r));
    if (es.restoreBest() && stopping.isBest(r.epoch())) {
      snapshotBest(root);
    }
    if (stopping.stopped() && r.epoch() < phase.epochs()) {
      String note =
          String.format(
              java.util.Locale.ROOT,
              "phase '%s': early stop after epoch %d/%d: %s has not improved for %d epochs (best"
                  + " %.6g at epoch %d)",
              phase.name(),
              r.epoch(),
              phase.epochs(),
              es.monitor(),
              stopping.badEpochs(),
              stopping.best(),
              stopping.bestEpoch());
      listeners.forEach(l -> l.onNotice(this, note));
      return true;
    }
    return false;
  }

  private void snapshotBest(Block root) {
    if (bestManager == null) {
      bestManager = model.getNDManager().newSubManager();
      bestManager.setName("best-parameters");
      bestParams = new LinkedHashMap<>();
    }
    for (Pair<String, Parameter> p : root.getParameters()) {
      NDArray now = p.getValue().getArray();
      NDArray kept = bestParams.get(p.getKey());
      if (kept == null) {
        kept = now.duplicate();
        kept.attach(bestManager);
        bestParams.put(p.getKey(), kept);
      } else {
        now.copyTo(kept);
      }
    }
  }

  private void restoreBest(Phase phase, PhaseOptions opts, Block root) {
    EarlyStopping es = opts.earlyStopping();
    if (es == null || !es.restoreBest() || bestParams == null) {
      return;
    }
    if (stopping.bestEpoch() != epochsDoneInPhase) {
      for (Pair<String, Parameter> p : root.getParameters()) {
        NDArray kept = bestParams.get(p.getKey());
        if (kept != null) {
          kept.copyTo(p.getValue().getArray());
        }
      }
      String note =
          "phase '"
              + phase.name()
              + "': restored the parameters of epoch "
              + stopping.bestEpoch()
              + " (best "
              + es.monitor()
              + ")";
      listeners.forEach(l -> l.onNotice(this, note));
    }
    closeBest();
  }

  private void closeBest() {
    if (bestManager != null) {
      bestManager.close();
      bestManager = null;
      bestParams = null;
    }
  }

  /**
   * Loads the newest readable checkpoint of {@code from} into the model and the optimizer, falling
   * back to the previous one when a file of the newest is damaged.
   */
  private CheckpointState restore(Block root, Path from) {
    List<String> failures = new ArrayList<>();
    List<Path> candidates = Checkpoints.candidates(from);
    for (int i = 0; i < candidates.size(); i++) {
      Path cp = candidates.get(i);
      CheckpointState s;
      try {
        s = Checkpoints.readState(cp);
      } catch (UncheckedIOException e) {
        failures.add(e.getMessage());
        warnFallback(candidates, i, e.getMessage());
        continue;
      }
      checkCompatible(cp, s);
      Path current = null;
      try {
        current = cp.resolve(Checkpoints.PARAMS);
        loadParameters(root, current);
        current = cp.resolve(Checkpoints.OPTIMIZER);
        StatefulOptimizer loaded = StatefulOptimizer.of(configFor(s.phaseIndex()));
        try (DataInputStream in = openData(current)) {
          loaded.loadState(in, root);
        }
        optimizer.release();
        optimizer = loaded;
        current = cp.resolve(Checkpoints.PHASE_STATE);
        if (Files.exists(current)) {
          try (DataInputStream in = openData(current)) {
            phases.get(s.phaseIndex()).loadState(in);
          }
        }
        closeBest();
        PhaseOptions o = options.get(s.phaseIndex());
        if (o.earlyStopping() != null
            && o.earlyStopping().restoreBest()
            && s.earlyStopping() != null
            && s.earlyStopping().bestEpoch() > 0
            && !s.stoppedEarly()
            && s.epochsDone() < phases.get(s.phaseIndex()).epochs()) {
          current = cp.resolve(Checkpoints.BEST);
          loadBest(root, current);
        }
      } catch (IOException | MalformedModelException e) {
        String msg =
            "cannot read "
                + current
                + ": "
                + (e instanceof MalformedModelException
                    ? "it does not fit this model's architecture or is damaged ("
                        + e.getMessage()
                        + ")"
                    : Checkpoints.reason(e));
        failures.add(msg);
        warnFallback(candidates, i, msg);
        continue;
      }
      history.replaceWith(s.history());
      lastCheckpoint = cp;
      return s;
    }
    throw new IllegalArgumentException(
        "no readable checkpoint in "
            + from
            + ": "
            + String.join("; ", failures)
            + Checkpoints.DAMAGED_FIX);
  }

  private void warnFallback(List<Path> candidates, int i, String cause) {
    if (i + 1 < candidates.size()) {
      String note =
          "warning: skipping damaged checkpoint "
              + candidates.get(i)
              + " ("
              + cause
              + "); resuming from the previous one, "
              + candidates.get(i + 1);
      listeners.forEach(l -> l.onWarning(this, note));
    }
  }

  private void loadBest(Block root, Path file) throws IOException {
    Map<String, Parameter> byName = StatefulOptimizer.parametersByName(root);
    bestManager = model.getNDManager().newSubManager();
    bestManager.setName("best-parameters");
    bestParams = new LinkedHashMap<>();
    try (DataInputStream in = openData(file)) {
      StatefulOptimizer.checkMagic(in, BEST_MAGIC, "deepclust best parameters");
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        Parameter p = byName.get(name);
        NDArray a = StatefulOptimizer.readArray(in, bestManager);
        if (p == null || !a.getShape().equals(p.getArray().getShape())) {
          throw new IOException(
              "it holds parameter '" + name + "' which this model lacks or shapes differently");
        }
        bestParams.put(name, a);
      }
    } catch (IOException e) {
      closeBest();
      throw e;
    }
  }

  private static final String BEST_MAGIC = "deepclust-best-v1";

  private BatchSource phaseData(Phase phase) {
    BatchSource data = phase.trainData(trainData);
    if (data == null) {
      throw new IllegalStateException(
          "phase '" + phase.name() + "' returned no training data (Phase.trainData gave null)");
    }
    if (!data.imageShape().equals(trainData.imageShape())) {
      throw new IllegalStateException(
          "phase '"
              + phase.name()
              + "' trains on images of shape "
              + data.imageShape()
              + " but the run's are "
              + trainData.imageShape());
    }
    return data;
  }

  private EpochResult runEpoch(
      ParameterStore store, int p, Phase phase, BatchSource data, int epoch) {
    long epochStart = System.nanoTime();
    int[][] batches = data.batches(phase.name(), epoch);
    // dropout, noise etc. of this epoch depend only on (seed, phase, epoch): resumable
    Engine.getInstance()
        .setRandomSeed((int) Seeds.mix(trainData.seed(), "engine/" + phase.name() + "/" + epoch));
    runHook(store, phase, data, epoch, Phase::beforeEpoch);
    listeners.forEach(l -> l.onEpochStart(this, phase, epoch, batches.length));
    float[] losses = new float[batches.length];
    double weighted = 0;
    long images = 0;
    long trainStart = System.nanoTime();
    int ran = 0;
    boolean batchHook = overridesBeforeBatch(phase);
    for (int b = 0; b < batches.length; b++) {
      final int batchIndex = b;
      if (batchHook) {
        // a scope and a context per step only for phases that work between steps (DEC)
        runHook(store, phase, data, epoch, (ph, c) -> ph.beforeBatch(c, batchIndex));
      }
      if (phase.converged()) {
        phaseConverged = true;
        String note = phase.convergenceNote();
        listeners.forEach(l -> l.onNotice(this, note));
        break;
      }
      int[] rows = batches[b];
      float lossValue;
      try (NDManager step = trainer.getManager().newSubManager()) {
        NDArray x = trainingImages(step, data, rows, phase.name(), epoch, b, "batch");
        PhaseContext ctx =
            new PhaseContext(this, trainer, store, step, data, true, phase.name(), epoch, b);
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDArray loss = phase.loss(ctx, new TrainBatch(x, rows, b));
          lossValue = scalar(loss, phase);
          if (!Float.isFinite(lossValue)) {
            throw new TrainingDivergedException(
                phase.name(),
                epoch,
                b + 1,
                lossValue,
                (float) optimizer.learningRate(),
                lastCheckpoint);
          }
          gc.backward(loss);
        }
        requireFiniteGradients(phase, epoch, b + 1, lossValue);
        trainer.step();
        steps++;
      }
      losses[b] = lossValue;
      ran++;
      weighted += (double) lossValue * rows.length;
      images += rows.length;
      var r =
          new BatchResult(
              phase.name(),
              epoch,
              phase.epochs(),
              b + 1,
              batches.length,
              lossValue,
              weighted / images,
              images,
              (System.nanoTime() - trainStart) / 1e9);
      listeners.forEach(l -> l.onBatchEnd(this, r));
    }
    double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
    if (ran == 0) {
      return null;
    }
    if (ran < losses.length) {
      losses = java.util.Arrays.copyOf(losses, ran);
    }
    runHook(store, phase, data, epoch, Phase::afterEpoch);
    double valLoss = validationData == null ? Double.NaN : validationLoss(store, phase, epoch);
    return new EpochResult(
        p,
        phase.name(),
        epoch,
        phase.epochs(),
        weighted / images,
        valLoss,
        optimizer.learningRate(),
        (System.nanoTime() - epochStart) / 1e9,
        trainSeconds > 0 ? images / trainSeconds : 0,
        losses);
  }

  private double validationLoss(ParameterStore store, Phase phase, int epoch) {
    runHook(store, phase, validationData, epoch, Phase::beforeValidation);
    double sum = 0;
    long n = 0;
    for (int[] rows : validationData.batches(phase.name(), epoch)) {
      try (NDManager scope = trainer.getManager().newSubManager()) {
        NDArray x = validationData.toNDArray(scope, rows);
        PhaseContext ctx =
            new PhaseContext(
                this, trainer, store, scope, validationData, false, phase.name(), epoch, -1);
        float v = scalar(phase.loss(ctx, new TrainBatch(x, rows, (int) (n / rows.length))), phase);
        sum += (double) v * rows.length;
        n += rows.length;
      }
    }
    return sum / n;
  }

  private void runHook(
      ParameterStore store,
      Phase phase,
      BatchSource data,
      int epoch,
      BiConsumer<Phase, PhaseContext> hook) {
    try (NDManager scope = trainer.getManager().newSubManager()) {
      hook.accept(
          phase,
          new PhaseContext(this, trainer, store, scope, data, false, phase.name(), epoch, -1));
    }
  }

  /** Whether {@code phase} has its own {@link Phase#beforeBatch} rather than the empty default. */
  private static boolean overridesBeforeBatch(Phase phase) {
    try {
      return phase
              .getClass()
              .getMethod("beforeBatch", PhaseContext.class, int.class)
              .getDeclaringClass()
          != Phase.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("Phase.beforeBatch is missing", e);
    }
  }

  /**
   * Refuses a step whose gradient is not finite although its loss is (e.g. a division by a zero
   * distance in a kernel's backward): such a step would make the parameters NaN, and the next
   * batch's NaN loss would no longer say where it came from. One scalar per step is read (the sum
   * of every gradient's sum, NaN or infinite when any value is); only then are the parameters
   * searched, in the model's order, to name the first bad one.
   */
  @SuppressWarnings("try") // the scope is used for what it closes, not referenced
  private void requireFiniteGradients(Phase phase, int epoch, int batch, float lossValue) {
    // NDScope closes every array made here, including the gradient views getGradient() creates
    // in the parameters' own manager (the views, not the gradients, are freed)
    try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
      List<Pair<String, NDArray>> grads = new ArrayList<>();
      for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
        NDArray a = pair.getValue().getArray();
        if (pair.getValue().requiresGradient() && a.hasGradient()) {
          grads.add(new Pair<>(pair.getKey(), a.getGradient()));
        }
      }
      if (grads.isEmpty()) {
        return;
      }
      NDArray total = null;
      for (Pair<String, NDArray> g : grads) {
        NDArray sum = g.getValue().sum();
        total = total == null ? sum : total.add(sum);
      }
      if (Float.isFinite(total.toFloatArray()[0])) {
        return;
      }
      String first = null;
      String firstValues = null;
      // every parameter's state, to tell where the NaN entered (the layers between the loss and
      // the first finite one); one line in the error
      List<String> bad = new ArrayList<>();
      for (Pair<String, NDArray> g : grads) {
        long nan = g.getValue().isNaN().sum().getLong();
        long inf = g.getValue().isInfinite().sum().getLong();
        if (nan + inf > 0) {
          if (first == null) {
            first = g.getKey();
            firstValues =
                nan + " NaN and " + inf + " infinite of " + g.getValue().size() + " values";
          }
          bad.add(g.getKey() + " " + (nan + inf) + "/" + g.getValue().size());
        }
      }
      if (first != null) {
        throw new TrainingDivergedException(
            phase.name(),
            epoch,
            batch,
            lossValue,
            first,
            firstValues
                + "; "
                + bad.size()
                + " of "
                + grads.size()
                + " parameters have non-finite gradients: "
                + String.join(", ", bad),
            (float) optimizer.learningRate(),
            lastCheckpoint);
      }
      // finite values whose sum overflowed: not a bad gradient
    }
  }

  /** Stops a run whose epoch loss blew up far above the phase's first epoch (not NaN). */
  private void checkBlowUp(Phase phase, EpochResult r) {
    double factor = phase.divergenceFactor();
    if (!(factor > 0) || r.epoch() == 1) {
      return;
    }
    List<EpochResult> done = history.epochsOf(phase.name());
    if (done.isEmpty()) {
      return;
    }
    double first = done.get(0).loss();
    if (first > 0 && r.loss() > factor * first) {
      throw new TrainingDivergedException(
          phase.name(),
          r.epoch(),
          (float) r.loss(),
          first,
          factor,
          (float) optimizer.learningRate(),
          lastCheckpoint);
    }
  }

  /**
   * The images of {@code rows} for a training step, with the loop's augmentation (if any) drawn
   * from the stream of (phase, epoch, batch, purpose).
   */
  NDArray trainingImages(
      NDManager manager,
      BatchSource data,
      int[] rows,
      String phase,
      int epoch,
      int batch,
      String purpose) {
    Augmentation a = augmentationOf(phaseIndex);
    if (a == null || a.isIdentity()) {
      return data.toNDArray(manager, rows);
    }
    float[] buf = data.gather(rows);
    Shape chw = data.imageShape();
    a.apply(
        buf,
        (int) chw.get(0),
        (int) chw.get(1),
        (int) chw.get(2),
        Augmentation.stream(seed(), phase, epoch, batch, purpose));
    return manager.create(buf, data.batchShape(rows.length));
  }

  /** The augmentation of the loop's training images, or null (a phase may have its own). */
  public Augmentation augmentation() {
    return augmentation;
  }

  /**
   * The augmentation of phase {@code p}'s training steps: its own ({@link
   * PhaseOptions#augmentation}) or the loop's; null for none.
   */
  public Augmentation augmentationOf(int p) {
    Augmentation own = p >= 0 && p < options.size() ? options.get(p).augmentation() : null;
    return own != null ? own : augmentation;
  }

  private static float scalar(NDArray loss, Phase phase) {
    if (loss == null || loss.size() != 1) {
      throw new IllegalStateException(
          "phase '"
              + phase.name()
              + "' returned a loss of shape "
              + (loss == null ? "null" : loss.getShape())
              + "; Phase.loss must return one value (e.g. .mean())");
    }
    return loss.toFloatArray()[0];
  }

  /**
   * Writes a checkpoint of the state after the last finished epoch into {@code folder} (layout:
   * {@link Checkpoints}). Call it between epochs, e.g. from {@link TrainingListener#onEpochEnd}.
   *
   * @return the new checkpoint's folder
   */
  public Path writeCheckpoint(Path folder) {
    if (trainer == null) {
      throw new IllegalStateException("checkpoints can only be written while the loop runs");
    }
    Phase phase = phases.get(phaseIndex);
    Block root = model.getBlock();
    CheckpointState state =
        new CheckpointState(
            CheckpointState.FORMAT,
            trainData.seed(),
            phases.stream().map(Phase::name).toList(),
            phaseIndex,
            epochsDoneInPhase,
            steps,
            trainData.size(),
            List.copyOf(history.epochs()),
            optimizer.config().kind(),
            schedule,
            stopping,
            phaseFinished
                && (phaseConverged || (stopping != null && stopping.stopped()))
                && epochsDoneInPhase < phase.epochs());
    String name = Checkpoints.name(phaseIndex, phase.name(), epochsDoneInPhase);
    Path written =
        Checkpoints.write(
            folder,
            name,
            dir -> {
              AtomicFiles.write(
                  dir.resolve(Checkpoints.PARAMS),
                  out -> root.saveParameters(new DataOutputStream(out)));
              AtomicFiles.write(
                  dir.resolve(Checkpoints.OPTIMIZER),
                  out -> {
                    DataOutputStream d = new DataOutputStream(out);
                    optimizer.saveState(d, root);
                    d.flush();
                  });
              AtomicFiles.write(
                  dir.resolve(Checkpoints.PHASE_STATE),
                  out -> {
                    DataOutputStream d = new DataOutputStream(out);
                    phase.saveState(d);
                    d.flush();
                  });
              if (bestParams != null) {
                AtomicFiles.write(dir.resolve(Checkpoints.BEST), out -> writeBest(out));
              }
              AtomicFiles.writeBytes(dir.resolve(Checkpoints.STATE), Checkpoints.stateBytes(state));
            });
    lastCheckpoint = written;
    return written;
  }

  private void writeBest(java.io.OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeUTF(BEST_MAGIC);
    d.writeInt(bestParams.size());
    for (Map.Entry<String, NDArray> en : bestParams.entrySet()) {
      d.writeUTF(en.getKey());
      StatefulOptimizer.writeArray(d, en.getValue());
    }
    d.flush();
  }

  private void checkCompatible(Path cp, CheckpointState s) {
    Checkpoints.checkResumable(
        cp,
        s,
        phases.stream().map(Phase::name).toList(),
        phases.stream().map(Phase::epochs).toList());
    if (s.seed() != trainData.seed()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + cp
              + " has seed "
              + s.seed()
              + " but this run has "
              + trainData.seed()
              + "; resume with the same seed");
    }
    if (s.trainSize() != trainData.size()) {
      throw new IllegalArgumentException(
          "checkpoint "
              + cp
              + " was trained on "
              + s.trainSize()
              + " images but this run has "
              + trainData.size()
              + "; resume with the same data");
    }
    String kind = s.optimizer() == null ? "adam" : s.optimizer();
    String expected = configFor(s.phaseIndex()).kind();
    if (!kind.equals(expected)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + cp
              + " was trained with optimizer '"
              + kind
              + "' but this run uses '"
              + expected
              + "'; resume with the same optimizer");
    }
  }

  private void loadParameters(Block root, Path file) throws IOException, MalformedModelException {
    // read it whole first: a truncated file then fails before any parameter is replaced
    byte[] bytes = Files.readAllBytes(file);
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      // the freshly initialised arrays would otherwise stay in the model's manager
      for (Parameter prm : root.getParameters().values()) {
        prm.close();
      }
      root.loadParameters(model.getNDManager(), in);
    }
  }

  private static DataInputStream openData(Path f) throws IOException {
    InputStream in = Files.newInputStream(f);
    return new DataInputStream(new BufferedInputStream(in, 1 << 16));
  }

  /** The finished epochs so far (restored ones included). */
  public LossHistory history() {
    return history;
  }

  public Model model() {
    return model;
  }

  public List<Phase> phases() {
    return phases;
  }

  public BatchSource trainData() {
    return trainData;
  }

  /** The run's seed (the training data's). */
  public long seed() {
    return trainData.seed();
  }

  /**
   * The optimizer phase {@code p} trains with: that of the last phase up to p that names one
   * ({@link PhaseOptions#optimizer()}), else the run's.
   */
  OptimizerConfig configFor(int p) {
    OptimizerConfig c = optimizerConfig;
    for (int i = 0; i <= p && i < options.size(); i++) {
      if (options.get(i).optimizer() != null) {
        c = options.get(i).optimizer();
      }
    }
    return c;
  }

  void publish(ClusterUpdate update) {
    listeners.forEach(l -> l.onClusterUpdate(this, update));
  }

  void notice(String message) {
    listeners.forEach(l -> l.onNotice(this, message));
  }

  /** The optimizer of the current phase (null before {@link #run} / {@link #resume}). */
  public StatefulOptimizer optimizer() {
    return optimizer;
  }

  /** The optimizer's hyper-parameters. */
  public OptimizerConfig optimizerConfig() {
    return optimizerConfig;
  }

  /** The options of each phase, in phase order. */
  public List<PhaseOptions> phaseOptions() {
    return options;
  }

  /**
   * True in {@link TrainingListener#onEpochEnd} of a phase's last epoch: its final epoch, or the
   * epoch after which early stopping ended it.
   */
  public boolean phaseFinished() {
    return phaseFinished;
  }

  /** Optimizer steps taken in the whole run (restored ones included). */
  public long steps() {
    return steps;
  }

  /** The newest checkpoint written or resumed from, or null. */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }
}
