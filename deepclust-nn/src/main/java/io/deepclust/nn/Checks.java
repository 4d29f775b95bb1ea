package io.deepclust.nn;

import java.util.List;

/**
 * Argument checks of the typed records, with the project's message form: {@code field: problem;
 * fix}, the field in snake case relative to its record (a recipe prefixes its own path).
 */
final class Checks {

  private Checks() {}

  /** {@code value}, or an IllegalArgumentException saying the field is required. */
  static <T> T required(String field, T value, String meaning) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": required (" + meaning + ")");
    }
    return value;
  }

  /** Throws unless {@code value >= min}. */
  static void atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": must be at least " + min + ", got " + value);
    }
  }

  /** Throws unless {@code 0 <= value < 1}. */
  static void probability(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(
          field
              + ": must be in [0, 1), got "
              + value
              + " (the fraction of units zeroed in training; 0 turns dropout off)");
    }
  }

  /** An unmodifiable copy of a list of positive sizes, at least {@code minSize} of them. */
  static List<Integer> sizes(String field, List<Integer> value, int minSize, String meaning) {
    required(field, value, meaning);
    if (value.size() < minSize) {
      throw new IllegalArgumentException(
          field + ": need at least " + minSize + " sizes (" + meaning + "), got " + value);
    }
    for (Integer size : value) {
      if (size == null || size < 1) {
        throw new IllegalArgumentException(
            field + ": every size must be a positive integer, got " + value);
      }
    }
    return List.copyOf(value);
  }
}
