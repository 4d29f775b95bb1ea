package io.deepclust.data;

import java.util.Locale;

/**
 * How a source's values become pixels in [0, 1], the range every stage expects.
 *
 * <ul>
 *   <li>{@link #AUTO} (default): 8-bit unsigned data (IDX {@code u8}, NPY {@code uint8}, image
 *       files) is divided by 255 (16-bit image files by 65535); other integer data whose values all
 *       lie in [0, 255] likewise; floating-point data whose values all lie in [0, 1] is taken as it
 *       is. Anything else is an error that gives the range found and names {@code scale=minmax}.
 *   <li>{@link #MINMAX}: {@code (x - min) / (max - min)} with the minimum and maximum over the
 *       whole source (not per image), so relative intensities between images are kept; a constant
 *       source becomes all zeros.
 * </ul>
 *
 * NaN or infinite values are an error under either rule.
 */
public enum PixelScaling {
  AUTO,
  MINMAX;

  /** Parses {@code auto} or {@code minmax}. */
  static PixelScaling parse(String s, String where) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "minmax" -> MINMAX;
      default ->
          throw new IllegalArgumentException(
              where + ": scale must be auto or minmax, got '" + s + "'");
    };
  }

  /** The option's value, e.g. {@code minmax}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Scales {@code v} in place to [0, 1].
   *
   * @param kind what the values are
   * @param where names the file, for messages
   * @return one phrase saying what was done, e.g. {@code "u8 / 255"}
   * @throws DataSourceException on NaN/infinite values, or values out of range under {@link #AUTO}
   */
  String apply(float[] v, NumericArray.ElementKind kind, String dtype, String where) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      if (!Float.isFinite(x)) {
        throw new DataSourceException(
            null, where + ": value " + i + " is " + x + "; pixels must be finite numbers");
      }
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    if (v.length == 0) {
      return "no values";
    }
    if (this == MINMAX) {
      float range = max - min;
      for (int i = 0; i < v.length; i++) {
        v[i] = range > 0 ? (v[i] - min) / range : 0f;
      }
      return String.format(Locale.ROOT, "min-max scaled from [%s, %s]", fmt(min), fmt(max));
    }
    switch (kind) {
      case UNIT:
        return dtype;
      case UINT8:
        divide(v, 255f);
        return dtype + " / 255";
      case INTEGER:
        if (min >= 0 && max <= 255) {
          divide(v, 255f);
          return dtype + " in [0, 255] / 255";
        }
        throw outOfRange(where, dtype, min, max, "[0, 255]");
      default:
        if (min >= 0 && max <= 1) {
          return dtype + " in [0, 1] as is";
        }
        throw outOfRange(where, dtype, min, max, "[0, 1]");
    }
  }

  private static DataSourceException outOfRange(
      String where, String dtype, float min, float max, String range) {
    return new DataSourceException(
        null,
        String.format(
            Locale.ROOT,
            "%s: %s values range over [%s, %s], outside %s, so they are not pixels deepclust can"
                + " take as they are; add ?scale=minmax to the source to scale them to [0, 1] by"
                + " the minimum and maximum, or rescale the file",
            where,
            dtype,
            fmt(min),
            fmt(max),
            range));
  }

  private static void divide(float[] v, float d) {
    for (int i = 0; i < v.length; i++) {
      v[i] /= d;
    }
  }

  private static String fmt(float x) {
    return x == Math.rint(x) && Math.abs(x) < 1e9 ? Long.toString((long) x) : Float.toString(x);
  }
}
