package io.deepclust.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.linalg.FloatMatrix;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TsneTest {

  /** {@code blobs} Gaussian blobs of {@code perBlob} points in {@code dims}-D, far apart. */
  static FloatMatrix blobs(int blobs, int perBlob, int dims, int[] labels, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] centers = new double[blobs][dims];
    for (double[] c : centers) {
      for (int j = 0; j < dims; j++) {
        c[j] = 10 * rnd.nextGaussian();
      }
    }
    int n = blobs * perBlob;
    float[] d = new float[n * dims];
    for (int i = 0; i < n; i++) {
      // interleave blobs so no blob is a contiguous index range
      int b = i % blobs;
      labels[i] = b;
      for (int j = 0; j < dims; j++) {
        d[i * dims + j] = (float) (centers[b][j] + rnd.nextGaussian());
      }
    }
    return new FloatMatrix(n, dims, d);
  }

  static double oneNearestNeighbourAgreement(FloatMatrix e, int[] labels) {
    int n = e.rows();
    int agree = 0;
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      int arg = -1;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double dx = e.get(i, 0) - e.get(j, 0);
          double dy = e.get(i, 1) - e.get(j, 1);
          double d = dx * dx + dy * dy;
          if (d < best) {
            best = d;
            arg = j;
          }
        }
      }
      if (labels[arg] == labels[i]) {
        agree++;
      }
    }
    return agree / (double) n;
  }

  @Test
  void separatedBlobsStaySeparated() {
    int[] labels = new int[600];
    FloatMatrix x = blobs(4, 150, 20, labels, 3);
    List<double[]> progress = new ArrayList<>();
    TsneResult r =
        new Tsne(TsneConfig.defaults().withThreads(2))
            .fit(x, (it, kl) -> progress.add(new double[] {it, kl}));
    assertEquals(600, r.embedding().rows());
    assertEquals(2, r.embedding().cols());
    double agreement = oneNearestNeighbourAgreement(r.embedding(), labels);
    assertTrue(agreement > 0.98, "1-NN class agreement in the map " + agreement);
    assertTrue(r.klDivergence() > 0 && r.klDivergence() < 2, "KL " + r.klDivergence());
    assertEquals(50.0, r.learningRate(), 1e-12, "auto: max(600 / 12 / 4, 50)");
    assertEquals(91, r.neighbours());
    assertEquals(1000 / Tsne.REPORT_EVERY, progress.size());
    assertEquals(1000, progress.get(progress.size() - 1)[0]);
    assertEquals(r.klDivergence(), progress.get(progress.size() - 1)[1]);
    double afterExaggeration = progress.get(250 / Tsne.REPORT_EVERY)[1];
    assertTrue(r.klDivergence() < afterExaggeration, "KL decreases after exaggeration");
  }

  @Test
  void sameSeedSameMapWhateverTheThreadCount() {
    int[] labels = new int[300];
    FloatMatrix x = blobs(3, 100, 10, labels, 11);
    TsneConfig cfg =
        TsneConfig.defaults().withPerplexity(15).withIterations(200).withEarlyExaggeration(12, 100);
    for (TsneConfig.Init init : TsneConfig.Init.values()) {
      TsneConfig c = cfg.withInit(init).withSeed(5);
      TsneResult one = new Tsne(c.withThreads(1)).fit(x);
      TsneResult again = new Tsne(c.withThreads(1)).fit(x);
      TsneResult three = new Tsne(c.withThreads(3)).fit(x);
      assertArrayEquals(one.embedding().data(), again.embedding().data());
      assertArrayEquals(one.embedding().data(), three.embedding().data());
      assertEquals(one.klDivergence(), three.klDivergence());
    }
    TsneResult a = new Tsne(cfg.withInit(TsneConfig.Init.RANDOM).withSeed(1)).fit(x);
    TsneResult b = new Tsne(cfg.withInit(TsneConfig.Init.RANDOM).withSeed(2)).fit(x);
    assertFalse(Arrays.equals(a.embedding().data(), b.embedding().data()));
  }

  @Test
  void affinitiesMatchScikitLearn() throws Exception {
    JsonNode f;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/tsne_affinities.json")) {
      f = new ObjectMapper().readTree(in);
    }
    int n = f.get("rows").asInt();
    int d = f.get("cols").asInt();
    float[] data = new float[n * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) f.get("x").get(i).asDouble();
    }
    double perplexity = f.get("perplexity").asDouble();
    TsneConfig cfg = TsneConfig.defaults().withPerplexity(perplexity);
    assertEquals(f.get("k").asInt(), cfg.neighboursFor(n));
    double[][] expected = new double[n][n];
    for (int e = 0; e < f.get("p_val").size(); e++) {
      expected[f.get("p_row").get(e).asInt()][f.get("p_col").get(e).asInt()] =
          f.get("p_val").get(e).asDouble();
    }
    try (TsneWorkers workers = new TsneWorkers(2)) {
      FloatMatrix x = new FloatMatrix(n, d, data);
      TsneNeighbors nn = TsneNeighbors.exact(x, cfg.neighboursFor(n), workers);
      Tsne.SparseP p =
          Tsne.symmetrise(nn, Tsne.conditionalAffinities(nn, n, perplexity, workers), n);
      double[][] actual = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
          actual[i][p.columns()[e]] = p.values()[e];
        }
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertEquals(expected[i][j] == 0, actual[i][j] == 0, "sparsity at " + i + "," + j);
          // scikit-learn returns float32 conditional P; entries are about 1e-3
          assertEquals(expected[i][j], actual[i][j], 2e-7, "P[" + i + "][" + j + "]");
          assertEquals(actual[i][j], actual[j][i], 0.0);
          sum += actual[i][j];
        }
      }
      assertEquals(1.0, sum, 1e-12);
    }
  }

  @Test
  void neighboursAreExactAndSorted() {
    FloatMatrix x = blobs(2, 128, 7, new int[256], 4);
    int k = 9;
    try (TsneWorkers w = new TsneWorkers(2)) {
      TsneNeighbors nn = TsneNeighbors.exact(x, k, w);
      for (int i = 0; i < x.rows(); i++) {
        float[] all = new float[x.rows()];
        for (int j = 0; j < x.rows(); j++) {
          all[j] =
              j == i
                  ? Float.POSITIVE_INFINITY
                  : TsneNeighbors.squaredDistance(x.data(), x.offset(i), x.offset(j), x.cols());
        }
        float[] sorted = all.clone();
        Arrays.sort(sorted);
        for (int m = 0; m < k; m++) {
          assertEquals(sorted[m], nn.distances[i * k + m], "row " + i + " neighbour " + m);
          assertEquals(all[nn.indices[i * k + m]], nn.distances[i * k + m]);
        }
      }
    }
  }

  @Test
  void duplicatePointsDoNotBreakTheTree() {
    int n = 200;
    float[] d = new float[n * 3];
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        // half of the points share one position
        d[i * 3 + j] = i < 100 ? 1f : (float) rnd.nextGaussian();
      }
    }
    TsneResult r =
        new Tsne(TsneConfig.defaults().withPerplexity(10).withIterations(300))
            .fit(new FloatMatrix(n, 3, d));
    for (float v : r.embedding().data()) {
      assertTrue(Float.isFinite(v));
    }
    assertTrue(Double.isFinite(r.klDivergence()));
  }

  @Test
  void tooFewPointsForThePerplexity() {
    int[] labels = new int[90];
    FloatMatrix x = blobs(3, 30, 5, labels, 1);
    var e =
        assertThrows(IllegalArgumentException.class, () -> new Tsne(TsneConfig.defaults()).fit(x));
    assertTrue(e.getMessage().contains("perplexity 30.0"), e.getMessage());
    assertTrue(e.getMessage().contains("at most 29.66"), e.getMessage());
    // 29.66 is accepted: 90 > 3 x 29.66
    new Tsne(TsneConfig.defaults().withPerplexity(29.66).withIterations(20)).fit(x);
    x.set(3, 2, Float.NaN);
    var nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Tsne(TsneConfig.defaults().withPerplexity(5)).fit(x));
    assertTrue(nan.getMessage().contains("row 3 column 2"), nan.getMessage());
  }

  @Test
  void configDefaultsAndValidation() {
    TsneConfig c = TsneConfig.defaults();
    assertEquals(30, c.perplexity());
    assertEquals(1000, c.iterations());
    assertEquals(12, c.earlyExaggeration());
    assertEquals(250, c.earlyExaggerationIterations());
    assertEquals(0.5, c.theta());
    assertEquals(TsneConfig.Init.PCA, c.init());
    assertEquals(10000 / 12.0 / 4, c.learningRateFor(10000), 1e-12);
    assertEquals(50, c.learningRateFor(1000));
    assertEquals(200, c.withLearningRate(200.0).learningRateFor(10));
    assertEquals(100, c.withIterations(100).earlyExaggerationIterations());
    assertThrows(IllegalArgumentException.class, () -> c.withPerplexity(0.5));
    assertThrows(IllegalArgumentException.class, () -> c.withTheta(1.5));
    assertThrows(IllegalArgumentException.class, () -> c.withLearningRate(-1.0));
    assertThrows(IllegalArgumentException.class, () -> c.withThreads(-1));
    assertThrows(IllegalArgumentException.class, () -> c.withEarlyExaggeration(12, 2000));
    assertThrows(IllegalArgumentException.class, () -> c.withInit(null));
  }
}
