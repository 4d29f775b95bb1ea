package io.deepclust.train;

/**
 * Ends a phase early when its monitored loss stops improving (Keras' EarlyStopping, mode min): an
 * epoch improves when its metric is below best - minDelta; the phase ends after {@code patience}
 * epochs in a row without improvement. With {@code restoreBest} the parameters of the best epoch
 * are put back when the phase ends (early or after its last epoch); the optimizer state is not
 * rewound. The phase's remaining epochs are skipped and the next phase starts; a resumed run
 * continues identically (the best parameters are part of the checkpoint).
 *
 * @param monitor {@link LrSchedule#LOSS} (the epoch's training loss) or {@link LrSchedule#VAL_LOSS}
 * @param patience epochs without improvement before stopping, &gt;= 1
 * @param minDelta the smallest decrease that counts as an improvement, &gt;= 0 (absolute)
 * @param restoreBest whether the best epoch's parameters are restored at the end of the phase
 */
public record EarlyStopping(String monitor, int patience, float minDelta, boolean restoreBest) {
  public EarlyStopping {
    LrSchedule.checkMonitor("EarlyStopping", monitor);
    if (patience < 1) {
      throw new IllegalArgumentException("EarlyStopping patience must be >= 1, got " + patience);
    }
    if (!(minDelta >= 0f) || Float.isInfinite(minDelta)) {
      throw new IllegalArgumentException("EarlyStopping minDelta must be >= 0, got " + minDelta);
    }
  }

  /**
   * The position of early stopping, as stored in checkpoints.
   *
   * @param best the best metric so far (+Infinity before the first epoch)
   * @param bestEpoch the epoch (from 1) of the best metric, 0 before the first
   * @param badEpochs epochs since the best one
   * @param stopped whether the phase was ended early
   */
  public record State(double best, int bestEpoch, int badEpochs, boolean stopped) {
    /** The state before the first epoch. */
    public static State start() {
      return new State(Double.POSITIVE_INFINITY, 0, 0, false);
    }

    /** Whether {@code epoch} was the best one so far. */
    public boolean isBest(int epoch) {
      return bestEpoch == epoch;
    }
  }

  /** The state after epoch {@code epoch} whose monitored metric was {@code metric}. */
  public State step(State s, int epoch, double metric) {
    if (metric < s.best() - LrSchedule.decimal(minDelta)) {
      return new State(metric, epoch, 0, false);
    }
    int bad = s.badEpochs() + 1;
    return new State(s.best(), s.bestEpoch(), bad, bad >= patience);
  }
}
