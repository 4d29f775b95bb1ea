package io.deepclust.recipe;

import io.deepclust.train.EarlyStopping;
import io.deepclust.train.LrSchedule;

/**
 * A phase's early stopping: end the phase when the monitored loss has not improved for {@code
 * patience} epochs, and (by default) restore the best epoch's weights, as Keras' {@code
 * EarlyStopping(restore_best_weights=True)}.
 *
 * @param monitor {@code loss} (default) or {@code val_loss} (needs {@code
 *     data.validation_fraction})
 * @param patience epochs without improvement (required; at least 1)
 * @param minDelta smallest decrease that counts as an improvement (default 0)
 * @param restoreBest restore the best epoch's weights when the phase ends (default true)
 */
public record EarlyStoppingSpec(
    String monitor, Integer patience, Double minDelta, Boolean restoreBest) {

  /** Fills defaults; checks ranges. */
  public EarlyStoppingSpec {
    monitor = Checks.orDefault(monitor, LrSchedule.LOSS);
    ScheduleSpec.requireMonitor(monitor, "monitor");
    Checks.require(
        patience != null && patience >= 1, "patience", "give epochs >= 1, got " + patience);
    minDelta = Checks.orDefault(minDelta, 0.0);
    Checks.require(minDelta >= 0, "min_delta", "use 0 or more, got " + minDelta);
    restoreBest = Checks.orDefault(restoreBest, true);
  }

  /** The training loop's setting. */
  public EarlyStopping build() {
    return new EarlyStopping(monitor, patience, minDelta.floatValue(), restoreBest);
  }
}
