package io.deepclust.linalg;

import java.util.Objects;

/**
 * One row of a row-major float matrix, compared by value, for sets of distinct rows (e.g. "at least
 * k distinct samples"). {@code +0} equals {@code -0}, as distances see them; the row is not copied,
 * so the backing array must not change while the key is in use.
 *
 * @param data row-major values
 * @param offset index of the row's first value
 * @param d row length
 */
public record RowKey(float[] data, int offset, int d) {

  /** Checks the bounds. */
  public RowKey {
    Objects.requireNonNull(data, "data");
    if (offset < 0 || d < 0 || offset + d > data.length) {
      throw new IllegalArgumentException(
          "row [" + offset + ", " + (offset + d) + ") is outside an array of " + data.length);
    }
  }

  /** Row {@code i} of {@code x}. */
  public static RowKey of(FloatMatrix x, int i) {
    return new RowKey(x.data(), i * x.cols(), x.cols());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RowKey r) || r.d != d) {
      return false;
    }
    for (int f = 0; f < d; f++) {
      if (data[offset + f] != r.data[r.offset + f]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int f = 0; f < d; f++) {
      float v = data[offset + f];
      h = 31 * h + Float.hashCode(v == 0f ? 0f : v);
    }
    return h;
  }

  @Override
  public String toString() {
    return "RowKey[offset=" + offset + ", d=" + d + "]";
  }
}
