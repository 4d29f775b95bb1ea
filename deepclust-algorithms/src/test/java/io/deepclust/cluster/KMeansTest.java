package io.deepclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KMeansTest {
  private static JsonNode fixture;

  @BeforeAll
  static void loadFixture() throws IOException {
    try (InputStream in = KMeansTest.class.getResourceAsStream("/fixtures/cluster.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
  }

  static FloatMatrix matrix(JsonNode rows) {
    double[][] v = new double[rows.size()][];
    for (int i = 0; i < v.length; i++) {
      JsonNode row = rows.get(i);
      v[i] = new double[row.size()];
      for (int j = 0; j < v[i].length; j++) {
        v[i][j] = row.get(j).asDouble();
      }
    }
    return FloatMatrix.of(v);
  }

  private static int[] ints(JsonNode node) {
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asInt();
    }
    return v;
  }

  /** True if the labellings are equal up to a one-to-one renaming of clusters (ARI = 1). */
  static boolean samePartition(int[] a, int[] b) {
    if (a.length != b.length) {
      return false;
    }
    int max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.max(a[i], b[i]));
    }
    int[] forward = new int[max + 1];
    int[] backward = new int[max + 1];
    Arrays.fill(forward, -1);
    Arrays.fill(backward, -1);
    for (int i = 0; i < a.length; i++) {
      if (forward[a[i]] == -1 && backward[b[i]] == -1) {
        forward[a[i]] = b[i];
        backward[b[i]] = a[i];
      } else if (forward[a[i]] != b[i] || backward[b[i]] != a[i]) {
        return false;
      }
    }
    return true;
  }

  private static KMeansConfig config(int k, int threads) {
    return new KMeansConfig(k, 10, 300, 1e-4, 0L, threads);
  }

  @Test
  void matchesSklearnOnSeparatedBlobs() {
    JsonNode c = fixture.get("kmeans_blobs");
    FloatMatrix x = matrix(c.get("x"));
    ClusterResult r = new KMeans(config(c.get("k").asInt(), 2)).fit(x);
    double expected = c.get("inertia").asDouble();
    assertEquals(expected, r.inertia(), 1e-4 * expected);
    assertTrue(samePartition(ints(c.get("labels")), r.labels()), "labels differ from sklearn's");
    assertEquals(4, r.k());
    assertEquals(5, r.centers().cols());
  }

  @Test
  void reachesSklearnInertiaOnOverlappingBlobs() {
    JsonNode c = fixture.get("kmeans_overlap");
    FloatMatrix x = matrix(c.get("x"));
    ClusterResult r = new KMeans(config(c.get("k").asInt(), 2)).fit(x);
    double sklearn = c.get("inertia").asDouble();
    assertTrue(
        r.inertia() <= sklearn * (1 + 1e-3), "inertia " + r.inertia() + " vs sklearn " + sklearn);
  }

  @Test
  void centresAreClusterMeansAndLabelsAreNearestCentres() {
    FloatMatrix x = matrix(fixture.get("kmeans_overlap").get("x"));
    ClusterResult r = new KMeans(config(6, 2).withTol(0)).fit(x);
    assertArrayEquals(r.labels(), r.predict(x));
    int d = x.cols();
    double[] sums = new double[r.k() * d];
    int[] counts = new int[r.k()];
    double inertia = 0;
    for (int i = 0; i < x.rows(); i++) {
      counts[r.labels()[i]]++;
      for (int f = 0; f < d; f++) {
        sums[r.labels()[i] * d + f] += x.get(i, f);
        double diff = x.get(i, f) - r.centers().get(r.labels()[i], f);
        inertia += diff * diff;
      }
    }
    for (int j = 0; j < r.k(); j++) {
      for (int f = 0; f < d; f++) {
        assertEquals(sums[j * d + f] / counts[j], r.centers().get(j, f), 1e-4);
      }
    }
    assertEquals(inertia, r.inertia(), 1e-6 * inertia);
  }

  @Test
  void maxIterAndToleranceStopEarly() {
    FloatMatrix x = matrix(fixture.get("kmeans_overlap").get("x"));
    ClusterResult one = new KMeans(config(6, 1).withMaxIter(1)).fit(x);
    assertEquals(1, one.iterations());
    // The final E-step makes labels agree with the returned centres even when stopped early.
    assertArrayEquals(one.labels(), one.predict(x));

    ClusterResult loose = new KMeans(config(6, 1).withTol(1e6)).fit(x);
    assertEquals(1, loose.iterations());

    ClusterResult strict = new KMeans(config(6, 1).withTol(0).withNInit(1)).fit(x);
    ClusterResult tolerant = new KMeans(config(6, 1).withTol(1e-1).withNInit(1)).fit(x);
    assertTrue(strict.iterations() >= tolerant.iterations());
    assertTrue(strict.iterations() > 1);
  }

  @Test
  void emptyClusterTakesTheFarthestSample() {
    FloatMatrix x = FloatMatrix.of(new double[][] {{0}, {1}, {2}, {10}, {11}, {12}});
    KMeans.Data data = KMeans.Data.of(x);
    double mean = 6;
    // Centre 1 starts far from every sample, so it is empty after the first assignment.
    double[] centres = {1 - mean, 1000 - mean};
    KMeans.Run run = KMeans.lloyd(data, centres, 2, 300, 0);
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, run.labels());
    assertEquals(4.0, run.inertia(), 1e-9);
    assertEquals(1 - mean, run.centers()[0], 1e-9);
    assertEquals(11 - mean, run.centers()[1], 1e-9);
  }

  @Test
  void duplicatesWithAsManyClustersAsDistinctPoints() {
    double[][] v = {{1, 1}, {1, 1}, {5, 5}, {5, 5}, {5, 5}, {-3, 2}, {-3, 2}};
    FloatMatrix x = FloatMatrix.of(v);
    ClusterResult r = new KMeans(config(3, 2)).fit(x);
    assertEquals(0.0, r.inertia(), 1e-9);
    assertTrue(samePartition(new int[] {0, 0, 1, 1, 1, 2, 2}, r.labels()));

    // More clusters than distinct points: nothing to relocate, inertia 0, no crash.
    ClusterResult more = new KMeans(config(5, 2)).fit(x);
    assertEquals(0.0, more.inertia(), 1e-9);
    assertEquals(5, more.k());
    assertEquals(3, Arrays.stream(more.labels()).distinct().count());
  }

  @Test
  void fewerDistinctPointsThanKIsRecordedAndWarned() {
    // sklearn 1.2.1: KMeans(n_clusters=5).fit(X) on these 3 distinct points keeps 5 centres, labels
    // 3 clusters, inertia 0, and warns "Number of distinct clusters (3) found smaller than
    // n_clusters (5). Possibly due to duplicate points in X." (ConvergenceWarning)
    float[] x = {0, 0, 0, 0, 1, 1, 1, 1, 5, 5, 5, 5};
    ClusterResult r =
        new KMeans(new KMeansConfig(5, 3, 300, 1e-4, 0L, 1)).fit(new FloatMatrix(6, 2, x));
    assertEquals(5, r.k());
    assertEquals(3, r.distinctClusters());
    assertEquals(0.0, r.inertia(), 0.0);
    String w = r.fewerClustersWarning().orElseThrow();
    assertTrue(w.contains("found 3 distinct clusters, fewer than k = 5"), w);
    assertTrue(w.contains("2 clusters are empty"), w);

    ClusterResult full =
        new KMeans(new KMeansConfig(3, 3, 300, 1e-4, 0L, 1)).fit(new FloatMatrix(6, 2, x));
    assertEquals(3, full.distinctClusters());
    assertTrue(full.fewerClustersWarning().isEmpty());
  }

  @Test
  void kLargerThanNIsRejectedWithAClearMessage() {
    FloatMatrix x = FloatMatrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new KMeans(config(5, 1)).fit(x));
    assertTrue(e.getMessage().contains("k = 5"), e.getMessage());
    assertTrue(e.getMessage().contains("n = 3"), e.getMessage());
  }

  @Test
  void invalidConfigAndInputAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> config(0, 1));
    assertThrows(IllegalArgumentException.class, () -> config(3, 0));
    assertThrows(IllegalArgumentException.class, () -> config(3, 1).withTol(-1));
    assertThrows(IllegalArgumentException.class, () -> config(3, 1).withNInit(0));
    assertThrows(IllegalArgumentException.class, () -> config(3, 1).withMaxIter(0));
    FloatMatrix bad = FloatMatrix.of(new double[][] {{0, 1}, {Double.NaN, 0}, {2, 2}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new KMeans(config(2, 1)).fit(bad));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    assertEquals(10, KMeansConfig.defaults().k());
  }

  @Test
  void resultDoesNotDependOnThreadCountAndRepeatsWithTheSameSeed() {
    FloatMatrix x = randomData(2000, 7, 11);
    KMeansConfig base = new KMeansConfig(8, 6, 300, 1e-4, 123L, 1);
    ClusterResult one = new KMeans(base).fit(x);
    ClusterResult three = new KMeans(base.withThreads(3)).fit(x);
    ClusterResult again = new KMeans(base.withThreads(3)).fit(x);
    assertArrayEquals(one.labels(), three.labels());
    assertArrayEquals(one.centers().data(), three.centers().data());
    assertEquals(one.inertia(), three.inertia());
    assertEquals(one.bestRun(), three.bestRun());
    assertArrayEquals(three.labels(), again.labels());
  }

  @Test
  void predictAssignsNewPointsToNearestCentre() {
    FloatMatrix centres = FloatMatrix.of(new double[][] {{0, 0}, {10, 0}, {0, 10}});
    FloatMatrix x =
        FloatMatrix.of(new double[][] {{1, 1}, {9, -1}, {-1, 8}, {5.1, 0}, {4.9, 0}, {6, 6}});
    assertArrayEquals(new int[] {0, 1, 2, 1, 0, 1}, KMeans.predict(centres, x));
    // Ties go to the first centre, far from the origin too.
    FloatMatrix far = FloatMatrix.of(new double[][] {{1e4, 1e4}, {1e4 + 2, 1e4}});
    assertArrayEquals(
        new int[] {0}, KMeans.predict(far, FloatMatrix.of(new double[][] {{1e4 + 1, 1e4}})));
    JsonNode c = fixture.get("kmeans_blobs");
    FloatMatrix blobs = matrix(c.get("x"));
    ClusterResult r = new KMeans(config(4, 1)).fit(blobs);
    assertArrayEquals(r.labels(), r.predict(blobs));
    assertThrows(IllegalArgumentException.class, () -> r.predict(FloatMatrix.zeros(2, 3)));
  }

  @Test
  void kPlusPlusPicksDistinctRowsAndSameClusteringMatchesSklearn() {
    FloatMatrix x = randomData(500, 3, 5);
    KMeans.Data data = KMeans.Data.of(x);
    double[] c = KMeans.kmeansPlusPlus(data, 10, new SplittableRandom(1));
    for (int a = 0; a < 10; a++) {
      for (int b = a + 1; b < 10; b++) {
        boolean same = true;
        for (int f = 0; f < 3; f++) {
          same &= c[a * 3 + f] == c[b * 3 + f];
        }
        assertFalse(same, "k-means++ picked the same row twice");
      }
    }
    assertTrue(KMeans.sameClustering(new int[] {0, 0, 1, 2}, new int[] {2, 2, 0, 1}, 3));
    assertFalse(KMeans.sameClustering(new int[] {0, 0, 1, 2}, new int[] {2, 1, 0, 1}, 3));
  }

  static FloatMatrix randomData(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      int blob = rng.nextInt(5);
      for (int f = 0; f < d; f++) {
        v[i * d + f] = (float) (blob * 3 + rng.nextGaussian() * 2);
      }
    }
    return new FloatMatrix(n, d, v);
  }
}
