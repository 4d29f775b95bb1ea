package io.deepclust.cluster;

/**
 * Dot products of data rows with centre rows, the inner loop of every k-means distance ({@code ||x
 * - c||^2 = ||x||^2 - 2 x.c + ||c||^2}).
 *
 * <p>Rows are taken four at a time against two centres at a time, with eight independent
 * accumulators, so each loaded value feeds several multiply-adds: about 3x the throughput of one
 * dot product at a time in plain Java. Every (row, centre) pair is accumulated in the same order
 * (feature 0 to d-1, one float accumulator) whichever path computes it, so a row's result never
 * depends on its position in a block. Plain multiply-add rather than {@link Math#fma} because
 * {@code fma} falls back to BigDecimal on CPUs without the instruction.
 */
final class DotKernel {
  private DotKernel() {}

  /**
   * Writes {@code out[r * k + j] = x[row r] . c[row j]} for the {@code rows} (1 to 4) consecutive
   * rows of {@code x} starting at offset {@code x0}.
   *
   * @param x row-major data, rows of length {@code d}
   * @param x0 offset of the first row in {@code x}
   * @param rows how many rows, 1 to 4
   * @param c row-major {@code k x d} centres
   * @param out at least {@code rows * k} values
   */
  static void dots(float[] x, int x0, int rows, int d, float[] c, int k, float[] out) {
    if (rows == 4) {
      dots4(x, x0, d, c, k, out);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int xo = x0 + r * d;
      for (int j = 0; j < k; j++) {
        int co = j * d;
        float s = 0f;
        for (int f = 0; f < d; f++) {
          s += x[xo + f] * c[co + f];
        }
        out[r * k + j] = s;
      }
    }
  }

  private static void dots4(float[] x, int x0, int d, float[] c, int k, float[] out) {
    int x1 = x0 + d;
    int x2 = x1 + d;
    int x3 = x2 + d;
    int j = 0;
    for (; j + 1 < k; j += 2) {
      int c0 = j * d;
      int c1 = c0 + d;
      float s00 = 0f;
      float s01 = 0f;
      float s10 = 0f;
      float s11 = 0f;
      float s20 = 0f;
      float s21 = 0f;
      float s30 = 0f;
      float s31 = 0f;
      for (int f = 0; f < d; f++) {
        float a0 = c[c0 + f];
        float a1 = c[c1 + f];
        float v0 = x[x0 + f];
        float v1 = x[x1 + f];
        float v2 = x[x2 + f];
        float v3 = x[x3 + f];
        s00 += v0 * a0;
        s01 += v0 * a1;
        s10 += v1 * a0;
        s11 += v1 * a1;
        s20 += v2 * a0;
        s21 += v2 * a1;
        s30 += v3 * a0;
        s31 += v3 * a1;
      }
      out[j] = s00;
      out[j + 1] = s01;
      out[k + j] = s10;
      out[k + j + 1] = s11;
      out[2 * k + j] = s20;
      out[2 * k + j + 1] = s21;
      out[3 * k + j] = s30;
      out[3 * k + j + 1] = s31;
    }
    if (j < k) {
      int c0 = j * d;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int f = 0; f < d; f++) {
        float a0 = c[c0 + f];
        s0 += x[x0 + f] * a0;
        s1 += x[x1 + f] * a0;
        s2 += x[x2 + f] * a0;
        s3 += x[x3 + f] * a0;
      }
      out[j] = s0;
      out[k + j] = s1;
      out[2 * k + j] = s2;
      out[3 * k + j] = s3;
    }
  }

  /**
   * Nearest centre of each row in {@code [from, to)}: {@code argmin_j (||c_j||^2 - 2 x.c_j)} (the
   * row's own norm does not change the argmin), first centre on ties.
   *
   * @param cNorm squared norms of the centres, length k
   * @param labels output, indexed by absolute row
   */
  static void assign(
      float[] x, int d, int from, int to, float[] c, double[] cNorm, int k, int[] labels) {
    float[] dots = new float[4 * k];
    for (int i = from; i < to; i += 4) {
      int rows = Math.min(4, to - i);
      dots(x, i * d, rows, d, c, k, dots);
      for (int r = 0; r < rows; r++) {
        int best = 0;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double score = cNorm[j] - 2.0 * dots[r * k + j];
          if (score < bestScore) {
            bestScore = score;
            best = j;
          }
        }
        labels[i + r] = best;
      }
    }
  }

  /** Squared norms of the {@code k} rows of {@code c}, accumulated in double. */
  static double[] squaredNorms(float[] c, int k, int d) {
    double[] norms = new double[k];
    for (int j = 0; j < k; j++) {
      double s = 0;
      for (int f = j * d, end = f + d; f < end; f++) {
        s += (double) c[f] * c[f];
      }
      norms[j] = s;
    }
    return norms;
  }
}
