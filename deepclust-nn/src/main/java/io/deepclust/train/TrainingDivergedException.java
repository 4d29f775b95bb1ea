package io.deepclust.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A batch loss became NaN or infinite, or a finite loss gave a NaN or infinite gradient (the
 * parameters were not updated with that batch in either case), or an epoch's loss blew up far above
 * the phase's first epoch without becoming NaN ({@link Phase#divergenceFactor()}; no checkpoint was
 * written for that epoch). The last good checkpoint (if any) is left untouched.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String phase;
  private final int epoch;
  private final int batch;
  private final float loss;
  private final String parameter;
  private final transient Path lastCheckpoint;

  public TrainingDivergedException(
      String phase, int epoch, int batch, float loss, float learningRate, Path lastCheckpoint) {
    super(message(phase, epoch, batch, loss, learningRate, lastCheckpoint));
    this.phase = phase;
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
    this.parameter = null;
    this.lastCheckpoint = lastCheckpoint;
  }

  /**
   * The finite loss {@code loss} of a batch gave a non-finite gradient: {@code parameter} names the
   * first parameter (in the model's order) whose gradient has a NaN or infinite value.
   */
  public TrainingDivergedException(
      String phase,
      int epoch,
      int batch,
      float loss,
      String parameter,
      String gradientValue,
      float learningRate,
      Path lastCheckpoint) {
    super(
        String.format(
                java.util.Locale.ROOT,
                "training diverged in phase '%s', epoch %d, batch %d: the loss %.6g is finite but"
                    + " the gradient of parameter '%s' holds %s (the step was not taken). ",
                phase,
                epoch,
                batch,
                loss,
                parameter,
                gradientValue)
            + advice(learningRate, lastCheckpoint));
    this.phase = phase;
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
    this.parameter = Objects.requireNonNull(parameter, "parameter");
    this.lastCheckpoint = lastCheckpoint;
  }

  /**
   * An epoch's mean loss {@code loss} exceeded {@code factor} times the phase's first epoch's
   * {@code firstLoss}.
   */
  public TrainingDivergedException(
      String phase,
      int epoch,
      float loss,
      double firstLoss,
      double factor,
      float learningRate,
      Path lastCheckpoint) {
    super(
        String.format(
                java.util.Locale.ROOT,
                "training diverged in phase '%s', epoch %d: the epoch's loss %.6g is more than %.3g"
                    + " times the phase's first epoch's (%.6g) without becoming NaN. ",
                phase,
                epoch,
                loss,
                factor,
                firstLoss)
            + advice(learningRate, lastCheckpoint));
    this.phase = phase;
    this.epoch = epoch;
    this.batch = 0;
    this.loss = loss;
    this.parameter = null;
    this.lastCheckpoint = lastCheckpoint;
  }

  private static String message(
      String phase, int epoch, int batch, float loss, float learningRate, Path lastCheckpoint) {
    return "training diverged in phase '"
        + phase
        + "', epoch "
        + epoch
        + ", batch "
        + batch
        + ": the loss is "
        + loss
        + ". "
        + advice(learningRate, lastCheckpoint);
  }

  private static String advice(float learningRate, Path lastCheckpoint) {
    String kept =
        lastCheckpoint == null
            ? "No checkpoint had been written yet."
            : "The last good checkpoint is kept at " + lastCheckpoint + " (resume from it).";
    return kept
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

  /**
   * The parameter whose gradient was NaN or infinite while the loss was finite, or null when the
   * loss itself diverged.
   */
  public String parameter() {
    return parameter;
  }

  /**
   * Whether a step produced a NaN: a NaN loss, or a NaN or infinite gradient of a finite loss. Such
   * a step was never taken, and a resume from the last checkpoint may not meet it again; an
   * infinite loss or an epoch loss that grew far above the phase's first is a trend, not a one-step
   * event.
   */
  public boolean nanStep() {
    return Float.isNaN(loss) || parameter != null;
  }

  /** The newest complete checkpoint, or null if none was written. */
  public Path lastCheckpoint() {
    return lastCheckpoint;
  }
}
