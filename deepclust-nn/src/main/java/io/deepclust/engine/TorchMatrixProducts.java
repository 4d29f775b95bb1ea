package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.MatrixProducts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link MatrixProducts} on libtorch: X is streamed in blocks of rows (default 4096) into NDArrays,
 * centred there ({@code block - mean}, broadcast) and multiplied by libtorch's matmul (MKL / oneDNN
 * sgemm on CPU, cuBLAS on a GPU device). Only one block and the thin matrices live in native memory
 * at a time, e.g. 4096 x 12,544 floats = 205 MB.
 *
 * <p>Blocks are filled into one reused direct buffer per call, which libtorch wraps without a
 * further copy on CPU ({@code torch::from_blob}); every block's arrays live in their own
 * sub-manager, closed before the next block. {@code Xc^T Y} sums the per-block {@code d x l}
 * products in double on the Java side, in block order, so results are repeatable for the same
 * inputs, device and libtorch thread count. Arithmetic is float32 (as sklearn's on float32 input).
 *
 * <p>Thread-safe: each call works in its own sub-manager of this instance's manager. Close the
 * instance to release that manager.
 */
public final class TorchMatrixProducts implements MatrixProducts, AutoCloseable {
  /** Default rows per block. */
  public static final int DEFAULT_BLOCK_ROWS = 4096;

  private final NDManager root;
  private final int blockRows;

  /** One block buffer kept between calls (allocating 200 MB of direct memory per call is slow). */
  private final AtomicReference<ByteBuffer> spare = new AtomicReference<>();

  /**
   * @param device where the products run, e.g. {@code Device.cpu()} or {@code Device.gpu(0)}
   * @param blockRows rows of X per block, at least 1
   */
  public TorchMatrixProducts(Device device, int blockRows) {
    Objects.requireNonNull(device, "device");
    if (blockRows < 1) {
      throw new IllegalArgumentException(
          "TorchMatrixProducts blockRows = "
              + blockRows
              + " is invalid; use >= 1 (default "
              + DEFAULT_BLOCK_ROWS
              + ")");
    }
    this.root = NDManager.newBaseManager(device);
    this.blockRows = blockRows;
  }

  /** Products on the engine's default device (a GPU when one is usable, else the CPU). */
  public static TorchMatrixProducts onDefaultDevice() {
    return new TorchMatrixProducts(DeviceChoice.resolve(DeviceChoice.AUTO), DEFAULT_BLOCK_ROWS);
  }

  public Device device() {
    return root.getDevice();
  }

  public int blockRows() {
    return blockRows;
  }

  @Override
  public FloatMatrix centredTimes(FloatMatrix x, double[] mean, FloatMatrix w) {
    int n = x.rows();
    int d = x.cols();
    int l = MatrixProducts.checkShapes(x, mean, w, d, "w");
    float[] out = new float[Math.multiplyExact(n, l)];
    if (n == 0 || l == 0) {
      return new FloatMatrix(n, l, out);
    }
    int rows = rowsPerBlock(n, d);
    ByteBuffer buffer = takeBuffer((long) rows * d);
    try (NDManager call = root.newSubManager()) {
      NDArray wNd = call.create(w.data(), new Shape(d, l));
      NDArray meanNd = mean == null ? null : call.create(toFloat(mean), new Shape(1, d));
      for (int start = 0; start < n; start += rows) {
        int r = Math.min(rows, n - start);
        try (NDManager block = call.newSubManager()) {
          NDArray xb = centredBlock(block, buffer, x, start, r, meanNd);
          float[] part = xb.matMul(wNd).toFloatArray();
          System.arraycopy(part, 0, out, start * l, r * l);
        }
      }
    } finally {
      spare.set(buffer);
    }
    return new FloatMatrix(n, l, out);
  }

  @Override
  public FloatMatrix centredTransposeTimes(FloatMatrix x, double[] mean, FloatMatrix y) {
    int n = x.rows();
    int d = x.cols();
    int l = MatrixProducts.checkShapes(x, mean, y, n, "y");
    double[] acc = new double[Math.multiplyExact(d, l)];
    if (n > 0 && l > 0) {
      int rows = rowsPerBlock(n, d);
      ByteBuffer buffer = takeBuffer((long) rows * d);
      try (NDManager call = root.newSubManager()) {
        NDArray meanNd = mean == null ? null : call.create(toFloat(mean), new Shape(1, d));
        for (int start = 0; start < n; start += rows) {
          int r = Math.min(rows, n - start);
          try (NDManager block = call.newSubManager()) {
            NDArray xb = centredBlock(block, buffer, x, start, r, meanNd);
            NDArray yb =
                block.create(
                    Arrays.copyOfRange(y.data(), start * l, (start + r) * l), new Shape(r, l));
            float[] part = xb.transpose().matMul(yb).toFloatArray();
            for (int k = 0; k < part.length; k++) {
              acc[k] += part[k];
            }
          }
        }
      } finally {
        spare.set(buffer);
      }
    }
    float[] out = new float[acc.length];
    for (int k = 0; k < acc.length; k++) {
      out[k] = (float) acc[k];
    }
    return new FloatMatrix(d, l, out);
  }

  /**
   * Rows {@code start .. start + r - 1} of x as an {@code r x d} array in {@code block}, centred in
   * place when {@code meanNd} is given. On CPU the array aliases {@code buffer}.
   */
  private static NDArray centredBlock(
      NDManager block, ByteBuffer buffer, FloatMatrix x, int start, int r, NDArray meanNd) {
    int d = x.cols();
    buffer.clear();
    buffer.asFloatBuffer().put(x.data(), start * d, r * d);
    buffer.limit(r * d * Float.BYTES);
    NDArray xb = block.create(buffer, new Shape(r, d), DataType.FLOAT32);
    if (meanNd != null) {
      xb.subi(meanNd);
    }
    return xb;
  }

  /** Rows per block: the configured count, capped so one block stays under 2 GB of floats. */
  private int rowsPerBlock(int n, int d) {
    long cap = Math.max(1, (Integer.MAX_VALUE / Float.BYTES) / Math.max(1, d));
    return (int) Math.min(Math.min(blockRows, n), cap);
  }

  /** The spare buffer if it is large enough (and not in use by another call), else a new one. */
  private ByteBuffer takeBuffer(long floats) {
    ByteBuffer b = spare.getAndSet(null);
    if (b != null && b.capacity() >= floats * Float.BYTES) {
      return b;
    }
    return directFloats(floats);
  }

  private static ByteBuffer directFloats(long count) {
    return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES))
        .order(ByteOrder.nativeOrder());
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /** Releases the native memory of this instance's manager. */
  @Override
  public void close() {
    root.close();
  }

  @Override
  public String toString() {
    return "TorchMatrixProducts[" + device() + ", blockRows=" + blockRows + "]";
  }
}
