package io.deepclust.cluster.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.soft.SoftCentroids.Backend;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.train.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SoftCentroids against torch 1.13 ({@code tools/fixtures/gen_soft_centroids.py}) and by itself.
 */
class SoftCentroidsTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  private static JsonNode fixture() throws IOException {
    try (InputStream in =
        SoftCentroidsTest.class.getResourceAsStream("/fixtures/soft_centroids.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static SoftCentroids clusterer(SoftCentroidsConfig c, Backend backend) {
    return new SoftCentroids(c, backend, Progress.Mode.OFF, QUIET);
  }

  private static void assertClose(float[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(1, Math.abs(expected[i]));
      assertTrue(
          Math.abs(expected[i] - actual[i]) <= tol * scale,
          what + "[" + i + "]: torch " + expected[i] + ", deepclust " + actual[i]);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void matchesTorchEpochByEpoch(Backend backend) throws IOException {
    JsonNode fx = fixture();
    int n = fx.get("n").asInt();
    int d = fx.get("d").asInt();
    int k = fx.get("k").asInt();
    FloatMatrix x = new FloatMatrix(n, d, floats(fx.get("x")));
    FloatMatrix init = new FloatMatrix(k, d, floats(fx.get("init")));
    List<int[]> orders = new ArrayList<>();
    fx.get("orders").forEach(o -> orders.add(ints(o)));

    // the paper's init picks the same rows as torch.topk
    assertArrayEquals(init.data(), SoftCentroids.farthestFromMean(x, k).data());

    int epochs = fx.get("epochs").asInt();
    for (int e = 1; e <= epochs; e++) {
      var config =
          new SoftCentroidsConfig(
              k, e, fx.get("batch_size").asInt(), (float) fx.get("lr").asDouble(), "farthest", 0);
      SoftCentroids sc = clusterer(config, backend);
      ClusterResult r = sc.fit(x, init, orders::get);
      assertClose(floats(fx.get("centers").get(e - 1)), r.centers().data(), 1e-5, "centers e" + e);
      double[] losses = sc.lossPerEpoch();
      assertEquals(e, losses.length);
      for (int i = 0; i < e; i++) {
        double want = fx.get("losses").get(i).asDouble();
        assertEquals(want, losses[i], 1e-5 * want, "loss of epoch " + (i + 1));
      }
      assertEquals(e, r.iterations());
      if (e == epochs) {
        assertClose(floats(fx.get("proba")), sc.predictProba(x).data(), 1e-5, "proba");
        assertArrayEquals(ints(fx.get("labels")), r.labels());
        assertArrayEquals(r.labels(), sc.predict(x));
      }
    }
  }

  @Test
  void farthestInitTakesDistinctRowsFarthestFromTheMean() {
    // mean (0, 0); row 1 is farthest but appears twice, rows 3 and 5 tie (lower index first)
    FloatMatrix x =
        FloatMatrix.of(
            new double[][] {
              {1, 0}, {-9, 0}, {0, 0.5}, {0, 4}, {-9, 0}, {0, -4}, {18, 0}, {-1, -0.5}
            });
    // mean = (0, 0): distances 1, 81, .25, 16, 81, 16, 324, 1.25
    FloatMatrix c = SoftCentroids.farthestFromMean(x, 4);
    assertArrayEquals(new float[] {18, 0, -9, 0, 0, 4, 0, -4}, c.data());
    var e =
        assertThrows(IllegalArgumentException.class, () -> SoftCentroids.farthestFromMean(x, 8));
    assertTrue(e.getMessage().contains("only 7 distinct"), e.getMessage());
  }

  private static FloatMatrix blobs(int perBlob, long seed, int[] truth) {
    double[][] centres = {{10, 0}, {-10, 0}, {0, 10}, {0, -10}, {7, 7}};
    SplittableRandom rng = new SplittableRandom(seed);
    int k = centres.length;
    double[][] rows = new double[perBlob * k][];
    for (int i = 0; i < rows.length; i++) {
      int b = i % k;
      truth[i] = b;
      rows[i] =
          new double[] {
            centres[b][0] + 0.5 * rng.nextGaussian(), centres[b][1] + 0.5 * rng.nextGaussian()
          };
    }
    return FloatMatrix.of(rows);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void kmeansPlusPlusInitRecoversSeparatedBlobs(Backend backend) {
    int[] truth = new int[400];
    FloatMatrix x = blobs(80, 1, truth);
    var config = new SoftCentroidsConfig(5, 30, 32, 0.1f, "kmeans++", 3);
    SoftCentroids sc = clusterer(config, backend);
    ClusterResult r = sc.fit(x);
    assertEquals(1.0, ExternalMetrics.ari(truth, r.labels()), 1e-9);
    double[] loss = sc.lossPerEpoch();
    assertTrue(loss[loss.length - 1] < loss[0], "loss falls: " + loss[0] + " -> " + loss[29]);
    // inertia = sum of squared distances to the assigned centre: ~ n * d * 0.5^2
    assertTrue(r.inertia() > 0 && r.inertia() < 400 * 2 * 0.25 * 1.5, "inertia " + r.inertia());
  }

  @Test
  void farthestInitRecoversSeparatedBlobs() {
    // four blobs around the mean (0, 0), each with one planted outer point so that the four
    // farthest samples lie in different blobs (the paper's init can put two centres into one blob
    // otherwise, which this test is not about)
    double[][] centres = {{10, 0}, {-10, 0}, {0, 10}, {0, -10}};
    SplittableRandom rng = new SplittableRandom(1);
    int[] truth = new int[400];
    double[][] rows = new double[400][];
    for (int i = 0; i < rows.length; i++) {
      int b = i % 4;
      truth[i] = b;
      double spread = i < 4 ? 0 : 0.5;
      double scale = i < 4 ? 1.3 : 1;
      rows[i] =
          new double[] {
            centres[b][0] * scale + spread * rng.nextGaussian(),
            centres[b][1] * scale + spread * rng.nextGaussian()
          };
    }
    FloatMatrix x = FloatMatrix.of(rows);
    SoftCentroids sc =
        clusterer(new SoftCentroidsConfig(4, 30, 32, 0.1f, "farthest", 0), Backend.JAVA);
    FloatMatrix init = sc.initialCenters(x);
    assertEquals(4, init.rows());
    ClusterResult r = sc.fit(x);
    assertEquals(1.0, ExternalMetrics.ari(truth, r.labels()), 1e-9);
  }

  @Test
  void theSameSeedGivesTheSameResult() {
    int[] truth = new int[300];
    FloatMatrix x = blobs(60, 5, truth);
    var config = new SoftCentroidsConfig(5, 3, 16, 0.1f, "kmeans++", 11);
    SoftCentroids a = clusterer(config, Backend.JAVA);
    SoftCentroids b = clusterer(config, Backend.JAVA);
    ClusterResult ra = a.fit(x);
    ClusterResult rb = b.fit(x);
    assertArrayEquals(ra.centers().data(), rb.centers().data());
    assertArrayEquals(a.lossPerEpoch(), b.lossPerEpoch());
    SoftCentroids c = clusterer(config.withSeed(12), Backend.JAVA);
    c.fit(x);
    assertFalse(java.util.Arrays.equals(a.lossPerEpoch(), c.lossPerEpoch()));
  }

  @Test
  void bothBackendsAgreeOnShuffledTraining() {
    int[] truth = new int[250];
    FloatMatrix x = blobs(50, 9, truth);
    var config = new SoftCentroidsConfig(5, 4, 32, 0.1f, "farthest", 4);
    SoftCentroids j = clusterer(config, Backend.JAVA);
    SoftCentroids t = clusterer(config, Backend.LIBTORCH);
    float[] cj = j.fit(x).centers().data();
    float[] ct = t.fit(x).centers().data();
    for (int i = 0; i < cj.length; i++) {
      assertEquals(ct[i], cj[i], 1e-4 * Math.max(1, Math.abs(ct[i])), "centre value " + i);
    }
  }

  @Test
  void degenerateInputsAreClearErrors() {
    SoftCentroids sc = clusterer(SoftCentroidsConfig.defaults().withK(3), Backend.JAVA);
    var e = assertThrows(IllegalArgumentException.class, () -> sc.fit(FloatMatrix.zeros(0, 4)));
    assertTrue(e.getMessage().contains("no samples"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> sc.fit(FloatMatrix.zeros(2, 4)));
    assertTrue(
        e.getMessage().contains("k = 3 exceeds the number of samples n = 2"), e.getMessage());
    FloatMatrix twoDistinct = FloatMatrix.of(new double[][] {{1, 1}, {1, 1}, {2, 2}, {1, 1}});
    e = assertThrows(IllegalArgumentException.class, () -> sc.fit(twoDistinct));
    assertTrue(e.getMessage().contains("only 2 distinct"), e.getMessage());
    SoftCentroids pp =
        clusterer(new SoftCentroidsConfig(3, 1, 32, 0.1f, "kmeans++", 0), Backend.JAVA);
    e = assertThrows(IllegalArgumentException.class, () -> pp.fit(twoDistinct));
    assertTrue(e.getMessage().contains("only 2 distinct"), e.getMessage());
    FloatMatrix nan = FloatMatrix.of(new double[][] {{1, 1}, {Double.NaN, 1}, {2, 2}, {3, 3}});
    e = assertThrows(IllegalArgumentException.class, () -> sc.fit(nan));
    assertTrue(e.getMessage().contains("row 1, column 0"), e.getMessage());
    FloatMatrix ok = FloatMatrix.of(new double[][] {{1, 1}, {2, 2}, {3, 3}});
    e = assertThrows(IllegalArgumentException.class, () -> sc.fit(ok, FloatMatrix.zeros(2, 2)));
    assertTrue(e.getMessage().contains("k x d = 3 x 2"), e.getMessage());
    assertThrows(IllegalStateException.class, sc::centers);
    assertThrows(IllegalStateException.class, () -> sc.predictProba(ok));
  }

  @Test
  void configChecksNameTheField() {
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> new SoftCentroidsConfig(10, 200, 32, 0.1f, "random", 0))
            .getMessage();
    assertTrue(m.contains("init") && m.contains("kmeans++"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> new SoftCentroidsConfig(10, 200, 0, 0.1f, "farthest", 0))
            .getMessage();
    assertTrue(m.contains("batchSize"), m);
    m =
        assertThrows(
                IllegalArgumentException.class,
                () -> new SoftCentroidsConfig(10, 200, 32, Float.NaN, "farthest", 0))
            .getMessage();
    assertTrue(m.contains("learningRate"), m);
    SoftCentroidsConfig p = SoftCentroidsConfig.defaults();
    assertEquals(new SoftCentroidsConfig(10, 200, 32, 0.1f, "farthest", 0), p);
  }

  @Test
  void softAssignmentRowsSumToOneAndArgmaxIsTheNearestCentre() {
    int[] truth = new int[100];
    FloatMatrix x = blobs(20, 2, truth);
    SoftCentroids sc =
        clusterer(new SoftCentroidsConfig(5, 2, 32, 0.1f, "kmeans++", 0), Backend.JAVA);
    ClusterResult r = sc.fit(x);
    FloatMatrix q = sc.predictProba(x);
    assertEquals(100, q.rows());
    assertEquals(5, q.cols());
    for (int i = 0; i < 100; i++) {
      double s = 0;
      int arg = 0;
      for (int j = 0; j < 5; j++) {
        s += q.get(i, j);
        if (q.get(i, j) > q.get(i, arg)) {
          arg = j;
        }
      }
      assertEquals(1.0, s, 1e-5);
      assertEquals(r.labels()[i], arg);
    }
  }

  private static final Pattern COUNT = Pattern.compile("resource count: (\\d+)");

  private static int liveResources(NDManager manager) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      ((BaseNDManager) manager).debugDump(0);
    } finally {
      System.setOut(old);
    }
    Matcher m = COUNT.matcher(buf.toString(StandardCharsets.UTF_8));
    int sum = 0;
    while (m.find()) {
      sum += Integer.parseInt(m.group(1));
    }
    return sum;
  }

  @Test
  void libtorchBackendKeepsMemoryFlatAcrossEpochs() {
    int[] truth = new int[500];
    FloatMatrix x = blobs(100, 3, truth);
    SoftCentroids sc =
        clusterer(new SoftCentroidsConfig(5, 6, 32, 0.1f, "farthest", 0), Backend.LIBTORCH);
    int[] live = new int[6];
    sc.setEpochHook((root, epoch) -> live[epoch] = liveResources(root));
    sc.fit(x);
    for (int e = 1; e < live.length; e++) {
      assertEquals(
          live[0], live[e], "live arrays after each epoch " + java.util.Arrays.toString(live));
    }
    assertNotEquals(0, live[0]); // the centres and Adam's moments
    assertTrue(live[0] <= 5, "only centres, gradient and moments stay: " + live[0]);
  }
}
