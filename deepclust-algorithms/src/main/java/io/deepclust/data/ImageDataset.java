package io.deepclust.data;

import io.deepclust.linalg.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * Images as one matrix, with optional labels: the input to every pipeline stage.
 *
 * <p>{@code pixels} is {@code n x (channels * height * width)}, one image per row, values in [0, 1]
 * ({@code byte / 255f} for 8-bit data). Within a row the layout is channel-first, {@code (C, H, W)}
 * as in PyTorch: channel after channel, each a row-major {@code height x width} plane, so the value
 * of channel {@code c} at {@code (y, x)} is at {@code (c * height + y) * width + x}. This is the
 * layout every stage assumes: the training batches and the embedder reshape a row to {@code (C, H,
 * W)} without moving values. The matrix and the label array are shared, not copied.
 *
 * @param name registry name, e.g. {@code mnist}
 * @param split which part of the dataset these images are
 * @param pixels {@code n x (channels*height*width)}, channel-first, values in [0, 1]
 * @param labels {@code n} ground-truth classes in {@code [0, numClasses())}, or null when
 *     unlabelled
 * @param height image height in pixels
 * @param width image width in pixels
 * @param channels 1 for grey, 3 for RGB
 * @param classNames class names by class index; empty when unknown
 */
public record ImageDataset(
    String name,
    Split split,
    FloatMatrix pixels,
    int[] labels,
    int height,
    int width,
    int channels,
    List<String> classNames) {

  public ImageDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(pixels, "pixels");
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          name + ": image shape must be positive, got " + height + "x" + width + "x" + channels);
    }
    if ((long) height * width * channels != pixels.cols()) {
      throw new IllegalArgumentException(
          name
              + ": pixels has "
              + pixels.cols()
              + " columns but images are "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " = "
              + ((long) height * width * channels)
              + " values");
    }
    if (labels != null) {
      if (labels.length != pixels.rows()) {
        throw new IllegalArgumentException(
            name + ": " + labels.length + " labels for " + pixels.rows() + " images");
      }
      for (int i = 0; i < labels.length; i++) {
        int y = labels[i];
        if (y < 0 || (!classNames.isEmpty() && y >= classNames.size())) {
          throw new IllegalArgumentException(
              name
                  + ": label "
                  + y
                  + " at index "
                  + i
                  + " is outside [0, "
                  + (classNames.isEmpty() ? "inf" : classNames.size())
                  + ")");
        }
      }
    }
  }

  /** Number of images. */
  public int size() {
    return pixels.rows();
  }

  /** Values per image, {@code height * width * channels}. */
  public int featureCount() {
    return pixels.cols();
  }

  /** Whether ground-truth labels are present. */
  public boolean hasLabels() {
    return labels != null;
  }

  /**
   * Number of classes: the number of class names if known, else {@code max(label) + 1}, else 0 for
   * unlabelled data.
   */
  public int numClasses() {
    if (!classNames.isEmpty()) {
      return classNames.size();
    }
    if (labels == null) {
      return 0;
    }
    int max = -1;
    for (int y : labels) {
      max = Math.max(max, y);
    }
    return max + 1;
  }

  /**
   * Images per class, indexed by class.
   *
   * @throws IllegalStateException for unlabelled data
   */
  public int[] classCounts() {
    if (labels == null) {
      throw new IllegalStateException(name + " (" + split + ") has no labels to count");
    }
    int[] counts = new int[numClasses()];
    for (int y : labels) {
      counts[y]++;
    }
    return counts;
  }

  /** A new dataset with the given images (and their labels), in the given order. */
  public ImageDataset subset(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    for (int i : indices) {
      if (i < 0 || i >= size()) {
        throw new IndexOutOfBoundsException(
            name + ": subset index " + i + " outside [0, " + size() + ")");
      }
    }
    int[] sub = null;
    if (labels != null) {
      sub = new int[indices.length];
      for (int k = 0; k < indices.length; k++) {
        sub[k] = labels[indices[k]];
      }
    }
    return new ImageDataset(
        name, split, pixels.selectRows(indices), sub, height, width, channels, classNames);
  }

  @Override
  public String toString() {
    return "ImageDataset["
        + name
        + "/"
        + split
        + ", "
        + size()
        + " x "
        + height
        + "x"
        + width
        + "x"
        + channels
        + (labels == null ? ", unlabelled" : ", " + numClasses() + " classes")
        + "]";
  }
}
