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
 */
public record PhaseOptions(
    LrSchedule schedule, EarlyStopping earlyStopping, OptimizerConfig optimizer) {
  public PhaseOptions {
    Objects.requireNonNull(schedule, "schedule (use LrSchedule.constant())");
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
    return new PhaseOptions(schedule, earlyStopping, config);
  }
}
