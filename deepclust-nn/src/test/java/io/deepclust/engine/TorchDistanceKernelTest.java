package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.InternalMetrics;
import io.deepclust.metrics.PairwiseDistanceKernel;
import io.deepclust.metrics.SilhouetteOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchDistanceKernelTest {
  private static TorchDistanceKernel torch;
  private static final PairwiseDistanceKernel JAVA = PairwiseDistanceKernel.javaDefault();

  @BeforeAll
  static void open() {
    torch = new TorchDistanceKernel(Device.cpu());
  }

  @AfterAll
  static void close() {
    torch.close();
  }

  /** Clustered points far from the origin (offset 20), with a few exact duplicate rows. */
  private static FloatMatrix points(int n, int d, long seed, int[] labels) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(4);
      if (labels != null) {
        labels[i] = c;
      }
      for (int f = 0; f < d; f++) {
        v[i * d + f] = (float) (20 + 3 * c * ((f + c) % 3) + random.nextGaussian());
      }
    }
    for (int i = 10; i < n; i += 37) {
      System.arraycopy(v, (i - 10) * d, v, i * d, d);
    }
    return new FloatMatrix(n, d, v);
  }

  /**
   * Torch against exact double distances and against the Java kernel. Both use float products, so
   * an entry may be off by a small multiple of {@code 1e-7 (||a||^2 + ||b||^2)} (torch's error is
   * relative to the smaller centred norms); pairs that close are recomputed exactly by both.
   */
  private static void assertSameDistances(FloatMatrix a, int from, int to, FloatMatrix b) {
    int m = b.rows();
    int d = a.cols();
    float[] java = new float[(to - from) * m];
    float[] actual = new float[(to - from) * m];
    JAVA.squaredDistances(a, from, to, b, java);
    torch.squaredDistances(a, from, to, b, actual);
    for (int i = from; i < to; i++) {
      for (int j = 0; j < m; j++) {
        double exact = 0;
        double norms = 0;
        for (int f = 0; f < d; f++) {
          double diff = (double) a.get(i, f) - b.get(j, f);
          exact += diff * diff;
          norms += (double) a.get(i, f) * a.get(i, f) + (double) b.get(j, f) * b.get(j, f);
        }
        int k = (i - from) * m + j;
        assertTrue(actual[k] >= 0f, "negative distance at " + i + "," + j);
        double tol = 1e-6 * norms + 1e-5 * exact;
        assertEquals(exact, actual[k], tol, "vs exact at " + i + "," + j);
        assertEquals(java[k], actual[k], 2 * tol, "vs Java at " + i + "," + j);
        if (exact == 0) {
          assertEquals(0f, actual[k], "exact zero at " + i + "," + j);
        }
      }
    }
    if (a == b) {
      for (int i = from; i < to; i++) {
        assertEquals(0f, actual[(i - from) * m + i], "diagonal " + i);
      }
    }
  }

  @Test
  void matchesJavaKernelOnSelfAndCrossBlocks() {
    FloatMatrix x = points(257, 31, 1, null);
    assertSameDistances(x, 0, 100, x);
    assertSameDistances(x, 100, 257, x);
    FloatMatrix other = points(45, 31, 2, null);
    assertSameDistances(other, 3, 45, x); // a != b
    assertSameDistances(x, 0, 257, other); // switches the cached b
    assertSameDistances(x, 5, 6, x); // and back
  }

  @Test
  void silhouetteMatchesJavaKernel() {
    int n = 600;
    int[] labels = new int[n];
    FloatMatrix x = points(n, 24, 3, labels);
    double java = InternalMetrics.silhouette(x, labels, SilhouetteOptions.defaults());
    for (int threads : new int[] {1, 3}) {
      SilhouetteOptions options =
          SilhouetteOptions.defaults().withKernel(torch).withThreads(threads);
      assertEquals(java, InternalMetrics.silhouette(x, labels, options), 1e-6);
    }
  }

  @Test
  void rejectsMismatchedShapesAndUseAfterClose() {
    FloatMatrix x = points(20, 5, 4, null);
    FloatMatrix y = points(20, 6, 5, null);
    assertThrows(
        IllegalArgumentException.class, () -> torch.squaredDistances(x, 0, 2, y, new float[40]));
    assertThrows(
        IllegalArgumentException.class, () -> torch.squaredDistances(x, 0, 2, x, new float[39]));
    TorchDistanceKernel closed = new TorchDistanceKernel(Device.cpu());
    closed.close();
    assertThrows(
        IllegalStateException.class, () -> closed.squaredDistances(x, 0, 2, x, new float[40]));
  }
}
