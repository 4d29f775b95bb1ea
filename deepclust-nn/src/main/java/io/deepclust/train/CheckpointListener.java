package io.deepclust.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a checkpoint into {@code folder} after every {@code everyEpochs}-th epoch and after the
 * last epoch of each phase (also when early stopping ends it); the previous checkpoint is kept too;
 * see {@link TrainingLoop#writeCheckpoint(Path)} for the layout.
 */
public final class CheckpointListener implements TrainingListener {
  private final Path folder;
  private final int everyEpochs;

  /** A checkpoint after every epoch. */
  public CheckpointListener(Path folder) {
    this(folder, 1);
  }

  public CheckpointListener(Path folder, int everyEpochs) {
    this.folder = Objects.requireNonNull(folder, "folder");
    if (everyEpochs < 1) {
      throw new IllegalArgumentException(
          "checkpoint everyEpochs must be at least 1, got " + everyEpochs);
    }
    this.everyEpochs = everyEpochs;
  }

  public Path folder() {
    return folder;
  }

  @Override
  public void onEpochEnd(TrainingLoop loop, EpochResult r) {
    if (r.epoch() % everyEpochs == 0 || r.epoch() == r.epochs() || loop.phaseFinished()) {
      loop.writeCheckpoint(folder);
    }
  }
}
