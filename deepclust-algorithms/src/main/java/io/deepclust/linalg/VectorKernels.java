package io.deepclust.linalg;

/**
 * The small vector loops shared by the blocked products and distance kernels.
 *
 * <p>The axpy loops index every array by the bare loop variable, which is what lets the JDK 17
 * auto-vectoriser (C2 superword) emit SIMD code; an offset like {@code x[off + j]} silently
 * disables it, costing about 5x. Keep them tiny and offset-free. The offset-taking reductions below
 * are not vectorised (a floating-point sum cannot be reordered); their accumulation order is part
 * of their contract, since callers' results are compared bit for bit.
 */
public final class VectorKernels {
  private VectorKernels() {}

  /**
   * {@code sum x[off + k]^2} for {@code k < d}, in double with two accumulators (even and odd k)
   * added at the end.
   */
  public static double squaredNorm(float[] x, int off, int d) {
    double s0 = 0;
    double s1 = 0;
    int k = 0;
    for (; k + 1 < d; k += 2) {
      double v0 = x[off + k];
      double v1 = x[off + k + 1];
      s0 += v0 * v0;
      s1 += v1 * v1;
    }
    if (k < d) {
      double v = x[off + k];
      s0 += v * v;
    }
    return s0 + s1;
  }

  /**
   * {@code sum (x[xOff + k] - y[yOff + k])^2} for {@code k < d}, differences and sum in double, one
   * accumulator in order k = 0..d-1: the exact reference the distance kernels fall back to.
   */
  public static double exactSquaredDistance(float[] x, int xOff, float[] y, int yOff, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double diff = (double) x[xOff + k] - y[yOff + k];
      s += diff * diff;
    }
    return s;
  }
}
