package io.deepclust.report;

import java.nio.file.Path;

/**
 * A run folder that cannot be used as asked: it is not empty, not a run folder, in use by another
 * run, or the file system refused. The message names the folder, the cause (with the operating
 * system's reason for I/O errors) and the fix.
 */
public final class RunFolderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The folder concerned; may be null when no single folder is. */
  private final transient Path dir;

  /** An error about {@code dir} with the full message. */
  public RunFolderException(Path dir, String message) {
    super(message);
    this.dir = dir;
  }

  /** An error about {@code dir} caused by {@code cause} (an I/O error, usually). */
  public RunFolderException(Path dir, String message, Throwable cause) {
    super(message, cause);
    this.dir = dir;
  }

  /** The folder the error is about, or null. */
  public Path dir() {
    return dir;
  }
}
