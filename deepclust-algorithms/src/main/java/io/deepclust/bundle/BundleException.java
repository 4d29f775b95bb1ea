package io.deepclust.bundle;

/**
 * A model bundle that cannot be used: missing, damaged, changed after it was written, or of another
 * format version. The message names the file, the cause and the fix.
 */
public class BundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
