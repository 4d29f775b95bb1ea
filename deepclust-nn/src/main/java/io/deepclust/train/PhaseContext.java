package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;

/**
 * What a {@link Phase} sees of the running loop: the scope for its arrays, the model, and forwards
 * in the right mode.
 *
 * <p>In {@link Phase#loss} during training, {@link #training()} is true and {@link #manager()} is
 * the step's sub-manager (closed after the step); during validation {@link #training()} is false.
 * In the hooks ({@link Phase#beforePhase}, {@link Phase#beforeEpoch}, {@link
 * Phase#beforeValidation}, {@link Phase#afterPhase}) the manager is a scope closed right after the
 * hook, and {@link #training()} is false (hooks compute, they do not train).
 */
public final class PhaseContext {
  private final TrainingLoop loop;
  private final Trainer trainer;
  private final ParameterStore store;
  private final NDManager manager;
  private final BatchSource data;
  private final boolean training;
  private final String phaseName;
  private final int epoch;
  private final int batch;

  PhaseContext(
      TrainingLoop loop,
      Trainer trainer,
      ParameterStore store,
      NDManager manager,
      BatchSource data,
      boolean training,
      String phaseName,
      int epoch,
      int batch) {
    this.loop = loop;
    this.trainer = trainer;
    this.store = store;
    this.manager = manager;
    this.data = data;
    this.training = training;
    this.phaseName = phaseName;
    this.epoch = epoch;
    this.batch = batch;
  }

  /** The training step's batch index in the epoch (from 0); -1 outside training steps. */
  public int batch() {
    return batch;
  }

  /**
   * Images of {@link #data()} for this step, e.g. the positives of a triplet batch: in a training
   * step with the loop's augmentation ({@link TrainingLoop.Builder#optAugmentation}) drawn from the
   * stream of (phase, epoch, batch, {@code purpose}), so resumed runs draw the same noise;
   * elsewhere the clean images.
   *
   * @param rows rows of {@link #data()}
   * @param purpose names this draw, other than "batch" (the batch's own images)
   */
  public NDArray images(int[] rows, String purpose) {
    if (!training || batch < 0) {
      return data.toNDArray(manager, rows);
    }
    return loop.trainingImages(manager, data, rows, phaseName, epoch, batch, purpose);
  }

  /** The scope for every array made here; it closes after the step or hook. */
  public NDManager manager() {
    return manager;
  }

  /** True inside a training step: BatchNorm uses batch statistics and updates running ones. */
  public boolean training() {
    return training;
  }

  /**
   * Forwards {@code inputs} through {@code block} (the whole model or any part of it) with this
   * context's training flag and the loop's parameters.
   */
  public NDList forward(Block block, NDList inputs) {
    return block.forward(store, inputs, training);
  }

  /** {@link #forward(Block, NDList)} for one input and one output. */
  public NDArray forward(Block block, NDArray input) {
    return forward(block, new NDList(input)).singletonOrThrow();
  }

  /** The parameter store of the loop, for APIs that take one (e.g. {@code Autoencoder}). */
  public ParameterStore parameterStore() {
    return store;
  }

  /** The DJL trainer (one for the whole run). */
  public Trainer trainer() {
    return trainer;
  }

  /** The model's root block (every trainable block is inside it). */
  public Block model() {
    return trainer.getModel().getBlock();
  }

  /**
   * The images this context is about: the phase's training data ({@link Phase#trainData}) in
   * training steps and in {@link Phase#beforePhase} / {@link Phase#beforeEpoch} / {@link
   * Phase#afterPhase}; the validation data in {@link Phase#beforeValidation} and validation losses.
   * {@link TrainBatch#rows} index into it.
   */
  public BatchSource data() {
    return data;
  }

  /** The run's training data (all of it, whatever part this phase trains on). */
  public BatchSource runData() {
    return loop.trainData();
  }

  /** The run's seed; derive any randomness with {@code Seeds.stream(seed(), "...")}. */
  public long seed() {
    return loop.seed();
  }

  public String phaseName() {
    return phaseName;
  }

  /** The current epoch within the phase, from 1 (0 in {@link Phase#beforePhase}). */
  public int epoch() {
    return epoch;
  }

  /** Optimizer steps taken in the whole run so far. */
  public long steps() {
    return loop.steps();
  }

  /** Passes a clustering phase's update to the listeners (logs, curves, collapse monitor). */
  public void publish(ClusterUpdate update) {
    loop.publish(update);
  }

  /** A line for the log (shown on the console and kept in run.log). */
  public void notice(String message) {
    loop.notice(message);
  }
}
