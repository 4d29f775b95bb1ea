package io.deepclust.data;

import java.nio.file.Path;

/**
 * A file in a user's folder has the name of a registered dataset file but not its content (its
 * SHA-256 differs from the registered one). Such files are never replaced, rewritten or deleted:
 * the message says which file, the expected and actual SHA-256, and how to run the files as a
 * source of their own instead.
 */
public class DatasetChecksumException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String expected;
  private final String actual;

  public DatasetChecksumException(Path file, String expected, String actual, String message) {
    super(message);
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * The error for {@code path}, the stored form of {@code file} of {@code spec}, whose decompressed
   * content has SHA-256 {@code actual}: names the file, both checksums, and the fix.
   */
  static DatasetChecksumException of(
      DatasetSpec spec, Path datasetDir, DatasetFile file, Path path, String actual) {
    Path images = DataLocator.resolveFile(datasetDir, spec.trainImages()).orElse(path);
    Path labels = DataLocator.resolveFile(datasetDir, spec.trainLabels()).orElse(path);
    String message =
        path
            + " is not "
            + spec.name()
            + "'s "
            + file.name()
            + ": the SHA-256 of its content is "
            + actual
            + ", expected "
            + file.sha256()
            + ". It was left untouched: files outside the project's own cache are never"
            + " replaced, rewritten or deleted. Fix: to cluster these images as your own data,"
            + " give them as a source instead of the dataset name, e.g. data.dataset (or"
            + " --dataset) idx:"
            + images.toAbsolutePath()
            + ","
            + labels.toAbsolutePath()
            + "; to use "
            + spec.name()
            + " itself, put the original files in "
            + datasetDir
            + " or run without --data-dir / "
            + DataLocator.ENV_DATA
            + " (it is then fetched into the project's cache).";
    return new DatasetChecksumException(path, file.sha256(), actual, message);
  }

  /** The first mismatching file. */
  public Path file() {
    return file;
  }

  /** The registered SHA-256 of its decompressed content. */
  public String expected() {
    return expected;
  }

  /** The SHA-256 of its decompressed content as found. */
  public String actual() {
    return actual;
  }
}
