package io.deepclust.train;

/**
 * The summary of one finished epoch.
 *
 * @param phaseIndex position of the phase in the run, from 0
 * @param phase the phase name
 * @param epoch the epoch within the phase, from 1
 * @param epochs the phase's total epochs
 * @param loss training loss averaged over the epoch's images (batch losses weighted by size)
 * @param valLoss validation loss in eval mode, or NaN when no validation set is given
 * @param lr the learning rate of the epoch's updates (set by the phase's {@link LrSchedule})
 * @param seconds wall time of the whole epoch (hooks, training steps, validation)
 * @param imagesPerSecond training images per second of the training steps alone
 * @param batchLosses the loss of every batch, in order
 */
public record EpochResult(
    int phaseIndex,
    String phase,
    int epoch,
    int epochs,
    double loss,
    double valLoss,
    double lr,
    double seconds,
    double imagesPerSecond,
    float[] batchLosses) {

  public boolean hasValLoss() {
    return !Double.isNaN(valLoss);
  }
}
