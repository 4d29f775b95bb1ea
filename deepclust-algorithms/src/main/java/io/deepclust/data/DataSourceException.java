package io.deepclust.data;

import java.nio.file.Path;

/**
 * A data source (a folder of images, an IDX, NPY or CSV file, or a user-registered name) cannot be
 * read or does not hold what it should. The message names the source or file, the cause (the
 * operating system's reason for an I/O error) and the fix.
 */
public class DataSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public DataSourceException(Path file, String message) {
    super(message);
    this.file = file;
  }

  public DataSourceException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The offending file or folder; null when the problem is not one file's. */
  public Path file() {
    return file;
  }

  /** The operating system's reason for an I/O error, e.g. "permission denied". */
  static String reason(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "not a folder";
    }
    String r = e instanceof java.nio.file.FileSystemException fse ? fse.getReason() : null;
    if (r == null || r.isBlank()) {
      r = e.getMessage();
    }
    return r == null ? e.getClass().getSimpleName() : r;
  }

  /** "cannot read FILE: REASON (FIX)" for an I/O error. */
  static DataSourceException cannotRead(Path file, java.io.IOException e) {
    String reason = reason(e);
    String fix =
        e instanceof java.nio.file.AccessDeniedException
            ? "give yourself read permission, e.g. chmod u+r " + file
            : e instanceof java.nio.file.NoSuchFileException ? "check the path" : "check the file";
    return new DataSourceException(
        file, "cannot read " + file + ": " + reason + " (" + fix + ")", e);
  }
}
