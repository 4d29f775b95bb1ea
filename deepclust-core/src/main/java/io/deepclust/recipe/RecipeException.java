package io.deepclust.recipe;

/** A recipe that cannot be read or run; the message names the file, the field and the fix. */
public class RecipeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecipeException(String message) {
    super(message);
  }

  public RecipeException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The operating system's reason for an I/O failure, in words: the exception's message, or its
   * kind when it has none (a {@code NoSuchFileException}'s message is only the path).
   */
  public static String reason(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    if (e instanceof java.io.EOFException) {
      return "truncated (unexpected end of file)";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
