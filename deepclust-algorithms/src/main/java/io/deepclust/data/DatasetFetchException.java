package io.deepclust.data;

/**
 * Fetching a dataset failed: every source was tried for at least one file and none delivered
 * content with the expected SHA-256. The message lists each file and every attempt.
 */
public class DatasetFetchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetFetchException(String message) {
    super(message);
  }

  public DatasetFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
