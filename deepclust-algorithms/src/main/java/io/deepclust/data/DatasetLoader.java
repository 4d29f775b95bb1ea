package io.deepclust.data;

import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

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

  /**
   * Loads {@code spec}, located by {@code locator}, each file checked against its registered
   * SHA-256 ({@link #loadVerified}).
   */
  public static ImageDataset load(DatasetSpec spec, Split split, DataLocator locator) {
    return loadVerified(spec, split, locator.locate(spec), f -> {});
  }

  /**
   * Loads {@code split} of {@code spec} from {@code datasetDir} after checking every file it reads
   * against the registered SHA-256 (of the decompressed content); nothing is loaded unless all
   * match. Each file read is reported to {@code read}, for the run's record.
   *
   * @param read receives the absolute path and SHA-256 of each file read, in read order (train
   *     images, train labels, test images, test labels)
   * @throws DatasetChecksumException naming the first file whose content is not the registered one
   * @throws DatasetAccessException if a file exists but cannot be read (permission denied)
   * @throws MissingDatasetException if a file is missing
   * @throws IdxFormatException if a file cannot be read otherwise, or is malformed
   */
  public static ImageDataset loadVerified(
      DatasetSpec spec, Split split, Path datasetDir, Consumer<InputFile> read) {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(read, "read");
    List<DatasetFile> files =
        split == Split.ALL ? spec.files() : List.of(spec.imagesFile(split), spec.labelsFile(split));
    List<InputFile> checked = new ArrayList<>();
    for (DatasetFile f : files) {
      Path path = DataLocator.requireFile(datasetDir, spec, f);
      String actual = sha256(path, spec);
      if (!actual.equals(f.sha256())) {
        throw DatasetChecksumException.of(spec, datasetDir, f, path, actual);
      }
      checked.add(new InputFile(path, actual));
    }
    ImageDataset data = load(spec, split, datasetDir);
    checked.forEach(read);
    return data;
  }

  private static String sha256(Path path, DatasetSpec spec) {
    try {
      return Checksums.sha256OfDecompressed(path);
    } catch (AccessDeniedException e) {
      throw new DatasetAccessException(path, FileAccess.fileDenied(path, e.getReason()));
    } catch (IOException e) {
      throw new IdxFormatException(
          path, path + ": cannot read: " + e + "; " + refetchHint(spec), e);
    }
  }

  /**
   * Loads {@code spec} from {@code datasetDir}, the folder holding its files ({@code .gz} or raw),
   * checking their format but not their checksums (see {@link #loadVerified}).
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
