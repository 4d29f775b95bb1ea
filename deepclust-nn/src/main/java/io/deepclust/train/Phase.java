package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A named stage of training with its own number of epochs and its own per-batch loss: e.g.
 * autoencoder pre-training, triplet fine-tuning, DEC's KL clustering. {@link TrainingLoop} runs
 * phases in order with one optimizer that carries on across them.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #loss} builds a scalar from forwards through {@link PhaseContext#forward} (which
 *       uses the context's training flag) and returns it; the loop calls backward and exactly one
 *       optimizer step. Arrays go in {@link PhaseContext#manager()}, the step's scope.
 *   <li>A phase may use only part of the model (the encoder only, a clustering head): parameters it
 *       does not use get no gradient and should be frozen in {@link #beforePhase} ({@code
 *       block.freezeParameters(true)}), since Adam would otherwise move them with stale moments.
 *   <li>Values a phase needs besides the images (a target distribution, triplets) it computes
 *       itself in {@link #beforeEpoch}, keeps in Java arrays indexed by {@link TrainBatch#rows},
 *       and derives only from the model and the data, so that a resumed run computes the same.
 *   <li>The same {@link #loss} gives the validation loss, called with a context whose {@link
 *       PhaseContext#training()} is false and no gradient recording.
 * </ul>
 */
public interface Phase {
  /** A short name without '/' (used in file names, seeds and logs), e.g. "pretrain". */
  String name();

  /** Epochs to run, at least 1. */
  int epochs();

  /**
   * Runs once when the phase starts, and again when a run resumes inside this phase (so it must set
   * up the same state either way, e.g. freezing blocks).
   */
  default void beforePhase(PhaseContext ctx) {}

  /**
   * The images this phase trains on, given the run's training data: by default all of them. A phase
   * that trains on part of the data (e.g. triplet fine-tuning on a seeded subset, paper 001)
   * returns a {@link BatchSource#subset}. Called once when the phase starts (also on resume), so it
   * must depend only on {@code runData} and the phase's configuration. {@link TrainBatch#rows} and
   * {@link PhaseContext#data()} then refer to the returned source.
   */
  default BatchSource trainData(BatchSource runData) {
    return runData;
  }

  /**
   * Runs once when the phase starts at its first epoch, after {@link #beforePhase}; not when a run
   * resumes inside the phase. For set-up whose result is checkpointed (in the model's parameters,
   * e.g. cluster centres initialised by k-means, or in {@link #saveState}).
   */
  default void beforeFirstEpoch(PhaseContext ctx) {}

  /** Runs before each epoch (after the epoch's random seed is set). */
  default void beforeEpoch(PhaseContext ctx) {}

  /**
   * Runs before every training step, outside gradient recording, with {@code batch} the step's
   * index in the epoch (from 0): for work every N steps, e.g. DEC's target distribution over the
   * whole training set every {@code update_interval} batches.
   */
  default void beforeBatch(PhaseContext ctx, int batch) {}

  /**
   * Whether the phase has met its own stopping criterion (e.g. DEC's: fewer than {@code tol} of the
   * labels changed since the last update). Checked after each {@link #beforeBatch}; true ends the
   * phase at once (the epoch is recorded with the steps it ran, and a resumed run goes on with the
   * next phase), with a notice giving {@link #convergenceNote()}.
   */
  default boolean converged() {
    return false;
  }

  /** A line for the log saying why {@link #converged()} is true. */
  default String convergenceNote() {
    return "phase '" + name() + "' converged";
  }

  /**
   * Runs after each epoch's training steps, before its validation loss (e.g. embedded k-means'
   * assignment and centre update, paper 004).
   */
  default void afterEpoch(PhaseContext ctx) {}

  /**
   * Runs before the validation loss of an epoch is computed, with {@link PhaseContext#data()} the
   * validation images (e.g. to mine validation triplets with the current model). Not called when
   * the loop has no validation data.
   */
  default void beforeValidation(PhaseContext ctx) {}

  /**
   * Runs once after the phase's last epoch (not when the run stops early inside the phase), e.g. to
   * unfreeze what {@link #beforePhase} froze, so that the next phase finds the model as a fresh
   * process resuming there would.
   */
  default void afterPhase(PhaseContext ctx) {}

  /**
   * The loop stops the run (a {@link TrainingDivergedException}) when an epoch's mean loss exceeds
   * this factor times the phase's first epoch's: a loss that blows up without becoming NaN (e.g. a
   * learning rate far too high). 0 turns the check off, for losses that may rightly grow (DEC's KL
   * as its target sharpens, triplet losses with rising margins); the default is off.
   */
  default double divergenceFactor() {
    return 0;
  }

  /**
   * Writes the state this phase keeps in Java between steps (e.g. DEC's target distribution and
   * last labels, a step counter) into a checkpoint, so a resumed run continues exactly; by default
   * nothing. Called between epochs.
   */
  default void saveState(DataOutputStream out) throws IOException {}

  /**
   * Reads what {@link #saveState} wrote, when a run resumes inside this phase (before {@link
   * #beforePhase}).
   *
   * @throws IOException if the state is truncated or does not fit this phase's configuration
   */
  default void loadState(DataInputStream in) throws IOException {}

  /**
   * The scalar loss of one batch.
   *
   * @return a 0-d or 1-element array in {@code ctx.manager()}
   */
  NDArray loss(PhaseContext ctx, TrainBatch batch);
}
