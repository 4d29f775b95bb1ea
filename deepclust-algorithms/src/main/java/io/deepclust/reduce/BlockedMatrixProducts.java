package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;

/**
 * Pure-Java {@link MatrixProducts}: cache-blocked float products, centring each value of X as it is
 * read, multi-threaded over disjoint parts of the output.
 *
 * <p>Both products run the same inner loop, {@code c_r[j] += a_r * v[j]} for four accumulator rows
 * {@code c_0..c_3} of length l against one thin-matrix row {@code v}, on separate arrays indexed by
 * the bare loop variable so that the JDK 17 C2 compiler vectorises it (see {@code
 * io.deepclust.metrics.BlockedDistanceKernel}). Float partial sums over at most 256 terms are added
 * into double accumulators, so rounding does not grow with n or d.
 *
 * <ul>
 *   <li>{@code Xc W}: tasks own chunks of 256 rows; W is swept in tiles of 256 of its rows (60 KB
 *       at l = 60, L2-resident) across all rows of the chunk, four rows at a time.
 *   <li>{@code Xc^T Y}: tasks own chunks of 64 features (output rows); Y is swept in tiles of 256
 *       rows across all features of the chunk, four features at a time.
 * </ul>
 *
 * Every output element is summed in the same order whatever the thread count, so results are
 * bit-for-bit independent of {@code threads}.
 */
public final class BlockedMatrixProducts implements MatrixProducts {
  private static final int ROW_CHUNK = 256;
  private static final int FEATURE_TILE = 256;
  private static final int FEATURE_CHUNK = 64;
  private static final int ROW_TILE = 256;

  private final int threads;

