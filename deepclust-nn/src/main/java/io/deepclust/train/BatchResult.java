package io.deepclust.train;

/**
 * One finished training step, for progress displays.
 *
 * @param phase the phase name
 * @param epoch the epoch within the phase, from 1
 * @param epochs the phase's total epochs
 * @param batch the batch within the epoch, from 1
 * @param batches batches per epoch
 * @param loss this batch's loss
 * @param runningLoss the image-weighted mean loss of the epoch so far
 * @param imagesDone images trained so far in this epoch
 * @param secondsInEpoch wall time since the epoch started
 */
public record BatchResult(
    String phase,
    int epoch,
    int epochs,
    int batch,
    int batches,
    float loss,
    double runningLoss,
    long imagesDone,
    double secondsInEpoch) {

  /** Training throughput of the epoch so far. */
  public double imagesPerSecond() {
    return secondsInEpoch > 0 ? imagesDone / secondsInEpoch : 0;
  }

  /** Estimated seconds left in this epoch. */
  public double etaSeconds() {
    return batch > 0 ? secondsInEpoch / batch * (batches - batch) : Double.NaN;
  }
}
