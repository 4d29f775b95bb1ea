package io.deepclust.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
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
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Runs {@link Phase}s in order on one model with one DJL {@link Trainer} and one {@link
 * AdamOptimizer} that carries on across phases.
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
 * after epoch {@code e - 1} ({@link #resume}). The seed of the run is the training {@link
 * BatchSource}'s seed. Fix the CPU thread count ({@code -Dai.djl.pytorch.num_threads}) for
 * bit-identical results.
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
  private final AdamConfig adam;
  private final List<TrainingListener> listeners;
  private final LossHistory history = new LossHistory();

  private boolean started;
  private volatile boolean stopRequested;
  private AdamOptimizer optimizer;
  private Trainer trainer;
  private int phaseIndex;
  private int epochsDoneInPhase;
  private long steps;
  private Path lastCheckpoint;

  private TrainingLoop(Builder b) {
    this.model = b.model;
    this.phases = List.copyOf(b.phases);
    this.trainData = b.trainData;
    this.validationData = b.validationData;
    this.adam = b.adam;
    this.listeners = List.copyOf(b.listeners);
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
    private final List<TrainingListener> listeners = new ArrayList<>();
    private BatchSource validationData;
    private AdamConfig adam = AdamConfig.defaults();

    private Builder(Model model, BatchSource trainData) {
      this.model = Objects.requireNonNull(model, "model");
      this.trainData = Objects.requireNonNull(trainData, "trainData");
    }

    public Builder addPhase(Phase phase) {
      phases.add(Objects.requireNonNull(phase, "phase"));
      return this;
    }

    /** Images for a validation loss after every epoch (eval mode, in order). */
    public Builder optValidationData(BatchSource validation) {
      this.validationData = validation;
      return this;
    }

    public Builder optAdam(AdamConfig adam) {
      this.adam = Objects.requireNonNull(adam, "adam");
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
   * Restores parameters, optimizer state and history from a checkpoint (a checkpoint folder or a
   * {@link CheckpointListener} folder, whose newest checkpoint is used) and continues with the next
   * epoch. The model must have the structure of the checkpointed one.
   */
  public LossHistory resume(Path checkpoint) {
    return execute(Checkpoints.resolve(checkpoint));
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
    int startPhase = 0;
    int startDone = 0;
    CheckpointState restored = null;
    if (restoreFrom != null) {
      restored = Checkpoints.readState(restoreFrom);
      checkCompatible(restoreFrom, restored);
      loadParameters(root, restoreFrom.resolve(Checkpoints.PARAMS));
      history.replaceWith(restored.history());
      steps = restored.steps();
      startPhase = restored.phaseIndex();
      startDone = restored.epochsDone();
      lastCheckpoint = restoreFrom;
    }
    if (!root.isInitialized()) {
      throw new IllegalStateException(
          "the model's block is not initialised; initialise it (e.g."
              + " Autoencoder.initialize(model.getNDManager())) before training");
    }
    optimizer = new AdamOptimizer(adam);
    Device device = model.getNDManager().getDevice();
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(Loss.l2Loss("unused: phases compute their losses"))
            .optOptimizer(optimizer)
            .optDevices(new Device[] {device});
    try (Trainer t = model.newTrainer(config)) {
      trainer = t;
      // registers every parameter with the trainer (and marks them as needing gradients)
      t.initialize(root.getInputShapes());
      if (restored != null) {
        Path f = restoreFrom.resolve(Checkpoints.OPTIMIZER);
        try (DataInputStream in = openData(f)) {
          optimizer.loadState(in, root);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
      }
      ParameterStore store = new ParameterStore(t.getManager(), false);
      for (int p = startPhase; p < phases.size() && !stopRequested; p++) {
        Phase phase = phases.get(p);
        int first = (p == startPhase ? startDone : 0) + 1;
        phaseIndex = p;
        epochsDoneInPhase = first - 1;
        if (first > phase.epochs()) {
          continue;
        }
        BatchSource data = phaseData(phase);
        runHook(store, phase, data, 0, Phase::beforePhase);
        final int pi = p;
        listeners.forEach(l -> l.onPhaseStart(this, pi, phase, first));
        for (int e = first; e <= phase.epochs(); e++) {
          EpochResult r = runEpoch(store, p, phase, data, e);
          epochsDoneInPhase = e;
          history.add(r);
          listeners.forEach(l -> l.onEpochEnd(this, r));
          if (e == phase.epochs()) {
            runHook(store, phase, data, e, Phase::afterPhase);
          }
          if (stopRequested) {
            break;
          }
        }
      }
      listeners.forEach(l -> l.onTrainingEnd(this));
    } catch (RuntimeException e) {
      for (TrainingListener l : listeners) {
        try {
          l.onTrainingFailed(this, e);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    } finally {
      trainer = null;
    }
    return history;
  }

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
    for (int b = 0; b < batches.length; b++) {
      int[] rows = batches[b];
      float lossValue;
      try (NDManager step = trainer.getManager().newSubManager()) {
        NDArray x = data.toNDArray(step, rows);
        PhaseContext ctx =
            new PhaseContext(this, trainer, store, step, data, true, phase.name(), epoch);
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDArray loss = phase.loss(ctx, new TrainBatch(x, rows, b));
          lossValue = scalar(loss, phase);
          if (!Float.isFinite(lossValue)) {
            throw new TrainingDivergedException(
                phase.name(), epoch, b + 1, lossValue, adam.learningRate(), lastCheckpoint);
          }
          gc.backward(loss);
        }
        trainer.step();
        steps++;
      }
      losses[b] = lossValue;
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
    double valLoss = validationData == null ? Double.NaN : validationLoss(store, phase, epoch);
    return new EpochResult(
        p,
        phase.name(),
        epoch,
        phase.epochs(),
        weighted / images,
        valLoss,
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
                this, trainer, store, scope, validationData, false, phase.name(), epoch);
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
          phase, new PhaseContext(this, trainer, store, scope, data, false, phase.name(), epoch));
    }
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
            List.copyOf(history.epochs()));
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
              AtomicFiles.writeBytes(dir.resolve(Checkpoints.STATE), Checkpoints.stateBytes(state));
            });
    lastCheckpoint = written;
    return written;
  }

  private void checkCompatible(Path cp, CheckpointState s) {
    List<String> names = phases.stream().map(Phase::name).toList();
    if (!s.phases().equals(names)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + cp
              + " is of a run with phases "
              + s.phases()
              + " but this run has "
              + names
              + "; resume with the same recipe");
    }
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
    if (s.phaseIndex() < 0 || s.phaseIndex() >= phases.size() || s.epochsDone() < 0) {
      throw new IllegalArgumentException(
          "checkpoint " + cp + " has an invalid position (phase " + s.phaseIndex() + ")");
    }
  }

  private void loadParameters(Block root, Path file) {
    try (DataInputStream in = openData(file)) {
      // the freshly initialised arrays would otherwise stay in the model's manager
      for (Parameter prm : root.getParameters().values()) {
        prm.close();
      }
      root.loadParameters(model.getNDManager(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (MalformedModelException e) {
      throw new IllegalArgumentException(
          file + " does not fit this model's architecture: " + e.getMessage(), e);
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

  /** The optimizer (null before {@link #run} / {@link #resume}). */
  public AdamOptimizer optimizer() {
    return optimizer;
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
