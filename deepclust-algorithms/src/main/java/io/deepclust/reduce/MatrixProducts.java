package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/**
 * The two heavy products of {@link RandomizedPca} on column-centred data, computed without ever
 * forming the centred copy of X (70,000 x 12,544 floats are 3.5 GB; a second copy would not fit
 * comfortably): implementations centre one block of rows at a time.
 *
 * <p>With {@code Xc = X - 1 mean^T} ({@code n x d}), a "thin" matrix of {@code l} columns (l small:
 * components + oversampling, e.g. 60):
 *
 * <ul>
 *   <li>{@link #centredTimes}: {@code Xc W}, W {@code d x l}, result {@code n x l};
 *   <li>{@link #centredTransposeTimes}: {@code Xc^T Y}, Y {@code n x l}, result {@code d x l}.
 * </ul>
 *
 * Each costs {@code 2 n d l} flops and one pass over X. Implementations: {@link
 * BlockedMatrixProducts} (pure Java, multi-threaded) and {@code
 * io.deepclust.engine.TorchMatrixProducts} (libtorch matmul on CPU or GPU). They must be safe for
 * use from one thread at a time at least, must not modify their inputs, and should return the same
 * numbers for the same inputs (same machine, same settings) so that seeded results repeat.
 */
public interface MatrixProducts {

  /**
   * {@code (X - 1 mean^T) W}.
   *
   * @param x {@code n x d} data, not modified
   * @param mean column means to subtract, length d; {@code null} = no centring
   * @param w {@code d x l}
   * @return {@code n x l}
   */
  FloatMatrix centredTimes(FloatMatrix x, double[] mean, FloatMatrix w);

  /**
   * {@code (X - 1 mean^T)^T Y}.
   *
   * @param x {@code n x d} data, not modified
   * @param mean column means to subtract, length d; {@code null} = no centring
   * @param y {@code n x l}
   * @return {@code d x l}
   */
  FloatMatrix centredTransposeTimes(FloatMatrix x, double[] mean, FloatMatrix y);

  /** The pure-Java implementation on all available processors. */
  static MatrixProducts java() {
    return new BlockedMatrixProducts(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Checks the shapes shared by both products and returns {@code l}; for implementations.
   *
   * @param thin the {@code w} (rows = d) or {@code y} (rows = n) argument
   * @param thinRows the row count {@code thin} must have
   */
  static int checkShapes(
      FloatMatrix x, double[] mean, FloatMatrix thin, int thinRows, String name) {
    if (mean != null && mean.length != x.cols()) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " values but x has " + x.cols() + " columns");
    }
    if (thin.rows() != thinRows) {
      throw new IllegalArgumentException(
          name
              + " has "
              + thin.rows()
              + " rows but must have "
              + thinRows
              + " for x of shape "
              + x.rows()
              + "x"
              + x.cols());
    }
    return thin.cols();
  }
}
