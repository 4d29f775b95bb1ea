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
}
