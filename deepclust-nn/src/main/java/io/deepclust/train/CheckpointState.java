package io.deepclust.train;

import java.util.List;

/**
 * The small JSON part of a checkpoint ({@code state.json}).
 *
 * @param format layout version, {@link #FORMAT}
 * @param seed the run's seed
 * @param phases the names of all phases of the run, in order
 * @param phaseIndex the phase the last finished epoch belongs to
 * @param epochsDone epochs of that phase finished
 * @param steps optimizer steps taken in the whole run
 * @param trainSize images in the training set
 * @param history every finished epoch
 */
public record CheckpointState(
    int format,
    long seed,
    List<String> phases,
    int phaseIndex,
    int epochsDone,
    long steps,
    int trainSize,
    List<EpochResult> history) {
  /** The current layout version. */
  public static final int FORMAT = 1;
}
