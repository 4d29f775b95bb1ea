package io.deepclust.train;

import java.util.List;

/**
 * The small JSON part of a checkpoint ({@code state.json}).
 *
 * @param format layout version, {@link #FORMAT} (1 is read too: no schedule state, Adam)
 * @param seed the run's seed
 * @param phases the names of all phases of the run, in order
 * @param phaseIndex the phase the last finished epoch belongs to
 * @param epochsDone epochs of that phase finished
 * @param steps optimizer steps taken in the whole run
 * @param trainSize images in the training set
 * @param history every finished epoch
 * @param optimizer the optimizer's kind ({@link OptimizerConfig#kind()}), null in format 1
 * @param schedule the phase's LR schedule position after the last finished epoch, null in format 1
 * @param earlyStopping the phase's early-stopping position, or null without early stopping
 * @param stoppedEarly whether early stopping ended the phase (resuming starts the next phase)
 */
public record CheckpointState(
    int format,
    long seed,
    List<String> phases,
    int phaseIndex,
    int epochsDone,
    long steps,
    int trainSize,
    List<EpochResult> history,
    String optimizer,
    LrSchedule.State schedule,
    EarlyStopping.State earlyStopping,
    boolean stoppedEarly) {
  /** The current layout version. */
  public static final int FORMAT = 2;

  /** The most epochs of phase {@code phase} in the history (0 if none). */
  public int epochsOf(String phase) {
    int max = 0;
    for (EpochResult e : history) {
      if (e.phase().equals(phase)) {
        max = Math.max(max, e.epoch());
      }
    }
    return max;
  }
}
