package io.deepclust.data;

import io.deepclust.linalg.FloatMatrix;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a registered dataset from disk into an {@link ImageDataset}, pixels scaled to [0, 1] as
 * {@code byte / 255f}.
 *
 * <p>Checks beyond the IDX format itself: the label file has as many entries as the image file, the
 * images have the registered shape, and labels are valid class indices. For {@link Split#ALL} the
 * train images come first, then the test images (70,000 for MNIST).
 */
public final class DatasetLoader {
  private static final float[] BYTE_TO_UNIT = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      BYTE_TO_UNIT[i] = i / 255f;
    }
  }

  private DatasetLoader() {}

  /** Loads {@code name} from the usual places ({@link DataLocator#fromEnvironment}). */
  public static ImageDataset load(String name, Split split) {
    return load(DatasetRegistry.get(name), split, DataLocator.fromEnvironment(null));
  }

  /**
   * Loads registered dataset {@code name}, located by {@code locator}.
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws MissingDatasetException if the files are nowhere to be found
   * @throws IdxFormatException if a file is malformed or the files disagree
   */
  public static ImageDataset load(String name, Split split, DataLocator locator) {
    return load(DatasetRegistry.get(name), split, locator);
  }

  /** Loads {@code spec}, located by {@code locator}. */
  public static ImageDataset load(DatasetSpec spec, Split split, DataLocator locator) {
    return load(spec, split, locator.locate(spec));
  }

  /**
   * Loads {@code spec} from {@code datasetDir}, the folder holding its files ({@code .gz} or raw).
   */
  public static ImageDataset load(DatasetSpec spec, Split split, Path datasetDir) {
    Objects.requireNonNull(split, "split");
    if (split == Split.ALL) {
      Part train = readPart(spec, Split.TRAIN, datasetDir);
      Part test = readPart(spec, Split.TEST, datasetDir);
      int d = spec.height() * spec.width() * spec.channels();
      int n = train.labels.length + test.labels.length;
      float[] pixels = new float[Math.multiplyExact(n, d)];
      toUnit(train.images.pixels(), pixels, 0);
      toUnit(test.images.pixels(), pixels, train.images.pixels().length);
      int[] labels = new int[n];
      System.arraycopy(train.labels, 0, labels, 0, train.labels.length);
      System.arraycopy(test.labels, 0, labels, train.labels.length, test.labels.length);
      return dataset(spec, split, new FloatMatrix(n, d, pixels), labels);
    }
    Part part = readPart(spec, split, datasetDir);
    int d = spec.height() * spec.width() * spec.channels();
    float[] pixels = new float[part.images.pixels().length];
    toUnit(part.images.pixels(), pixels, 0);
    return dataset(spec, split, new FloatMatrix(part.labels.length, d, pixels), part.labels);
  }

  /** The hint appended to format errors: how to get a good copy of the files. */
  public static String refetchHint(DatasetSpec spec) {
    return "re-fetch with: " + DataLocator.FETCH_COMMAND + " " + spec.name();
  }

  private static ImageDataset dataset(DatasetSpec spec, Split split, FloatMatrix m, int[] y) {
    return new ImageDataset(
        spec.name(), split, m, y, spec.height(), spec.width(), spec.channels(), spec.classNames());
  }

  private record Part(IdxReader.IdxImages images, int[] labels) {}

  private static Part readPart(DatasetSpec spec, Split split, Path dir) {
    String hint = refetchHint(spec);
    Path imagesPath = DataLocator.requireFile(dir, spec, spec.imagesFile(split));
    Path labelsPath = DataLocator.requireFile(dir, spec, spec.labelsFile(split));
    IdxReader.IdxImages images = IdxReader.readImages(imagesPath, hint);
    if (spec.channels() != 1 || images.rows() != spec.height() || images.cols() != spec.width()) {
      throw new IdxFormatException(
          imagesPath,
          imagesPath
              + ": images are "
              + images.rows()
              + "x"
              + images.cols()
              + " but "
              + spec.name()
              + " images are "
              + spec.height()
              + "x"
              + spec.width()
              + "x"
              + spec.channels()
              + "; "
              + hint);
    }
    int[] labels = IdxReader.readLabels(labelsPath, hint);
    if (labels.length != images.count()) {
      throw new IdxFormatException(
          imagesPath,
          "image and label files disagree: "
              + imagesPath
              + " holds "
              + images.count()
              + " images but "
              + labelsPath
              + " holds "
              + labels.length
              + " labels; "
              + hint);
    }
    int k = spec.classNames().size();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= k) {
        throw new IdxFormatException(
            labelsPath,
            labelsPath
                + ": label "
                + labels[i]
                + " at index "
                + i
                + " is not a class of "
                + spec.name()
                + " (0.."
                + (k - 1)
                + "); "
                + hint);
      }
    }
    return new Part(images, labels);
  }

  private static void toUnit(byte[] src, float[] dst, int offset) {
    float[] lut = BYTE_TO_UNIT;
    for (int i = 0; i < src.length; i++) {
      dst[offset + i] = lut[src[i] & 0xFF];
    }
  }
}
