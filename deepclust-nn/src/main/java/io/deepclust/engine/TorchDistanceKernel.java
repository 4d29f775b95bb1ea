package io.deepclust.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.linalg.VectorKernels;
import io.deepclust.metrics.PairwiseDistanceKernel;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@link PairwiseDistanceKernel} whose {@code a b^T} term runs as one libtorch matmul per call (MKL
 * / oneDNN sgemm on CPU, cuBLAS on a GPU device); the rest stays in Java.
 *
 * <p>Per call, with {@code c} the column means of b: {@code d^2_ij = ||a_i - c||^2 + ||b_j - c||^2
 * - 2 (a_i - c).(b_j - c)}. Centring (distances do not change under translation) removes most of
 * the float cancellation when the points sit far from the origin (e.g. post-ReLU embeddings); norms
 * are summed in double. As in the Java kernel, pairs with {@code d^2 <= 1e-2 (||a_i - c||^2 + ||b_j
 * - c||^2)} are recomputed exactly as {@code sum (a_ik - b_jk)^2} in double from the original
 * values, results are clamped at 0, and when {@code a == b} the diagonal is set to exactly 0.
 *
 * <p>b is prepared once and cached (centred copy and its transpose in native memory, norms in Java)
 * while calls keep passing the same {@link FloatMatrix} instance, as the silhouette does; <b>do not
 * modify b's data between calls</b> with the same instance. A new b replaces the cache; the old one
 * is freed once no call uses it.
 *
 * <p>Thread-safe. The matmul itself is serialised (one at a time): libtorch already spreads one
 * matmul over all its intra-op threads, and serialising avoids oversubscribing the cores while the
 * callers' Java work (the exactness pass here, the silhouette's sums) overlaps with it. Close the
 * kernel to release its native memory.
 */
public final class TorchDistanceKernel implements PairwiseDistanceKernel, AutoCloseable {
  private static final double RECOMPUTE_RATIO = 1e-2;

  private final NDManager root;
  private final Object matmulLock = new Object();
  private Prepared current;
  private boolean closed;

  /** A kernel on {@code device}, e.g. {@code Device.cpu()} or {@code Device.gpu(0)}. */
  public TorchDistanceKernel(Device device) {
    this.root = NDManager.newBaseManager(Objects.requireNonNull(device, "device"));
  }

  /** A kernel on the engine's default device (a GPU when one is usable, else the CPU). */
  public static TorchDistanceKernel onDefaultDevice() {
    return new TorchDistanceKernel(DeviceChoice.resolve(DeviceChoice.AUTO));
  }

  public Device device() {
    return root.getDevice();
  }

  /** b, prepared: its centre, its centred transpose on the device and its centred norms. */
  private static final class Prepared {
    final FloatMatrix source;
    final float[] sourceData;
    final float[] centre;
    final double[] norms;
    final NDManager manager;
    final NDArray centredTransposed;
    int users;
    boolean retired;

    Prepared(NDManager parent, FloatMatrix b) {
      int m = b.rows();
      int d = b.cols();
      float[] bd = b.data();
      double[] sum = new double[d];
      for (int j = 0; j < m; j++) {
        int o = j * d;
        for (int k = 0; k < d; k++) {
          sum[k] += bd[o + k];
        }
      }
      centre = new float[d];
      for (int k = 0; k < d; k++) {
        centre[k] = m == 0 ? 0f : (float) (sum[k] / m);
      }
      // Centred and transposed in Java, so the device holds a contiguous d x m operand.
      float[] t = new float[Math.multiplyExact(d, m)];
      norms = new double[m];
      for (int j = 0; j < m; j++) {
        int o = j * d;
        double s = 0;
        for (int k = 0; k < d; k++) {
          float v = bd[o + k] - centre[k];
          t[k * m + j] = v;
          s += (double) v * v;
        }
        norms[j] = s;
      }
      source = b;
      sourceData = bd;
      manager = parent.newSubManager();
      centredTransposed = manager.create(t, new Shape(d, m));
    }

    boolean matches(FloatMatrix b) {
      return source == b && sourceData == b.data();
    }
  }

  @Override
  public void squaredDistances(
      FloatMatrix a, int rowStart, int rowEnd, FloatMatrix b, float[] out) {
    PairwiseDistanceKernel.checkArguments(a, rowStart, rowEnd, b, out);
    int d = a.cols();
    int m = b.rows();
    int rows = rowEnd - rowStart;
    if (rows == 0 || m == 0) {
      return;
    }
    Prepared p = acquire(b);
    try {
      float[] ad = a.data();
      float[] centredA = new float[rows * d];
      double[] normA = new double[rows];
      for (int i = 0; i < rows; i++) {
        int o = (rowStart + i) * d;
        double s = 0;
        for (int k = 0; k < d; k++) {
          float v = ad[o + k] - p.centre[k];
          centredA[i * d + k] = v;
          s += (double) v * v;
        }
        normA[i] = s;
      }
      synchronized (matmulLock) {
        try (NDManager call = p.manager.newSubManager()) {
          NDArray aNd = call.create(centredA, new Shape(rows, d));
          NDArray dots = aNd.matMul(p.centredTransposed);
          dots.toByteBuffer(true)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer()
              .get(out, 0, rows * m);
        }
      }
      float[] bd = b.data();
      boolean self = a == b;
      for (int i = 0; i < rows; i++) {
        int ai = rowStart + i;
        double na = normA[i];
        int off = i * m;
        for (int j = 0; j < m; j++) {
          double nb = p.norms[j];
          double d2 = na + nb - 2.0 * out[off + j];
          if (d2 <= RECOMPUTE_RATIO * (na + nb)) {
            d2 = VectorKernels.exactSquaredDistance(ad, ai * d, bd, j * d, d);
          }
          out[off + j] = d2 > 0 ? (float) d2 : 0f;
        }
        if (self) {
          out[off + ai] = 0f;
        }
      }
    } finally {
      release(p);
    }
  }

  private synchronized Prepared acquire(FloatMatrix b) {
    if (closed) {
      throw new IllegalStateException("TorchDistanceKernel is closed; create a new one");
    }
    if (current == null || !current.matches(b)) {
      if (current != null) {
        current.retired = true;
        if (current.users == 0) {
          current.manager.close();
        }
      }
      current = new Prepared(root, b);
    }
    current.users++;
    return current;
  }

  private synchronized void release(Prepared p) {
    p.users--;
    if (p.retired && p.users == 0) {
      p.manager.close();
    }
  }

  /** Releases all native memory; calls after this fail. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    root.close();
    current = null;
  }
}
