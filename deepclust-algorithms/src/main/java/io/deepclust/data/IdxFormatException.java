package io.deepclust.data;

import java.nio.file.Path;

/**
 * A file is not a valid IDX file of the kind expected (bad magic number, unsupported data type,
 * wrong number of dimensions, truncated, trailing bytes, corrupt gzip, or disagreeing with its
 * partner file). The message starts with the file's path and ends with how to fix it.
 */
public class IdxFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public IdxFormatException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public IdxFormatException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The offending file (the first of the two when two files disagree); may be null. */
  public Path file() {
    return file;
  }
}
