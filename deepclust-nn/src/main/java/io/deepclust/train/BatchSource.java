package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Cuts an image matrix (n x C*H*W, values in [0, 1]) into mini-batches of shape (B, C, H, W).
 *
 * <p>The order of epoch {@code e} of phase {@code p} is a Fisher-Yates permutation drawn from
 * {@code Seeds.stream(seed, "batches/" + p + "/" + e)}: it depends on nothing else, so a run
 * resumed at epoch {@code e} sees exactly the batches an unbroken run sees.
 */
public final class BatchSource {
  private final FloatMatrix images;
  private final Shape imageShape;
  private final BatchConfig config;
  private final long seed;

  /**
   * @param images one image per row, flattened in (C, H, W) order, values in [0, 1]
   * @param imageShape (C, H, W) with C*H*W = {@code images.cols()}
   * @param config batch size, shuffling and drop-last
   * @param seed the run's seed; batch orders are derived from it
   */
  public BatchSource(FloatMatrix images, Shape imageShape, BatchConfig config, long seed) {
    this(images, imageShape, config, seed, true);
  }

  private BatchSource(
      FloatMatrix images, Shape imageShape, BatchConfig config, long seed, boolean checkPixels) {
    this.images = Objects.requireNonNull(images, "images");
    this.imageShape = Objects.requireNonNull(imageShape, "imageShape");
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
    if (imageShape.dimension() != 3 || imageShape.size() != images.cols()) {
      throw new IllegalArgumentException(
          "imageShape "
              + imageShape
              + " does not fit rows of "
              + images.cols()
              + " values; give (C, H, W) with C*H*W = "
              + images.cols());
    }
    if (images.rows() == 0) {
      throw new IllegalArgumentException("images has no rows; a training set needs images");
    }
    float[] d = checkPixels ? images.data() : new float[0];
    for (int i = 0; i < d.length; i++) {
      // !(v >= 0 && v <= 1) also catches NaN
      if (!(d[i] >= 0f && d[i] <= 1f)) {
        throw new IllegalArgumentException(
            "image "
                + (i / images.cols())
                + ", value "
                + (i % images.cols())
                + " is "
                + d[i]
                + "; pixel values must lie in [0, 1] (divide 8-bit images by 255)");
      }
    }
    if (config.dropLast() && images.rows() < config.batchSize()) {
      throw new IllegalArgumentException(
          "dropLast with batchSize "
              + config.batchSize()
              + " leaves no batch of the "
              + images.rows()
              + " images; lower batchSize or set dropLast false");
    }
  }

  /**
   * A source over some of these images (copied, in the given order) with the same image shape,
   * batching and seed; its row k is this source's row {@code rows[k]}.
   *
   * @throws IllegalArgumentException if {@code rows} is empty or names a row outside [0, size)
   */
  public BatchSource subset(int[] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("a subset needs at least one row");
    }
    for (int r : rows) {
      if (r < 0 || r >= images.rows()) {
        throw new IllegalArgumentException(
            "subset row " + r + " is outside the " + images.rows() + " images");
      }
    }
    // pixels were checked when this source was made
    return new BatchSource(images.selectRows(rows), imageShape, config, seed, false);
  }

  /**
   * The rows of a seeded random subset of {@code count} images (ascending), drawn with {@code
   * Seeds.stream(seed, purpose)}; all rows when {@code count >= size()}.
   */
  public int[] sampleRows(int count, String purpose) {
    int n = images.rows();
    if (count < 1) {
      throw new IllegalArgumentException("a subset needs at least one row, got count " + count);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (count >= n) {
      return order;
    }
    SplittableRandom rnd = Seeds.stream(seed, purpose);
    // partial Fisher-Yates: the first count slots are a uniform sample
    for (int i = 0; i < count; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] rows = java.util.Arrays.copyOf(order, count);
    java.util.Arrays.sort(rows);
    return rows;
  }

  public FloatMatrix images() {
    return images;
  }

  /** (C, H, W). */
  public Shape imageShape() {
    return imageShape;
  }

  public BatchConfig config() {
    return config;
  }

  public long seed() {
    return seed;
  }

  /** Number of images. */
  public int size() {
    return images.rows();
  }

  /** Batches per epoch: ceil(n / B), or floor(n / B) with drop-last. */
  public int batchesPerEpoch() {
    int n = images.rows();
    int b = config.batchSize();
    return config.dropLast() ? n / b : (n + b - 1) / b;
  }

  /** Images visited per epoch (n, or fewer with drop-last). */
  public int imagesPerEpoch() {
    return config.dropLast() ? batchesPerEpoch() * config.batchSize() : images.rows();
  }

  /**
   * The row indices of each batch of one epoch.
   *
   * @param phase the phase name (part of the seed, so phases see different orders)
   * @param epoch the epoch number, from 1
   */
  public int[][] batches(String phase, int epoch) {
    int n = images.rows();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (config.shuffle()) {
      SplittableRandom rnd = Seeds.stream(seed, "batches/" + phase + "/" + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    int b = config.batchSize();
    int count = batchesPerEpoch();
    int[][] out = new int[count][];
    for (int k = 0; k < count; k++) {
      int from = k * b;
      int len = Math.min(b, n - from);
      out[k] = new int[len];
      System.arraycopy(order, from, out[k], 0, len);
    }
    return out;
  }

  /** The images of {@code rows} as a (B, C, H, W) array created in {@code manager}. */
  public NDArray toNDArray(NDManager manager, int[] rows) {
    return manager.create(gather(rows), batchShape(rows.length));
  }

  /** The pixels of {@code rows}, one image after the other (a fresh array). */
  float[] gather(int[] rows) {
    int cols = images.cols();
    float[] src = images.data();
    float[] buf = new float[rows.length * cols];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(src, rows[k] * cols, buf, k * cols, cols);
    }
    return buf;
  }

  /** (b, C, H, W). */
  Shape batchShape(int b) {
    return new Shape(b, imageShape.get(0), imageShape.get(1), imageShape.get(2));
  }

  /**
   * The same images (shared, not copied) and seed with another batch size, e.g. for a phase that
   * trains with its own (paper 003's contrastive phase: 64).
   *
   * @throws IllegalArgumentException if {@code batchSize} is below 1
   */
  public BatchSource withBatchSize(int batchSize) {
    BatchConfig c = new BatchConfig(batchSize, config.shuffle(), config.dropLast());
    return new BatchSource(images, imageShape, c, seed, false);
  }
}
