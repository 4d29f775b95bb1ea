package io.deepclust.train;

/**
 * How a data set is cut into mini-batches.
 *
 * @param batchSize images per batch, at least 1
 * @param shuffle whether each epoch visits the images in a fresh seeded order
 * @param dropLast whether a last batch smaller than {@code batchSize} is skipped
 */
public record BatchConfig(int batchSize, boolean shuffle, boolean dropLast) {
  public BatchConfig {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "batchSize must be at least 1, got " + batchSize + "; 256 is the usual choice");
    }
  }

  /** Batch size 256, shuffled, last partial batch kept (as DEC-keras). */
  public static BatchConfig defaults() {
    return new BatchConfig(256, true, false);
  }

  /** In-order batches of {@code batchSize}, none dropped: for validation and inference. */
  public static BatchConfig sequential(int batchSize) {
    return new BatchConfig(batchSize, false, false);
  }
}
