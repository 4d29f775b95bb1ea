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

class PcaTest {
  private static JsonNode pca;
  private static FloatMatrix x;

  @BeforeAll
  static void loadFixture() throws IOException {
    try (InputStream in = PcaTest.class.getResourceAsStream("/fixtures/cluster.json")) {
      pca = new ObjectMapper().readTree(in).get("pca");
    }
    x = matrix(pca.get("x"));
  }

  private static FloatMatrix matrix(JsonNode rows) {
    double[][] v = new double[rows.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = doubles(rows.get(i));
    }
    return FloatMatrix.of(v);
  }

  private static double[] doubles(JsonNode node) {
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  private static void assertClose(double[] expected, double[] actual, double rel) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], rel * Math.abs(expected[i]) + 1e-12, "index " + i);
    }
  }

  /** +1 or -1: the sign that makes our component j agree with sklearn's. */
  private static double signAgainst(JsonNode sklearnComponents, PcaModel model, int j) {
    double dot = 0;
    for (int f = 0; f < model.dimensions(); f++) {
      dot += sklearnComponents.get(j).get(f).asDouble() * model.components().get(j, f);
    }
    return Math.signum(dot);
  }

  @Test
  void matchesSklearnUpToSign() {
    int k = pca.get("n_components").asInt();
    PcaModel model = new Pca(new PcaConfig(k, false), 2).fit(x);
    assertClose(doubles(pca.get("mean")), model.mean(), 1e-9);
    assertClose(doubles(pca.get("explained_variance")), model.explainedVariance(), 1e-8);
    assertClose(doubles(pca.get("explained_variance_ratio")), model.explainedVarianceRatio(), 1e-8);
    JsonNode comps = pca.get("components");
    FloatMatrix scores = model.transform(x);
    JsonNode expected = pca.get("transform");
    for (int j = 0; j < k; j++) {
      double sign = signAgainst(comps, model, j);
      for (int f = 0; f < x.cols(); f++) {
        assertEquals(
            comps.get(j).get(f).asDouble(),
            sign * model.components().get(j, f),
            1e-6,
            "component " + j + ", feature " + f);
      }
      for (int i = 0; i < x.rows(); i++) {
        double e = expected.get(i).get(j).asDouble();
        assertEquals(e, sign * scores.get(i, j), 1e-5 * (1 + Math.abs(e)), "row " + i);
      }
    }
  }

  @Test
  void whitenedScoresMatchSklearnUpToSign() {
    int k = pca.get("n_components").asInt();
    Pca fitter = new Pca(new PcaConfig(k, true), 2);
    PcaModel model = fitter.fit(x);
    FloatMatrix scores = fitter.fitTransform(x);
    JsonNode expected = pca.get("transform_whiten");
    for (int j = 0; j < k; j++) {
      double sign = signAgainst(pca.get("components"), model, j);
      for (int i = 0; i < x.rows(); i++) {
        double e = expected.get(i).get(j).asDouble();
        assertEquals(e, sign * scores.get(i, j), 1e-5 * (1 + Math.abs(e)), "row " + i);
      }
    }
  }

  @Test
  void largestLoadingIsPositiveAndComponentsAreOrthonormal() {
    PcaModel model = new Pca(new PcaConfig(6, false), 1).fit(x);
    int d = model.dimensions();
    for (int j = 0; j < model.k(); j++) {
      float max = 0;
      for (int f = 0; f < d; f++) {
        float v = model.components().get(j, f);
        if (Math.abs(v) > Math.abs(max)) {
          max = v;
        }
      }
      assertTrue(max > 0, "component " + j);
      for (int m = 0; m < model.k(); m++) {
        double dot = 0;
        for (int f = 0; f < d; f++) {
          dot += (double) model.components().get(j, f) * model.components().get(m, f);
        }
        assertEquals(j == m ? 1.0 : 0.0, dot, 1e-6);
      }
      if (j > 0) {
        assertTrue(model.explainedVariance()[j] <= model.explainedVariance()[j - 1]);
      }
    }
  }

  @Test
  void covarianceMatchesNaiveAndIgnoresThreadCount() {
    // n and d chosen so the 64-row blocks and 4-column groups both have ragged ends.
    int n = 150;
    int d = 13;
    SplittableRandom rng = new SplittableRandom(3);
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * (1 + i % d) + 100);
    }
    FloatMatrix m = new FloatMatrix(n, d, v);
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        mean[f] += v[i * d + f] / (double) n;
      }
    }
    double[] one = Pca.covariance(m, mean, 1);
    double[] three = Pca.covariance(m, mean, 3);
    assertArrayEquals(one, three);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += (v[i * d + a] - mean[a]) * (v[i * d + b] - mean[b]);
        }
        assertEquals(s / (n - 1), one[a * d + b], 1e-9 * (1 + Math.abs(s)));
      }
    }
    PcaModel p1 = new Pca(new PcaConfig(4, false), 1).fit(m);
    PcaModel p3 = new Pca(new PcaConfig(4, false), 3).fit(m);
    assertArrayEquals(p1.components().data(), p3.components().data());
    assertArrayEquals(p1.transform(m, 1).data(), p3.transform(m, 3).data());
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PcaConfig(0, false));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Pca(new PcaConfig(13, false)).fit(x));
    assertTrue(e.getMessage().contains("components = 13"), e.getMessage());
    PcaModel model = new Pca(new PcaConfig(2, false)).fit(x);
    assertThrows(IllegalArgumentException.class, () -> model.transform(FloatMatrix.zeros(3, 5)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Pca(PcaConfig.defaults()).fit(FloatMatrix.zeros(1, 60)));
  }
}
