package io.deepclust.data;

import java.nio.file.Path;

/**
 * A dataset folder or file exists but this process may not read it (permission denied). Unlike
 * {@link MissingDatasetException} it is never answered by a fetch: the files are there, and the fix
 * is their permissions, which the message names.
 */
public class DatasetAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public DatasetAccessException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** The folder or file that cannot be read. */
  public Path path() {
    return path;
  }
}
