package io.deepclust.metrics;

import static io.deepclust.metrics.MetricsFixtures.tol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.linalg.FloatMatrix;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InternalMetricsTest {

  @Test
  void matchesSklearnOnStoredData() {
    for (JsonNode c : MetricsFixtures.root().get("internal")) {
      String name = c.get("name").asText();
      FloatMatrix x = MetricsFixtures.matrix(c);
      int[] labels = MetricsFixtures.ints(c.get("labels"));
      check(c, "silhouette", InternalMetrics.silhouette(x, labels), name);
      check(c, "davies_bouldin", InternalMetrics.daviesBouldin(x, labels), name);
      check(c, "calinski_harabasz", InternalMetrics.calinskiHarabasz(x, labels), name);
    }
  }

  @Test
  void matchesSklearnOnLcgData() {
    for (JsonNode c : MetricsFixtures.root().get("internal_lcg")) {
      String name = c.get("name").asText();
      int n = c.get("n").intValue();
      int[] labels = new int[n];
      FloatMatrix x =
          MetricsFixtures.lcgFeatures(
              n, c.get("d").intValue(), c.get("k").intValue(), c.get("seed").longValue(), labels);
      SilhouetteOptions threeThreads = SilhouetteOptions.defaults().withThreads(3);
      check(c, "silhouette", InternalMetrics.silhouette(x, labels, threeThreads), name);
      check(c, "davies_bouldin", InternalMetrics.daviesBouldin(x, labels), name);
      check(c, "calinski_harabasz", InternalMetrics.calinskiHarabasz(x, labels), name);
      int[] mod2 = new int[n];
      for (int i = 0; i < n; i++) {
        mod2[i] = labels[i] % 2;
      }
      check(c, "silhouette_mod2", InternalMetrics.silhouette(x, mod2, threeThreads), name);
      check(c, "davies_bouldin_mod2", InternalMetrics.daviesBouldin(x, mod2), name);
      check(c, "calinski_harabasz_mod2", InternalMetrics.calinskiHarabasz(x, mod2), name);
    }
  }

  private static void check(JsonNode c, String key, double actual, String name) {
    double expected = c.get(key).doubleValue();
    assertEquals(expected, actual, tol(expected), name + " " + key);
  }

  @Test
  void kernelMatchesDirectDistancesIncludingPartialBlocks() {
    SplittableRandom random = new SplittableRandom(11);
    FloatMatrix a = randomMatrix(random, 37, 13, 5f);
    FloatMatrix b = randomMatrix(random, 301, 13, 5f);
    float[] out = new float[(31 - 2) * b.rows()];
    PairwiseDistanceKernel.javaDefault().squaredDistances(a, 2, 31, b, out);
    for (int i = 2; i < 31; i++) {
      for (int j = 0; j < b.rows(); j++) {
        double exact =
            BlockedDistanceKernel.exactSquaredDistance(a.data(), i * 13, b.data(), j * 13, 13);
        assertEquals(exact, out[(i - 2) * b.rows() + j], 1e-5 * Math.max(1, exact));
      }
    }
    float[] self = new float[a.rows() * a.rows()];
    PairwiseDistanceKernel.javaDefault().squaredDistances(a, 0, a.rows(), a, self);
    for (int i = 0; i < a.rows(); i++) {
      assertEquals(0f, self[i * a.rows() + i]);
    }
  }

  @Test
  void threadCountAndPluggedKernelGiveTheSameSilhouette() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 1203;
    FloatMatrix x = randomMatrix(random, n, 7, 1f);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(4) * 10 - 3;
      x.set(i, 0, x.get(i, 0) + labels[i] * 0.1f);
    }
    double one = InternalMetrics.silhouette(x, labels, SilhouetteOptions.defaults().withThreads(1));
    double four =
        InternalMetrics.silhouette(x, labels, SilhouetteOptions.defaults().withThreads(4));
    assertEquals(one, four, 0.0);
    AtomicInteger calls = new AtomicInteger();
    PairwiseDistanceKernel naive =
        new PairwiseDistanceKernel() {
          @Override
          public void squaredDistances(
              FloatMatrix a, int rowStart, int rowEnd, FloatMatrix b, float[] out) {
            calls.incrementAndGet();
            int d = a.cols();
            for (int i = rowStart; i < rowEnd; i++) {
              for (int j = 0; j < b.rows(); j++) {
                out[(i - rowStart) * b.rows() + j] =
                    (float)
                        BlockedDistanceKernel.exactSquaredDistance(
                            a.data(), i * d, b.data(), j * d, d);
              }
            }
          }

          @Override
          public int rowsPerCall(int bRows, int cols) {
            return 100;
          }
        };
    double plugged =
        InternalMetrics.silhouette(
            x, labels, SilhouetteOptions.defaults().withThreads(2).withKernel(naive));
    assertEquals(13, calls.get()); // ceil(1203 / 100) blocks
    assertEquals(one, plugged, 1e-9);
  }

  @Test
  void samplingIsSeededAndDeterministic() {
    SplittableRandom random = new SplittableRandom(8);
    int n = 500;
    FloatMatrix x = randomMatrix(random, n, 4, 1f);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      x.set(i, 1, x.get(i, 1) + labels[i]);
    }
    SilhouetteOptions s1 = SilhouetteOptions.defaults().withSample(200, 1);
    double a = InternalMetrics.silhouette(x, labels, s1);
    assertEquals(a, InternalMetrics.silhouette(x, labels, s1), 0.0);
    assertNotEquals(a, InternalMetrics.silhouette(x, labels, s1.withSample(200, 2)));
    double full = InternalMetrics.silhouette(x, labels);
    assertEquals(full, InternalMetrics.silhouette(x, labels, s1.withSample(n, 1)), 0.0);
    assertEquals(full, a, 0.05);
    int[] subset = InternalMetrics.sampleWithoutReplacement(n, 200, 1);
    assertEquals(200, java.util.Arrays.stream(subset).distinct().count());
  }

  @Test
  void tooFewOrTooManyLabelsAreRejected() {
    FloatMatrix x = new FloatMatrix(4, 1, new float[] {0, 1, 2, 3});
    IllegalArgumentException one =
        assertThrows(
            IllegalArgumentException.class,
            () -> InternalMetrics.silhouette(x, new int[] {7, 7, 7, 7}));
    assertTrue(
        one.getMessage().contains("number of distinct labels is 1 for 4 samples"),
        one.getMessage());
    assertTrue(one.getMessage().contains("2 to n_samples - 1"), one.getMessage());
    IllegalArgumentException all =
        assertThrows(
            IllegalArgumentException.class,
            () -> InternalMetrics.daviesBouldin(x, new int[] {0, 1, 2, 3}));
    assertTrue(all.getMessage().contains("is 4 for 4 samples"), all.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> InternalMetrics.calinskiHarabasz(x, new int[] {1, 1, 1, 1}));
  }

  @Test
  void mismatchedRowsAndLabelsAreRejected() {
    FloatMatrix x = new FloatMatrix(3, 2, new float[6]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> InternalMetrics.silhouette(x, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("x has 3 rows but labels has 2 entries"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SilhouetteOptions(-1, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new SilhouetteOptions(0, 0, -2, null));
  }

  static FloatMatrix randomMatrix(SplittableRandom random, int rows, int cols, float scale) {
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (random.nextGaussian() * scale);
    }
    return new FloatMatrix(rows, cols, d);
  }
}
