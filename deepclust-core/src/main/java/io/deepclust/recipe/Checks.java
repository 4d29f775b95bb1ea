package io.deepclust.recipe;

/**
 * The one rule for recipe values: a component's constructor calls {@link #require} for each of its
 * fields; a failed check is an {@link IllegalArgumentException} whose message starts with the
 * field's snake_case name, so that {@link RecipeLoader} can prefix the path of the component (e.g.
 * {@code methods.0.cluster.} + {@code k: use at least 2 clusters, got 1}).
 */
public final class Checks {
  private Checks() {}

  /**
   * @param ok the condition
   * @param field the snake_case field name, relative to the component
   * @param fix what is wrong and what to write instead
   * @throws IllegalArgumentException {@code "<field>: <fix>"} when {@code ok} is false
   */
  public static void require(boolean ok, String field, String fix) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": " + fix);
    }
  }

  /** {@code value} when not null, else {@code fallback} (the documented default). */
  public static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Names that end up in file names: letters, digits, {@code _ - .}. */
  public static void requireFileName(String value, String field) {
    require(value != null, field, "give a name (required): letters, digits, '_', '-' or '.'");
    require(
        value.matches("[A-Za-z0-9_.-]+"),
        field,
        "'" + value + "' must be letters, digits, '_', '-' or '.' only (it names files and rows)");
  }
}
