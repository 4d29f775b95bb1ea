package io.deepclust.train;

import java.util.Objects;

/**
 * Per-phase training settings of {@link TrainingLoop.Builder#addPhase(Phase, PhaseOptions)}.
 *
 * @param schedule the learning-rate schedule; it starts at the optimizer's base rate
 * @param earlyStopping ends the phase early, or null to run all its epochs
 * @param optimizer a fresh optimizer for this phase (e.g. DEC's SGD lr 0.01 after Adam
 *     pre-training), or null to carry on with the optimizer of the phase before (the run's
 *     optimizer for the first phase); later phases without one carry on with this one
 * @param augmentation the augmentation of this phase's training steps in place of the loop's
 *     ({@link TrainingLoop.Builder#optAugmentation}); {@link Augmentation#none()} for none in this
 *     phase; null (the default) for the loop's
 */
public record PhaseOptions(
    LrSchedule schedule,
    EarlyStopping earlyStopping,
    OptimizerConfig optimizer,
    Augmentation augmentation) {
  public PhaseOptions {
    Objects.requireNonNull(schedule, "schedule (use LrSchedule.constant())");
  }

  /** {@code schedule}, {@code earlyStopping} and {@code optimizer} with the loop's augmentation. */
  public PhaseOptions(LrSchedule schedule, EarlyStopping earlyStopping, OptimizerConfig optimizer) {
    this(schedule, earlyStopping, optimizer, null);
  }

  /** {@code schedule} and {@code earlyStopping} with the optimizer carried on. */
  public PhaseOptions(LrSchedule schedule, EarlyStopping earlyStopping) {
    this(schedule, earlyStopping, null);
  }

  /** A constant rate, all epochs. */
  public static PhaseOptions defaults() {
    return new PhaseOptions(LrSchedule.constant(), null, null);
  }

  /** {@code schedule}, all epochs. */
  public static PhaseOptions of(LrSchedule schedule) {
    return new PhaseOptions(schedule, null, null);
  }

  /** These options with a fresh optimizer for the phase. */
  public PhaseOptions withOptimizer(OptimizerConfig config) {
    return new PhaseOptions(schedule, earlyStopping, config, augmentation);
  }

  /** These options with the phase's own augmentation (null: the loop's). */
  public PhaseOptions withAugmentation(Augmentation phaseAugmentation) {
    return new PhaseOptions(schedule, earlyStopping, optimizer, phaseAugmentation);
  }
}
