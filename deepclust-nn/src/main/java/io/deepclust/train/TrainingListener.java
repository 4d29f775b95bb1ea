package io.deepclust.train;

/**
 * Observes a {@link TrainingLoop}. All methods run on the training thread, in the order the
 * listeners were added; an exception thrown here stops the run.
 */
public interface TrainingListener {
  /** A phase starts (or resumes; then {@code firstEpoch} &gt; 1). */
  default void onPhaseStart(TrainingLoop loop, int phaseIndex, Phase phase, int firstEpoch) {}

  /** An epoch starts. */
  default void onEpochStart(TrainingLoop loop, Phase phase, int epoch, int batches) {}

  /** A step finished. */
  default void onBatchEnd(TrainingLoop loop, BatchResult result) {}

  /** An epoch finished; {@code result} is already in {@link TrainingLoop#history()}. */
  default void onEpochEnd(TrainingLoop loop, EpochResult result) {}

  /**
   * A phase ended (all its epochs, early stopping or its own convergence), after {@link
   * Phase#afterPhase} and the last {@link #onEpochEnd}; not when a stop was requested inside it.
   */
  default void onPhaseEnd(TrainingLoop loop, int phaseIndex, Phase phase) {}

  /**
   * Something worth a line in the log happened: the learning rate changed, early stopping ended a
   * phase, best parameters were restored.
   */
  default void onNotice(TrainingLoop loop, String message) {}

  /**
   * Something went wrong that the loop worked around, e.g. a damaged checkpoint skipped on resume
   * (the message names the file and the cause).
   */
  default void onWarning(TrainingLoop loop, String message) {}

  /**
   * A clustering phase updated its assignments (DEC's target update, an embedded k-means step): for
   * per-update curves and the collapse monitor.
   */
  default void onClusterUpdate(TrainingLoop loop, ClusterUpdate update) {}

  /** The run ended normally (all phases done, or a stop was requested). */
  default void onTrainingEnd(TrainingLoop loop) {}

  /**
   * The run is ending with {@code error} (e.g. {@link TrainingDivergedException}), which is
   * rethrown after the listeners ran.
   */
  default void onTrainingFailed(TrainingLoop loop, RuntimeException error) {}
}
