package io.deepclust.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which part of a dataset to use. */
public enum Split {
  /** The training files (60,000 images for MNIST and Fashion-MNIST). */
  TRAIN("train"),
  /** The test files (10,000 images). */
  TEST("test"),
  /**
   * Train followed by test, concatenated in that order (70,000 images), as paper 000 and most
   * deep-clustering papers evaluate: clustering is unsupervised, so there is no held-out set.
   */
  ALL("all");

  private final String id;

  Split(String id) {
    this.id = id;
  }

  /** The lower-case name used in recipes and on the command line. */
  public String id() {
    return id;
  }

  /**
   * Parses {@code "train"}, {@code "test"} or {@code "all"} (case-insensitive, surrounding blanks
   * ignored).
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static Split parse(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      for (Split s : values()) {
        if (s.id.equals(t)) {
          return s;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown split '"
            + text
            + "'; valid values: "
            + Arrays.stream(values()).map(Split::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
