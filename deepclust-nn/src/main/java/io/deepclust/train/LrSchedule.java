package io.deepclust.train;

import java.util.Objects;

/**
 * How a phase's learning rate changes, stepped once at the end of each epoch with the semantics of
 * torch.optim.lr_scheduler (PyTorch 1.13-2.7). Every phase starts at the optimizer's base rate
 * ({@link OptimizerConfig#learningRate()}); the LR of each epoch is recorded in {@link
 * EpochResult#lr()}.
 *
 * <p>Float parameters are widened through their decimal form (0.9f acts as 0.9) and the rate is
 * kept in double, as in Python, so the rates equal torch's to the last bit or nearly.
 */
public sealed interface LrSchedule
    permits LrSchedule.Constant, LrSchedule.StepLr, LrSchedule.ReduceLrOnPlateau {

  /** The metric names a schedule or {@link EarlyStopping} can watch. */
  String LOSS = "loss";

  /**
   * The validation loss; needs validation data ({@link TrainingLoop.Builder#optValidationData}).
   */
  String VAL_LOSS = "val_loss";

  /** The rate stays the base rate. */
  record Constant() implements LrSchedule {}

  /**
   * torch.optim.lr_scheduler.StepLR: the rate is multiplied by {@code gamma} after every {@code
   * stepSize} epochs, so epoch e (from 1) runs at base * gamma^floor((e - 1) / stepSize).
   *
   * @param stepSize epochs between decays, &gt;= 1
   * @param gamma the decay factor, in (0, 1]
   */
  record StepLr(int stepSize, float gamma) implements LrSchedule {
    public StepLr {
      if (stepSize < 1) {
        throw new IllegalArgumentException("StepLr stepSize must be >= 1, got " + stepSize);
      }
      if (!(gamma > 0f && gamma <= 1f)) {
        throw new IllegalArgumentException(
            "StepLr gamma must lie in (0, 1], got " + gamma + "; the usual value is 0.1");
      }
    }
  }

  /**
   * torch.optim.lr_scheduler.ReduceLROnPlateau in mode "min", threshold_mode "rel", eps 1e-8: an
   * epoch improves when its metric is below best * (1 - threshold); after more than {@code
   * patience} epochs without improvement the rate becomes max(lr * factor, minLr) (unchanged if
   * that moves it by at most 1e-8), then {@code cooldown} epochs pass in which bad epochs are not
   * counted.
   *
   * @param monitor {@link #LOSS} (the epoch's training loss) or {@link #VAL_LOSS}
   * @param factor the reduction factor, in (0, 1)
   * @param patience bad epochs tolerated before a reduction, &gt;= 0
   * @param threshold relative improvement needed, &gt;= 0 (torch's default 1e-4)
   * @param cooldown epochs after a reduction in which bad epochs are ignored, &gt;= 0
   * @param minLr the lowest rate, &gt;= 0
   */
  record ReduceLrOnPlateau(
      String monitor, float factor, int patience, float threshold, int cooldown, float minLr)
      implements LrSchedule {
    public ReduceLrOnPlateau {
      checkMonitor("ReduceLrOnPlateau", monitor);
      if (!(factor > 0f && factor < 1f)) {
        throw new IllegalArgumentException(
            "ReduceLrOnPlateau factor must lie in (0, 1), got " + factor + "; try 0.1");
      }
      if (patience < 0 || cooldown < 0) {
        throw new IllegalArgumentException(
            "ReduceLrOnPlateau patience and cooldown must be >= 0, got "
                + patience
                + " and "
                + cooldown);
      }
      if (!(threshold >= 0f) || !(minLr >= 0f)) {
        throw new IllegalArgumentException(
            "ReduceLrOnPlateau threshold and minLr must be >= 0, got "
                + threshold
                + " and "
                + minLr);
      }
    }
  }

  /** The schedule's metric, or null if it watches none. */
  default String monitor() {
    return this instanceof ReduceLrOnPlateau p ? p.monitor() : null;
  }

  /** A constant rate. */
  static LrSchedule constant() {
    return new Constant();
  }

  /** Throws unless {@code monitor} is {@link #LOSS} or {@link #VAL_LOSS}. */
  static void checkMonitor(String owner, String monitor) {
    if (!LOSS.equals(monitor) && !VAL_LOSS.equals(monitor)) {
      throw new IllegalArgumentException(
          owner
              + " monitor must be '"
              + LOSS
              + "' or '"
              + VAL_LOSS
              + "', got "
              + (monitor == null ? "null" : "'" + monitor + "'"));
    }
  }

  /** {@code f} as the double its decimal form means (0.9f gives 0.9, as a Python float). */
  static double decimal(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  /**
   * A schedule's position, as stored in checkpoints: the rate of the next epoch and, for
   * ReduceLrOnPlateau, torch's best / num_bad_epochs / cooldown_counter.
   *
   * @param lr the rate of the next epoch
   * @param epochs epochs stepped so far in the phase (torch's last_epoch)
   * @param best the best metric so far (+Infinity before the first)
   * @param badEpochs epochs since the last improvement (torch's num_bad_epochs)
   * @param cooldownCounter epochs of cooldown left
   */
  record State(double lr, int epochs, double best, int badEpochs, int cooldownCounter) {
    /** The state before the first epoch. */
    public static State start(double baseLr) {
      return new State(baseLr, 0, Double.POSITIVE_INFINITY, 0, 0);
    }
  }

  /**
   * The state after one more epoch whose monitored metric was {@code metric} (ignored by schedules
   * that watch none).
   */
  default State step(State s, double metric) {
    Objects.requireNonNull(s, "state");
    int epochs = s.epochs() + 1;
    if (this instanceof StepLr st) {
      // torch's chainable form: lr *= gamma whenever last_epoch is a multiple of step_size
      double lr = epochs % st.stepSize() == 0 ? s.lr() * decimal(st.gamma()) : s.lr();
      return new State(lr, epochs, s.best(), s.badEpochs(), s.cooldownCounter());
    }
    if (this instanceof ReduceLrOnPlateau p) {
      double best = s.best();
      int bad = s.badEpochs();
      int cooldown = s.cooldownCounter();
      if (metric < best * (1.0 - decimal(p.threshold()))) {
        best = metric;
        bad = 0;
      } else {
        bad++;
      }
      if (cooldown > 0) {
        cooldown--;
        bad = 0;
      }
      double lr = s.lr();
      if (bad > p.patience()) {
        double reduced = Math.max(lr * decimal(p.factor()), decimal(p.minLr()));
        if (lr - reduced > 1e-8) {
          lr = reduced;
        }
        cooldown = p.cooldown();
        bad = 0;
      }
      return new State(lr, epochs, best, bad, cooldown);
    }
    return new State(s.lr(), epochs, s.best(), s.badEpochs(), s.cooldownCounter());
  }
}
