package io.deepclust.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A summary of a dataset on disk, for {@code deepclust data info <name>}: images per split, image
 * shape and class balance. Reads the label files and only the headers of the image files, so it is
 * quick.
 *
 * @param spec the registered dataset
 * @param directory the folder its files were read from
 * @param trainImages image count in the train image file header
 * @param testImages image count in the test image file header
 * @param trainCounts train labels per class
 * @param testCounts test labels per class
 */
public record DatasetInfo(
    DatasetSpec spec,
    Path directory,
    int trainImages,
    int testImages,
    int[] trainCounts,
    int[] testCounts) {

  public DatasetInfo {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(trainCounts, "trainCounts");
    Objects.requireNonNull(testCounts, "testCounts");
  }

  /** Reads the summary of {@code name}, located by {@code locator}. */
  public static DatasetInfo read(String name, DataLocator locator) {
    DatasetSpec spec = DatasetRegistry.get(name);
    return read(spec, locator.locate(spec));
  }

  /**
   * Reads the summary of {@code spec} from {@code datasetDir}.
   *
   * @throws IdxFormatException if a header is malformed, or label and image counts disagree
   */
  public static DatasetInfo read(DatasetSpec spec, Path datasetDir) {
    int[] trainCounts = new int[spec.classNames().size()];
    int[] testCounts = new int[spec.classNames().size()];
    int train = readSplit(spec, Split.TRAIN, datasetDir, trainCounts);
    int test = readSplit(spec, Split.TEST, datasetDir, testCounts);
    return new DatasetInfo(spec, datasetDir, train, test, trainCounts, testCounts);
  }

  private static int readSplit(DatasetSpec spec, Split split, Path dir, int[] counts) {
    String hint = DatasetLoader.refetchHint(spec);
    Path images = DataLocator.requireFile(dir, spec, spec.imagesFile(split));
    Path labels = DataLocator.requireFile(dir, spec, spec.labelsFile(split));
    IdxReader.IdxHeader header = IdxReader.readHeader(images, 3, hint);
    int[] y = IdxReader.readLabels(labels, hint);
    int n = header.dims()[0];
    if (y.length != n) {
      throw new IdxFormatException(
          images,
          "image and label files disagree: "
              + images
              + " holds "
              + n
              + " images but "
              + labels
              + " holds "
              + y.length
              + " labels; "
              + hint);
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] >= counts.length) {
        throw new IdxFormatException(
            labels,
            labels
                + ": label "
                + y[i]
                + " at index "
                + i
                + " is not a class of "
                + spec.name()
                + "; "
                + hint);
      }
      counts[y[i]]++;
    }
    return n;
  }

  /** The summary as aligned plain text, one class per line. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    int all = trainImages + testImages;
    sb.append(spec.title()).append(" [").append(spec.name()).append("]\n");
    sb.append("location: ").append(directory).append('\n');
    sb.append(
        String.format(
            Locale.ROOT,
            "images:   %dx%dx%d (%d values per image, scaled to [0,1])%n",
            spec.height(),
            spec.width(),
            spec.channels(),
            spec.height() * spec.width() * spec.channels()));
    sb.append(
        String.format(
            Locale.ROOT,
            "splits:   train %d, test %d, all %d (train then test)%n",
            trainImages,
            testImages,
            all));
    int nameWidth = "class".length();
    for (String c : spec.classNames()) {
      nameWidth = Math.max(nameWidth, c.length());
    }
    String row = "  %-5s  %-" + nameWidth + "s  %16s  %16s  %16s%n";
    sb.append("class balance:\n");
    sb.append(String.format(Locale.ROOT, row, "label", "class", "train", "test", "all"));
    for (int k = 0; k < spec.classNames().size(); k++) {
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              k,
              spec.classNames().get(k),
              share(trainCounts[k], trainImages),
              share(testCounts[k], testImages),
              share(trainCounts[k] + testCounts[k], all)));
    }
    return sb.toString();
  }

  private static String share(int count, int total) {
    double pct = total == 0 ? 0 : 100.0 * count / total;
    return String.format(Locale.ROOT, "%d (%5.2f%%)", count, pct);
  }
}
