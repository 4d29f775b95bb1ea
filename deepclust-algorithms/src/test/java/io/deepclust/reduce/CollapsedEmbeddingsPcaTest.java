package io.deepclust.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: collapsed embeddings (all rows equal, or rank 1) made the randomized PCA fail with "QR
 * of a 100x60 matrix failed". Both PCAs now do what scikit-learn 1.2.1's {@code PCA} does (checked
 * with svd_solver "full" and "randomized"): all rows equal give explained variance 0 and scores 0
 * for every component; rank-1 rows give one component with all the variance and further ones with
 * ~0. Ratios are 0 where scikit-learn gives NaN (0 / 0).
 */
class CollapsedEmbeddingsPcaTest {
  static final int N = 100;
  static final int D = 70;
  static final int K = 50; // sketch l = min(50 + 10, 100, 70) = 60: the reported 100 x 60 QR

  static FloatMatrix allEqual() {
    float[] v = new float[N * D];
    for (int i = 0; i < N; i++) {
      for (int f = 0; f < D; f++) {
        v[i * D + f] = 0.25f + f * 0.125f;
      }
    }
    return new FloatMatrix(N, D, v);
  }

  /** Row i is (i - 50) times a fixed direction: rank 1 after centring. */
  static FloatMatrix rankOne() {
    float[] v = new float[N * D];
    for (int i = 0; i < N; i++) {
      for (int f = 0; f < D; f++) {
        v[i * D + f] = (i - 50) * ((f % 7) - 3) * 0.5f;
      }
    }
    return new FloatMatrix(N, D, v);
  }

  record Fit(String name, PcaModel model, FloatMatrix scores) {}

  static List<Fit> fits(FloatMatrix x, boolean whiten) {
    List<Fit> out = new ArrayList<>();
    Pca exact = new Pca(new PcaConfig(K, whiten), 2);
    PcaModel m = exact.fit(x);
    out.add(new Fit("exact", m, m.transform(x)));
    RandomizedPca randomized = new RandomizedPca(new RandomizedPcaConfig(K, whiten, 10, -1, 7L));
    out.add(new Fit("randomized", randomized.fit(x), randomized.fitTransform(x)));
    return out;
  }

  static void assertOrthonormalRows(String name, FloatMatrix c) {
    for (int a = 0; a < c.rows(); a++) {
      for (int b = a; b < c.rows(); b++) {
        double dot = 0;
        for (int f = 0; f < c.cols(); f++) {
          dot += (double) c.get(a, f) * c.get(b, f);
        }
        assertEquals(a == b ? 1.0 : 0.0, dot, 1e-4, name + ": components " + a + ", " + b);
      }
    }
  }

  @Test
  void allRowsEqualGiveZeroVarianceAndZeroScoresInBothPcas() {
    FloatMatrix x = allEqual();
    for (boolean whiten : new boolean[] {false, true}) {
      for (Fit fit : fits(x, whiten)) {
        PcaModel m = fit.model();
        assertEquals(K, m.k(), fit.name());
        assertArrayEquals(new double[K], m.explainedVariance(), 1e-12, fit.name());
        assertArrayEquals(new double[K], m.explainedVarianceRatio(), 0.0, fit.name());
        assertOrthonormalRows(fit.name(), m.components());
        for (float s : fit.scores().data()) {
          assertEquals(0f, s, 1e-5f, fit.name() + " score");
        }
      }
    }
  }

  @Test
  void rankOneGivesOneComponentAndZeroVarianceBeyondInBothPcas() {
    FloatMatrix x = rankOne();
    // variance along the one direction: sum_i (i - 49.5)^2 / 99 * |u|^2 * 0.25
    double totalVariance = 0;
    for (int f = 0; f < D; f++) {
      double u = ((f % 7) - 3) * 0.5;
      double var = 0;
      for (int i = 0; i < N; i++) {
        double e = (i - 49.5) * u;
        var += e * e;
      }
      totalVariance += var / (N - 1);
    }
    for (Fit fit : fits(x, false)) {
      PcaModel m = fit.model();
      double[] ev = m.explainedVariance();
      assertEquals(totalVariance, ev[0], totalVariance * 1e-5, fit.name());
      assertEquals(1.0, m.explainedVarianceRatio()[0], 1e-5, fit.name());
      for (int j = 1; j < K; j++) {
        assertEquals(0.0, ev[j], totalVariance * 1e-6, fit.name() + " component " + j);
        assertTrue(Double.isFinite(m.explainedVarianceRatio()[j]), fit.name());
      }
      assertOrthonormalRows(fit.name(), m.components());
      FloatMatrix s = fit.scores();
      double scale = Math.sqrt(totalVariance);
      double norm = Math.sqrt(totalVariance * (N - 1) / 83_325.0); // |u|, sum (i - 49.5)^2 = 83325
      for (int i = 0; i < N; i++) {
        assertEquals(
            Math.abs(i - 49.5) * norm, Math.abs(s.get(i, 0)), 1e-4 * scale, fit.name() + " " + i);
        for (int j = 1; j < K; j++) {
          assertEquals(0.0, s.get(i, j), 1e-3 * scale, fit.name() + " score " + i + "," + j);
        }
      }
    }
  }

  @Test
  void householderQIsOrthonormalForZeroAndRankOneInput() {
    FloatMatrix zero = new FloatMatrix(100, 60, new float[6000]);
    FloatMatrix q = RandomizedPca.householderQ(zero);
    assertOrthonormalColumns(q);
    float[] r1 = new float[6000];
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j < 60; j++) {
        r1[i * 60 + j] = (i - 40) * (j + 1) * 1e-3f;
      }
    }
    assertOrthonormalColumns(RandomizedPca.householderQ(new FloatMatrix(100, 60, r1)));
  }

  static void assertOrthonormalColumns(FloatMatrix q) {
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
}