  /**
   * @param threads worker threads, at least 1
   */
  public BlockedMatrixProducts(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "BlockedMatrixProducts threads = " + threads + " is invalid; use >= 1");
    }
    this.threads = threads;
  }

  public int threads() {
    return threads;
  }

  @Override
  public FloatMatrix centredTimes(FloatMatrix x, double[] mean, FloatMatrix w) {
    int n = x.rows();
    int d = x.cols();
    int l = MatrixProducts.checkShapes(x, mean, w, d, "w");
    float[] meanF = floatMean(mean, d);
    float[][] wRows = rowsOf(w);
    float[] out = new float[Math.multiplyExact(n, l)];
    int chunks = (n + ROW_CHUNK - 1) / ROW_CHUNK;
    WorkerPool.run(
        chunks,
        threads,
        "pca-times",
        c -> {
          int from = c * ROW_CHUNK;
          timesChunk(x.data(), d, meanF, wRows, l, from, Math.min(n, from + ROW_CHUNK), out);
        });
    return new FloatMatrix(n, l, out);
  }

  @Override
  public FloatMatrix centredTransposeTimes(FloatMatrix x, double[] mean, FloatMatrix y) {
    int n = x.rows();
    int d = x.cols();
    int l = MatrixProducts.checkShapes(x, mean, y, n, "y");
    float[] meanF = floatMean(mean, d);
    float[][] yRows = rowsOf(y);
    float[] out = new float[Math.multiplyExact(d, l)];
    int chunks = (d + FEATURE_CHUNK - 1) / FEATURE_CHUNK;
    WorkerPool.run(
        chunks,
        threads,
        "pca-transpose-times",
        c -> {
          int from = c * FEATURE_CHUNK;
          transposeTimesChunk(
              x.data(), n, d, meanF, yRows, l, from, Math.min(d, from + FEATURE_CHUNK), out);
        });
    return new FloatMatrix(d, l, out);
  }

  /** Rows {@code from..to-1} of {@code Xc W} into {@code out}. */
  private static void timesChunk(
      float[] xd, int d, float[] mean, float[][] wRows, int l, int from, int to, float[] out) {
    int rows = to - from;
    double[] acc = new double[rows * l];
    float[] c0 = new float[l];
    float[] c1 = new float[l];
    float[] c2 = new float[l];
    float[] c3 = new float[l];
    int last = to - 1;
    for (int f0 = 0; f0 < d; f0 += FEATURE_TILE) {
      int f1 = Math.min(d, f0 + FEATURE_TILE);
      for (int i = from; i < to; i += 4) {
        // Rows past the end repeat the last row; their sums are discarded.
        int o0 = i * d;
        int o1 = Math.min(i + 1, last) * d;
        int o2 = Math.min(i + 2, last) * d;
        int o3 = Math.min(i + 3, last) * d;
        Arrays.fill(c0, 0f);
        Arrays.fill(c1, 0f);
        Arrays.fill(c2, 0f);
        Arrays.fill(c3, 0f);
        for (int f = f0; f < f1; f++) {
          float m = mean[f];
          axpy4(
              c0,
              c1,
              c2,
              c3,
              wRows[f],
              xd[o0 + f] - m,
              xd[o1 + f] - m,
              xd[o2 + f] - m,
              xd[o3 + f] - m,
              l);
        }
        int count = Math.min(4, to - i);
        for (int r = 0; r < count; r++) {
          addInto(acc, (i - from + r) * l, r == 0 ? c0 : r == 1 ? c1 : r == 2 ? c2 : c3, l);
        }
      }
    }
    for (int k = 0; k < acc.length; k++) {
      out[from * l + k] = (float) acc[k];
    }
  }

  /** Rows {@code from..to-1} (features) of {@code Xc^T Y} into {@code out}. */
  private static void transposeTimesChunk(
      float[] xd,
      int n,
      int d,
      float[] mean,
      float[][] yRows,
      int l,
      int from,
      int to,
      float[] out) {
    double[] acc = new double[(to - from) * l];
    float[] c0 = new float[l];
    float[] c1 = new float[l];
    float[] c2 = new float[l];
    float[] c3 = new float[l];
    for (int i0 = 0; i0 < n; i0 += ROW_TILE) {
      int i1 = Math.min(n, i0 + ROW_TILE);
      for (int f = from; f < to; f += 4) {
        int count = Math.min(4, to - f);
        Arrays.fill(c0, 0f);
        Arrays.fill(c1, 0f);
        Arrays.fill(c2, 0f);
        Arrays.fill(c3, 0f);
        if (count == 4) {
          float m0 = mean[f];
          float m1 = mean[f + 1];
          float m2 = mean[f + 2];
          float m3 = mean[f + 3];
          for (int i = i0; i < i1; i++) {
            int o = i * d + f;
            axpy4(
                c0,
                c1,
                c2,
                c3,
                yRows[i],
                xd[o] - m0,
                xd[o + 1] - m1,
                xd[o + 2] - m2,
                xd[o + 3] - m3,
                l);
          }
        } else {
          // Tail of 1-3 features: missing ones get a zero multiplier and are discarded.
          for (int i = i0; i < i1; i++) {
            int o = i * d + f;
            float a0 = xd[o] - mean[f];
            float a1 = count > 1 ? xd[o + 1] - mean[f + 1] : 0f;
            float a2 = count > 2 ? xd[o + 2] - mean[f + 2] : 0f;
            axpy4(c0, c1, c2, c3, yRows[i], a0, a1, a2, 0f, l);
          }
        }
        for (int r = 0; r < count; r++) {
          addInto(acc, (f - from + r) * l, r == 0 ? c0 : r == 1 ? c1 : r == 2 ? c2 : c3, l);
        }
      }
    }
    for (int k = 0; k < acc.length; k++) {
      out[from * l + k] = (float) acc[k];
    }
  }

  /** The hot loop, {@code c_r[j] += a_r * v[j]}; kept tiny and offset-free so C2 vectorises it. */
  private static void axpy4(
      float[] c0,
      float[] c1,
      float[] c2,
      float[] c3,
      float[] v,
      float a0,
      float a1,
      float a2,
      float a3,
      int len) {
    for (int j = 0; j < len; j++) {
      float e = v[j];
      c0[j] += a0 * e;
      c1[j] += a1 * e;
      c2[j] += a2 * e;
      c3[j] += a3 * e;
    }
  }

  private static void addInto(double[] acc, int off, float[] c, int len) {
    for (int j = 0; j < len; j++) {
      acc[off + j] += c[j];
    }
  }

  private static float[] floatMean(double[] mean, int d) {
    float[] m = new float[d];
    if (mean != null) {
      for (int f = 0; f < d; f++) {
        m[f] = (float) mean[f];
      }
    }
    return m;
  }

  /** Each row of {@code m} as its own array (the vectorisable layout of the inner loop). */
  private static float[][] rowsOf(FloatMatrix m) {
    float[][] rows = new float[m.rows()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = m.row(i);
    }
    return rows;
  }
}
