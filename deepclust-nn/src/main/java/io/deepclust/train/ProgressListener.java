package io.deepclust.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows the progress of each epoch (batch, loss, images/s, ETA) and prints one summary line per
 * epoch.
 */
public final class ProgressListener implements TrainingListener {
  private final Progress.Mode mode;
  private final PrintStream out;
  private Progress progress;

  /** Detected mode ({@link Progress.Mode#detect()}), standard error. */
  public ProgressListener() {
    this(Progress.Mode.detect(), System.err);
  }

  public ProgressListener(Progress.Mode mode, PrintStream out) {
    this.mode = mode;
    this.out = out;
  }

  @Override
  public void onEpochStart(TrainingLoop loop, Phase phase, int epoch, int batches) {
    closeProgress();
    progress =
        Progress.start(phase.name() + " epoch " + epoch + "/" + phase.epochs(), batches, mode, out);
  }

  @Override
  public void onBatchEnd(TrainingLoop loop, BatchResult r) {
    if (progress != null) {
      progress.update(
          r.batch(),
          String.format(Locale.ROOT, "loss %.5g %.0f img/s", r.runningLoss(), r.imagesPerSecond()));
    }
  }

  @Override
  public void onEpochEnd(TrainingLoop loop, EpochResult r) {
    closeProgress();
    if (mode == Progress.Mode.OFF) {
      return;
    }
    String val = r.hasValLoss() ? String.format(Locale.ROOT, " val_loss %.5g", r.valLoss()) : "";
    out.println(
        String.format(
            Locale.ROOT,
            "%s epoch %d/%d: loss %.5g%s, lr %.4g, %.1f s, %.0f img/s",
            r.phase(),
            r.epoch(),
            r.epochs(),
            r.loss(),
            val,
            r.lr(),
            r.seconds(),
            r.imagesPerSecond()));
  }

  @Override
  public void onNotice(TrainingLoop loop, String message) {
    if (mode != Progress.Mode.OFF) {
      closeProgress();
      out.println(message);
    }
  }

  /** Printed in every mode, OFF included. */
  @Override
  public void onWarning(TrainingLoop loop, String message) {
    closeProgress();
    out.println(message);
  }

  @Override
  public void onTrainingEnd(TrainingLoop loop) {
    closeProgress();
  }

  @Override
  public void onTrainingFailed(TrainingLoop loop, RuntimeException error) {
    closeProgress();
  }

  private void closeProgress() {
    if (progress != null) {
      progress.close();
      progress = null;
    }
  }
}
