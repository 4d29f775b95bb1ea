package io.deepclust.train;

import java.util.Objects;

/**
 * Per-phase training settings of {@link TrainingLoop.Builder#addPhase(Phase, PhaseOptions)}.
 *
 * @param schedule the learning-rate schedule; it starts at the optimizer's base rate
 * @param earlyStopping ends the phase early, or null to run all its epochs
 */
public record PhaseOptions(LrSchedule schedule, EarlyStopping earlyStopping) {
  public PhaseOptions {
    Objects.requireNonNull(schedule, "schedule (use LrSchedule.constant())");
  }

  /** A constant rate, all epochs. */
  public static PhaseOptions defaults() {
    return new PhaseOptions(LrSchedule.constant(), null);
  }

  /** {@code schedule}, all epochs. */
  public static PhaseOptions of(LrSchedule schedule) {
    return new PhaseOptions(schedule, null);
  }
}
