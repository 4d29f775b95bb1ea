package io.deepclust.train;

import io.deepclust.util.AtomicFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Rewrites a CSV of all epochs so far after every epoch, atomically (readers never see half a file;
 * a resumed run's file includes the restored epochs). Columns: {@code
 * phase,epoch,loss,val_loss,seconds,images_per_s,lr}; {@code val_loss} is empty without a
 * validation set; {@code lr} is the learning rate of the epoch's updates.
 */
public final class MetricsCsvListener implements TrainingListener {
  /** The header line. */
  public static final String HEADER = "phase,epoch,loss,val_loss,seconds,images_per_s,lr";

  private final Path file;

  public MetricsCsvListener(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path file() {
    return file;
  }

  @Override
  public void onEpochEnd(TrainingLoop loop, EpochResult r) {
    AtomicFiles.writeString(file, toCsv(loop.history()));
  }

  /** The CSV text of {@code history}. */
  public static String toCsv(LossHistory history) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (EpochResult e : history.epochs()) {
      sb.append(e.phase())
          .append(',')
          .append(e.epoch())
          .append(',')
          .append(num(e.loss()))
          .append(',')
          .append(e.hasValLoss() ? num(e.valLoss()) : "")
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", e.seconds()))
          .append(',')
          .append(String.format(Locale.ROOT, "%.1f", e.imagesPerSecond()))
          .append(',')
          .append(num(e.lr()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.8g", v);
  }
}
