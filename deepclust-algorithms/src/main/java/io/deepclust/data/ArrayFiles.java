package io.deepclust.data;

import java.nio.file.Path;

/**
 * Public access to the NumPy reader the sources use ({@code npy:}), for tools that read plain
 * arrays (labels, predictions, features) rather than images.
 */
public final class ArrayFiles {
  private ArrayFiles() {}

  /**
   * An array read from a file.
   *
   * @param shape its dimensions
   * @param values {@code prod(shape)} values, row-major, as floats (whole numbers up to 2^24 are
   *     exact)
   * @param dtype the element type as the file names it, e.g. {@code <i8}
   */
  public record Array(int[] shape, float[] values, String dtype) {}

  /**
   * Reads a {@code .npy} file (optionally gzip'ed); every numeric dtype, C order.
   *
   * @throws DataSourceException naming the file, the cause and the fix
   */
  public static Array readNpy(Path file) {
    NumericArray a = NpyArrays.read(file);
    return new Array(a.shape(), a.values(), a.dtype());
  }
}
