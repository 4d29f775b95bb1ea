package io.deepclust.train;

import java.nio.file.Path;

/**
 * A batch loss became NaN or infinite. The parameters were not updated with that batch; the last
 * good checkpoint (if any) is left untouched.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String phase;
  private final int epoch;
  private final int batch;
  private final float loss;
  private final transient Path lastCheckpoint;

  public TrainingDivergedException(
      String phase, int epoch, int batch, float loss, float learningRate, Path lastCheckpoint) {
    super(message(phase, epoch, batch, loss, learningRate, lastCheckpoint));
    this.phase = phase;
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
    this.lastCheckpoint = lastCheckpoint;
  }

  private static String message(
      String phase, int epoch, int batch, float loss, float learningRate, Path lastCheckpoint) {
    String kept =
        lastCheckpoint == null
            ? "No checkpoint had been written yet."
            : "The last good checkpoint is kept at " + lastCheckpoint + " (resume from it).";
    return "training diverged in phase '"
        + phase
        + "', epoch "
        + epoch
        + ", batch "
        + batch
        + ": the loss is "
        + loss
        + ". "
        + kept
        + " Lower the learning rate (it is "
        + learningRate
        + "; try a tenth of it), and check the input scaling ([0, 1]) and the loss.";
  }

  public String phase() {
    return phase;
  }

  public int epoch() {
    return epoch;
  }

  public int batch() {
    return batch;
  }

  public float loss() {
    return loss;
  }

  /** The newest complete checkpoint, or null if none was written. */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }
}
