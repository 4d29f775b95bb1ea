package io.deepclust.metrics;

import io.deepclust.linalg.FloatMatrix;

/**
 * Computes blocks of squared Euclidean distances between rows of two matrices. The silhouette calls
 * it one row block at a time so the full n x n matrix never exists; plug in another implementation
 * (e.g. a GPU matrix product) through {@link SilhouetteOptions#kernel()}.
 *
 * <p>Implementations must be safe to call concurrently from several threads (each call with its own
 * {@code out} array): the silhouette runs one worker per thread, each on its own row block.
 */
public interface PairwiseDistanceKernel {

  /**
   * Writes {@code out[(i - rowStart) * b.rows() + j] = ||a_i - b_j||^2} (clamped at 0) for {@code
   * rowStart <= i < rowEnd} and all rows j of {@code b}. When {@code a == b}, the diagonal must be
   * exactly 0.
   *
   * @param out length at least {@code (rowEnd - rowStart) * b.rows()}
   */
  void squaredDistances(FloatMatrix a, int rowStart, int rowEnd, FloatMatrix b, float[] out);

  /**
   * How many rows of {@code a} the caller should pass per call against a {@code b} of {@code bRows
   * x cols}: the caller allocates one {@code rows x bRows} float buffer per worker. The default
   * aims at 16M floats (64 MB) per buffer, within 16..512 rows: per-call setup (reading all of
   * {@code b}) must be amortised over enough rows, e.g. 236 rows at n = 70,000.
   */
  default int rowsPerCall(int bRows, int cols) {
    long rows = Math.min(512, (16L << 20) / Math.max(1, bRows));
    return (int) Math.max(16, rows & ~3);
  }

  /** The pure-Java default, {@link BlockedDistanceKernel}. */
  static PairwiseDistanceKernel javaDefault() {
    return BlockedDistanceKernel.INSTANCE;
  }

  /**
   * Checks the arguments of {@link #squaredDistances} against its contract, so every kernel rejects
   * bad calls with the same messages.
   */
  static void checkArguments(FloatMatrix a, int rowStart, int rowEnd, FloatMatrix b, float[] out) {
    int d = a.cols();
    if (b.cols() != d) {
      throw new IllegalArgumentException(
          "a has " + d + " columns but b has " + b.cols() + "; points must have equal dimension");
    }
    if (rowStart < 0 || rowEnd > a.rows() || rowStart > rowEnd) {
      throw new IndexOutOfBoundsException(
          "row range [" + rowStart + ", " + rowEnd + ") outside 0.." + a.rows());
    }
    long needed = (long) (rowEnd - rowStart) * b.rows();
    if (needed > out.length) {
      throw new IllegalArgumentException("out has " + out.length + " floats, needs " + needed);
    }
  }
}
