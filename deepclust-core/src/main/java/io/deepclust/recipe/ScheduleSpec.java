package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.train.LrSchedule;

/**
 * A phase's learning-rate schedule, chosen by {@code type}, stepped once per epoch with {@code
 * torch.optim.lr_scheduler} semantics. Adding one: a record implementing this interface, its {@link
 * LrSchedule}, and one line in {@link JsonSubTypes} below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ScheduleSpec.Constant.class, name = "constant"),
  @JsonSubTypes.Type(value = ScheduleSpec.Step.class, name = "step"),
  @JsonSubTypes.Type(value = ScheduleSpec.Plateau.class, name = "plateau"),
})
public sealed interface ScheduleSpec {

  /** The training loop's schedule. */
  LrSchedule build();

  /** {@code type: constant}: the optimizer's rate throughout (the default). */
  record Constant() implements ScheduleSpec {
    @Override
    public LrSchedule build() {
      return LrSchedule.constant();
    }
  }

  /**
   * {@code type: step}: {@code StepLR}, the rate times {@code gamma} every {@code step_size}
   * epochs.
   *
   * @param stepSize epochs between decays (required; at least 1)
   * @param gamma factor (default 0.1; in (0, 1])
   */
  record Step(Integer stepSize, Double gamma) implements ScheduleSpec {
    /** Fills defaults; checks ranges. */
    public Step {
      Checks.require(
          stepSize != null && stepSize >= 1, "step_size", "give epochs >= 1, got " + stepSize);
      gamma = Checks.orDefault(gamma, 0.1);
      Checks.require(gamma > 0 && gamma <= 1, "gamma", "use (0, 1], got " + gamma);
    }

    @Override
    public LrSchedule build() {
      return new LrSchedule.StepLr(stepSize, gamma.floatValue());
    }
  }

  /**
   * {@code type: plateau}: {@code ReduceLROnPlateau} (mode min, relative threshold) on a named
   * loss; PyTorch's defaults.
   *
   * @param monitor {@code loss} (default, the epoch's training loss) or {@code val_loss} (needs
   *     {@code data.validation_fraction})
   * @param factor rate multiplier on a plateau (default 0.1; in (0, 1))
   * @param patience epochs without improvement before reducing (default 10; at least 0)
   * @param threshold relative improvement that counts (default 1e-4; at least 0)
   * @param cooldown epochs to wait after a reduction (default 0)
   * @param minLr lower bound of the rate (default 0)
   */
  record Plateau(
      String monitor,
      Double factor,
      Integer patience,
      Double threshold,
      Integer cooldown,
      Double minLr)
      implements ScheduleSpec {
    /** Fills defaults; checks ranges. */
    public Plateau {
      monitor = Checks.orDefault(monitor, LrSchedule.LOSS);
      requireMonitor(monitor, "monitor");
      factor = Checks.orDefault(factor, 0.1);
      Checks.require(factor > 0 && factor < 1, "factor", "use (0, 1), got " + factor);
      patience = Checks.orDefault(patience, 10);
      Checks.require(patience >= 0, "patience", "use 0 or more epochs, got " + patience);
      threshold = Checks.orDefault(threshold, 1e-4);
      Checks.require(threshold >= 0, "threshold", "use 0 or more, got " + threshold);
      cooldown = Checks.orDefault(cooldown, 0);
      Checks.require(cooldown >= 0, "cooldown", "use 0 or more epochs, got " + cooldown);
      minLr = Checks.orDefault(minLr, 0.0);
      Checks.require(minLr >= 0, "min_lr", "use 0 or more, got " + minLr);
    }

    @Override
    public LrSchedule build() {
      return new LrSchedule.ReduceLrOnPlateau(
          monitor,
          factor.floatValue(),
          patience,
          threshold.floatValue(),
          cooldown,
          minLr.floatValue());
    }
  }

  /** A monitored loss must be {@code loss} or {@code val_loss}. */
  static void requireMonitor(String monitor, String field) {
    Checks.require(
        monitor.equals(LrSchedule.LOSS) || monitor.equals(LrSchedule.VAL_LOSS),
        field,
        "'"
            + monitor
            + "' is not a monitored loss; use loss (training) or val_loss (needs"
            + " data.validation_fraction)");
  }
}
