package io.deepclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void computesAllMetricsInFixedOrder() {
    SplittableRandom random = new SplittableRandom(2);
    int n = 300;
    FloatMatrix x = InternalMetricsTest.randomMatrix(random, n, 5, 1f);
    int[] truth = new int[n];
    int[] pred = new int[n];
    for (int i = 0; i < n; i++) {
      truth[i] = i % 3;
      pred[i] = random.nextInt(10) < 8 ? truth[i] + 5 : random.nextInt(4);
      x.set(i, 0, x.get(i, 0) + 3 * truth[i]);
    }
    Evaluation e = Evaluation.of(x, truth, pred);
    assertEquals(Evaluation.KEYS, List.copyOf(e.metrics().keySet()));
    assertEquals(ExternalMetrics.accuracy(truth, pred), e.get("acc"));
    assertEquals(ExternalMetrics.ami(truth, pred), e.get("ami"));
    assertEquals(InternalMetrics.silhouette(x, pred), e.get("silhouette"));
    assertEquals(InternalMetrics.calinskiHarabasz(x, pred), e.get("calinski_harabasz"));
    assertEquals(7.0, e.get("n_clusters"));

    Evaluation sampled =
        Evaluation.of(x, null, pred, EvaluationOptions.defaults().withSilhouetteSample(100, 4));
    assertEquals(
        List.of("silhouette", "davies_bouldin", "calinski_harabasz", "n_clusters"),
        List.copyOf(sampled.metrics().keySet()));
    assertEquals(
        InternalMetrics.silhouette(x, pred, SilhouetteOptions.defaults().withSample(100, 4)),
        sampled.get("silhouette"));

    Evaluation external = Evaluation.of(null, truth, pred);
    assertEquals(
        List.of("acc", "nmi", "ari", "ami", "purity", "n_clusters"),
        List.copyOf(external.metrics().keySet()));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> external.get("silhouette"));
    assertTrue(missing.getMessage().contains("was not computed"), missing.getMessage());
  }

  @Test
  void undefinedInternalMetricsAreNaN() {
    FloatMatrix x = new FloatMatrix(3, 1, new float[] {0, 1, 2});
    Evaluation e = Evaluation.of(x, new int[] {0, 1, 1}, new int[] {4, 4, 4});
    assertTrue(Double.isNaN(e.get("silhouette")));
    assertTrue(Double.isNaN(e.get("davies_bouldin")));
    assertEquals(1.0, e.get("n_clusters"));
    assertEquals(0.0, e.get("nmi"));
  }

  @Test
  void mismatchedFeatureRowsAreRejected() {
    FloatMatrix x = new FloatMatrix(2, 1, new float[] {0, 1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Evaluation.of(x, null, new int[] {0, 1, 1}));
    assertTrue(e.getMessage().contains("features has 2 rows but pred has 3"), e.getMessage());
  }
}
