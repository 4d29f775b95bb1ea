package io.deepclust.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RandomizedPcaTest {
  private static JsonNode fixture;
  private static FloatMatrix x;

  @BeforeAll
  static void loadFixture() throws IOException {
    try (InputStream in =
        RandomizedPcaTest.class.getResourceAsStream("/fixtures/randomized_pca.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    x =
        lowRankData(
            fixture.get("n").asInt(), fixture.get("d").asInt(), fixture.get("data_seed").asLong());
  }

  /**
   * The fixture's data, generated exactly as tools/fixtures/gen_randomized_pca.py does: SplitMix64
   * uniforms in [-1, 1) for U (n x 6), V (6 x d) and the noise, {@code x_ij = sum_k U_ik s_k V_kj +
   * 0.05 noise_ij + 3}, rounded to float.
   */
  static FloatMatrix lowRankData(int n, int d, long seed) {
    double[] scales = {8.0, 5.0, 3.5, 2.5, 1.5, 1.0};
    int r = scales.length;
    long[] state = {seed};
    double[][] u = new double[n][r];
    for (double[] row : u) {
      for (int k = 0; k < r; k++) {
        row[k] = nextSymmetric(state);
      }
    }
    double[][] v = new double[r][d];
    for (double[] row : v) {
      for (int j = 0; j < d; j++) {
        row[j] = nextSymmetric(state);
      }
    }
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double acc = 0.0;
        for (int k = 0; k < r; k++) {
          acc += u[i][k] * scales[k] * v[k][j];
        }
        data[i * d + j] = (float) (acc + 0.05 * nextSymmetric(state) + 3.0);
      }
    }
    return new FloatMatrix(n, d, data);
  }

  private static double nextSymmetric(long[] state) {
    state[0] += 0x9E3779B97F4A7C15L;
    long z = state[0];
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
  }

  private static double[] doubles(JsonNode node) {
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  private static void assertClose(double[] expected, double[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          expected[i], actual[i], rel * Math.abs(expected[i]) + 1e-12, what + " index " + i);
    }
  }

  private static RandomizedPcaConfig config(int k, long seed) {
    return new RandomizedPcaConfig(k, false, 10, RandomizedPcaConfig.AUTO, seed);
  }

  @Test
  void generatedDataMatchFixture() {
    JsonNode head = fixture.get("data_head");
    for (int j = 0; j < head.size(); j++) {
      assertEquals(head.get(j).asDouble(), x.get(0, j), 0.0, "x[0][" + j + "]");
    }
    double sum = 0;
    for (float v : x.data()) {
      sum += v;
    }
    assertEquals(fixture.get("data_sum").asDouble(), sum, 1e-9 * Math.abs(sum));
  }

  @Test
  void matchesSklearnRandomizedUpToSign() {
    int k = fixture.get("k").asInt();
    RandomizedPca pca = new RandomizedPca(config(k, 7), new BlockedMatrixProducts(2));
    PcaModel model = pca.fit(x);
    assertClose(doubles(fixture.get("mean")), model.mean(), 1e-9, "mean");
    assertClose(
        doubles(fixture.get("explained_variance")), model.explainedVariance(), 1e-4, "variance");
    assertClose(
        doubles(fixture.get("full_explained_variance")),
        model.explainedVariance(),
        1e-4,
        "variance vs exact");
    assertClose(
        doubles(fixture.get("explained_variance_ratio")),
        model.explainedVarianceRatio(),
        1e-4,
        "ratio");
    JsonNode comps = fixture.get("components");
    JsonNode scores = fixture.get("scores_head");
    FloatMatrix ours = pca.fitTransform(x);
    FloatMatrix projected = pca.transform(model, x);
    for (int j = 0; j < k; j++) {
      double dot = 0;
      for (int f = 0; f < x.cols(); f++) {
        dot += comps.get(j).get(f).asDouble() * model.components().get(j, f);
      }
      double sign = Math.signum(dot);
      for (int f = 0; f < x.cols(); f++) {
        assertEquals(
            comps.get(j).get(f).asDouble(),
            sign * model.components().get(j, f),
            1e-4,
            "component " + j + ", feature " + f);
      }
      for (int i = 0; i < scores.size(); i++) {
        double expected = scores.get(i).get(j).asDouble();
        assertEquals(expected, sign * ours.get(i, j), 1e-3, "fitTransform " + i + "," + j);
        assertEquals(expected, sign * projected.get(i, j), 1e-3, "transform " + i + "," + j);
      }
    }
  }

  @Test
  void agreesWithExactPcaOnNoisierData() {
    // Flat spectrum beyond the signal: a harder case than the fixture; converged for k = 3.
    FloatMatrix data = randomData(400, 50, 3);
    PcaModel exact = new Pca(new PcaConfig(3, false), 2).fit(data);
    PcaModel rnd = new RandomizedPca(config(3, 1)).fit(data);
    assertClose(exact.explainedVariance(), rnd.explainedVariance(), 1e-4, "variance");
    assertClose(exact.explainedVarianceRatio(), rnd.explainedVarianceRatio(), 1e-4, "ratio");
    for (int j = 0; j < 3; j++) {
      for (int f = 0; f < 50; f++) {
        // Same sign convention as Pca, so no flip is needed.
        assertEquals(exact.components().get(j, f), rnd.components().get(j, f), 1e-3);
      }
    }
  }

  @Test
  void sameSeedSameModelAndThreadCountDoesNotMatter() {
    PcaModel a = new RandomizedPca(config(5, 42), new BlockedMatrixProducts(1)).fit(x);
    PcaModel b = new RandomizedPca(config(5, 42), new BlockedMatrixProducts(3)).fit(x);
    assertArrayEquals(a.components().data(), b.components().data());
    assertArrayEquals(a.explainedVariance(), b.explainedVariance());
    PcaModel c = new RandomizedPca(config(5, 43), new BlockedMatrixProducts(2)).fit(x);
    // Another seed converges to the same subspace but not to the same bits.
    assertClose(a.explainedVariance(), c.explainedVariance(), 1e-4, "other seed");
  }

  @Test
  void whitenedScoresHaveUnitVariance() {
    RandomizedPcaConfig cfg = new RandomizedPcaConfig(3, true, 10, 4, 3);
    FloatMatrix scores = new RandomizedPca(cfg).fitTransform(x);
    for (int j = 0; j < 3; j++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < x.rows(); i++) {
        s += scores.get(i, j);
        ss += (double) scores.get(i, j) * scores.get(i, j);
      }
      double mean = s / x.rows();
      assertEquals(0.0, mean, 1e-4);
      assertEquals(1.0, (ss - x.rows() * mean * mean) / (x.rows() - 1), 1e-4);
    }
  }

  @Test
  void blockedProductsMatchNaiveProducts() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 301;
    int d = 263; // tails in every blocking dimension
    int l = 7;
    FloatMatrix data = randomData(n, d, 11);
    double[] mean = new double[d];
    for (int f = 0; f < d; f++) {
      mean[f] = random.nextDouble();
    }
    FloatMatrix w = RandomizedPca.gaussian(d, l, random);
    FloatMatrix y = RandomizedPca.gaussian(n, l, random);
    MatrixProducts products = new BlockedMatrixProducts(3);
    assertProductsMatch(products, data, mean, w, y);
    assertProductsMatch(products, data, null, w, y);
  }

  /** Checks both products of {@code products} against double-precision loops. */
  static void assertProductsMatch(
      MatrixProducts products, FloatMatrix x, double[] mean, FloatMatrix w, FloatMatrix y) {
    int n = x.rows();
    int d = x.cols();
    int l = w.cols();
    FloatMatrix xw = products.centredTimes(x, mean, w);
    FloatMatrix xty = products.centredTransposeTimes(x, mean, y);
    assertEquals(n, xw.rows());
    assertEquals(l, xw.cols());
    assertEquals(d, xty.rows());
    assertEquals(l, xty.cols());
    double scale = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < l; j++) {
        double e = 0;
        for (int f = 0; f < d; f++) {
          e += (x.get(i, f) - (mean == null ? 0 : mean[f])) * (double) w.get(f, j);
        }
        scale = Math.max(scale, Math.abs(e));
        assertEquals(e, xw.get(i, j), 1e-5 * Math.sqrt(d) + 1e-5 * Math.abs(e), "Xc W");
      }
    }
    for (int f = 0; f < d; f++) {
      for (int j = 0; j < l; j++) {
        double e = 0;
        for (int i = 0; i < n; i++) {
          e += (x.get(i, f) - (mean == null ? 0 : mean[f])) * (double) y.get(i, j);
        }
        assertEquals(e, xty.get(f, j), 1e-5 * Math.sqrt(n) + 1e-5 * Math.abs(e), "Xc^T Y");
      }
    }
    assertTrue(scale > 1, "test data should not be trivially small");
  }

  @Test
  void orthonormalisesWellAndIllConditionedSketches() {
    RandomizedPca pca = new RandomizedPca(config(2, 0), new BlockedMatrixProducts(2));
    SplittableRandom random = new SplittableRandom(9);
    FloatMatrix y = RandomizedPca.gaussian(3000, 12, random);
    assertOrthonormal(pca.orthonormalColumns(y)); // CholeskyQR2 path
    FloatMatrix dependent = y.copy();
    for (int i = 0; i < 3000; i++) {
      dependent.set(i, 11, 2 * y.get(i, 3) - y.get(i, 7)); // rank 11: Householder path
    }
    assertOrthonormal(pca.orthonormalColumns(dependent));
  }

  private static void assertOrthonormal(FloatMatrix q) {
    for (int a = 0; a < q.cols(); a++) {
      for (int b = a; b < q.cols(); b++) {
        double dot = 0;
        for (int i = 0; i < q.rows(); i++) {
          dot += (double) q.get(i, a) * q.get(i, b);
        }
        assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, "columns " + a + ", " + b);
      }
    }
  }

  @Test
  void rankDeficientDataBelowSketchSize() {
    // Rank 2 without noise: the sketch (l = 12) has 10 empty directions.
    int n = 200;
    int d = 30;
    SplittableRandom random = new SplittableRandom(4);
    float[] v = new float[n * d];
    double[] b0 = new double[d];
    double[] b1 = new double[d];
    for (int f = 0; f < d; f++) {
      b0[f] = random.nextGaussian();
      b1[f] = random.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      double z0 = 3 * random.nextGaussian();
      double z1 = random.nextGaussian();
      for (int f = 0; f < d; f++) {
        v[i * d + f] = (float) (z0 * b0[f] + z1 * b1[f]);
      }
    }
    FloatMatrix data = new FloatMatrix(n, d, v);
    PcaModel exact = new Pca(new PcaConfig(2, false), 2).fit(data);
    PcaModel rnd = new RandomizedPca(config(2, 0)).fit(data);
    assertClose(exact.explainedVariance(), rnd.explainedVariance(), 1e-4, "variance");
    assertEquals(1.0, rnd.explainedVarianceRatio()[0] + rnd.explainedVarianceRatio()[1], 1e-5);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class, () -> new RandomizedPcaConfig(0, false, 10, -1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new RandomizedPcaConfig(2, false, -1, -1, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new RandomizedPcaConfig(2, false, 10, -2, 0));
    RandomizedPca pca = new RandomizedPca(config(61, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pca.fit(x));
    assertTrue(e.getMessage().contains("components"), e.getMessage());
    FloatMatrix bad = x.copy();
    bad.set(3, 4, Float.NaN);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new RandomizedPca(config(2, 0)).fit(bad));
    assertTrue(e.getMessage().contains("row 3, column 4"), e.getMessage());
  }

  @Test
  void autoPowerIterationsFollowSklearn() {
    RandomizedPcaConfig cfg = RandomizedPcaConfig.defaults();
    assertEquals(7, cfg.effectivePowerIterations(70_000, 784)); // 50 < 78.4
    assertEquals(4, cfg.effectivePowerIterations(70_000, 300)); // 50 >= 30
    assertEquals(2, cfg.withPowerIterations(2).effectivePowerIterations(70_000, 784));
  }

  /** A few strong directions over isotropic noise, offset from the origin. */
  static FloatMatrix randomData(int n, int d, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int r = 4;
    double[][] basis = new double[r][d];
    for (double[] row : basis) {
      for (int f = 0; f < d; f++) {
        row[f] = random.nextGaussian();
      }
    }
    float[] data = new float[n * d];
    for (int i = 0; i < n; i++) {
      double[] z = new double[r];
      for (int k = 0; k < r; k++) {
        z[k] = random.nextGaussian() * (4.0 - k);
      }
      for (int f = 0; f < d; f++) {
        double v = 1.5 + 0.3 * random.nextGaussian();
        for (int k = 0; k < r; k++) {
          v += z[k] * basis[k][f];
        }
        data[i * d + f] = (float) v;
      }
    }
    return new FloatMatrix(n, d, data);
  }
}
