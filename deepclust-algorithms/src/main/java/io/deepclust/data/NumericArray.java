package io.deepclust.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * An n-dimensional array read from a file, row-major (C order), its values as floats.
 *
 * @param file the file it was read from
 * @param shape its dimensions, the first the sample axis
 * @param values {@code prod(shape)} values, row-major
 * @param kind what the values are, for {@link PixelScaling}
 * @param dtype the element type as the file names it, e.g. {@code u8}, {@code <f4}
 */
record NumericArray(Path file, int[] shape, float[] values, ElementKind kind, String dtype) {

  /** What the stored values are. */
  enum ElementKind {
    /** 8-bit unsigned. */
    UINT8,
    /** Any other integer type. */
    INTEGER,
    /** Floating point. */
    FLOAT,
    /** Already pixels in [0, 1] (decoded image files). */
    UNIT
  }

  NumericArray {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
  }

  /** Number of samples (the first axis). */
  int count() {
    return shape[0];
  }

  /** The shape as {@code (a, b, c)}. */
  String shapeText() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /**
   * The values as class labels: a 1-D array (or {@code (N, 1)}) of whole numbers.
   *
   * @throws DataSourceException otherwise
   */
  long[] asLabels() {
    boolean column = shape.length == 2 && shape[1] == 1;
    if (shape.length != 1 && !column) {
      throw new DataSourceException(
          file,
          file
              + ": labels must be a 1-D array of n class labels, got shape "
              + shapeText()
              + "; save one label per sample");
    }
    long[] y = new long[values.length];
    for (int i = 0; i < y.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v) || v != Math.rint(v)) {
        throw new DataSourceException(
            file,
            String.format(
                Locale.ROOT,
                "%s: label %d is %s, not a whole number; labels are class ids",
                file,
                i,
                v));
      }
      y[i] = (long) v;
    }
    return y;
  }
}
