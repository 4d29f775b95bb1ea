package io.deepclust.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.metrics.SilhouetteOptions;
import org.junit.jupiter.api.Test;

class SelectKTest {
  private static FloatMatrix blobs(int n, int d, int k, long seed, int[] truth) {
    return GaussianMixtureTest.blobs(n, d, k, seed, truth);
  }

  private static GaussianMixture gmm(int k) {
    return new GaussianMixture(GaussianMixtureConfig.defaults().withK(k).withSeed(3));
  }

  @Test
  void bicFindsTheFiveBlobsAndEachScoreIsThatMixturesBic() {
    int[] truth = new int[1500];
    FloatMatrix x = blobs(1500, 3, 5, 1, truth);
    SelectK s =
        new SelectK(
            SelectKTest::gmm,
            new int[] {2, 3, 4, 5, 6, 7, 8},
            SelectK.Criterion.BIC,
            SilhouetteOptions.defaults());
    Clusterer.Fitted f = s.fitPredictor(x);
    assertEquals(5, f.result().k(), s.lastSummary());
    assertTrue(ExternalMetrics.accuracy(truth, f.result().labels()) > 0.99);
    assertEquals(7, s.lastScores().size());
    for (SelectK.Score sc : s.lastScores()) {
      GaussianMixtureModel alone = gmm(sc.k()).fitModel(x);
      assertEquals(alone.bic(x), sc.score(), 1e-6 * Math.abs(sc.score()), "k=" + sc.k());
    }
    assertTrue(s.lastSummary().startsWith("k chosen by bic: k=2 "), s.lastSummary());
    assertTrue(s.lastSummary().contains("k=5 "), s.lastSummary());
    assertTrue(s.lastSummary().matches(".*k=5 [-0-9.e+]+ \\(chosen\\).*"), s.lastSummary());
    // the winner predicts new rows with its own rule
    assertEquals(f.result().labels()[0], f.predict().apply(x.selectRows(new int[] {0}))[0]);
  }

  @Test
  void silhouetteSizesKMeans() {
    int[] truth = new int[1200];
    FloatMatrix x = blobs(1200, 3, 6, 2, truth);
    SelectK s =
        new SelectK(
            k -> new KMeans(KMeansConfig.defaults().withK(k).withNInit(4).withSeed(5)),
            new int[] {3, 4, 5, 6, 7, 8},
            SelectK.Criterion.SILHOUETTE,
            SilhouetteOptions.defaults().withSample(600, 9));
    assertEquals(6, s.fit(x).k(), s.lastSummary());
    assertTrue(ExternalMetrics.accuracy(truth, s.fit(x).labels()) > 0.99);
  }

  @Test
  void aKThatCannotBeFittedIsLeftOutAndNoScoredKIsAnError() {
    int[] truth = new int[600];
    FloatMatrix x = blobs(600, 3, 4, 3, truth);
    SelectK s =
        new SelectK(
            k -> {
              if (k == 5) {
                return m -> {
                  throw new IllegalArgumentException("covariance not positive definite");
                };
              }
              return gmm(k);
            },
            new int[] {3, 4, 5},
            SelectK.Criterion.SILHOUETTE,
            SilhouetteOptions.defaults());
    assertEquals(4, s.fit(x).k(), s.lastSummary());
    assertTrue(
        s.lastSummary().contains("k=5 not scored (covariance not positive definite)"),
        s.lastSummary());
    SelectK none =
        new SelectK(
            k ->
                m -> {
                  throw new IllegalArgumentException("nope");
                },
            new int[] {2, 3},
            SelectK.Criterion.SILHOUETTE,
            SilhouetteOptions.defaults());
    var e = assertThrows(IllegalArgumentException.class, () -> none.fit(x));
    assertTrue(e.getMessage().startsWith("no candidate k could be scored"), e.getMessage());
  }

  @Test
  void badUsesAreRefused() {
    FloatMatrix x = blobs(20, 2, 2, 1, new int[20]);
    SelectK bicOfKMeans =
        new SelectK(
            k -> new KMeans(KMeansConfig.defaults().withK(k)),
            new int[] {2, 3},
            SelectK.Criterion.BIC,
            SilhouetteOptions.defaults());
    var e = assertThrows(IllegalArgumentException.class, () -> bicOfKMeans.fit(x));
    assertTrue(e.getMessage().contains("bic needs a Gaussian mixture"), e.getMessage());
    SelectK tooMany =
        new SelectK(
            SelectKTest::gmm,
            new int[] {2, 30},
            SelectK.Criterion.BIC,
            SilhouetteOptions.defaults());
    e = assertThrows(IllegalArgumentException.class, () -> tooMany.fit(x));
    assertTrue(e.getMessage().contains("candidate k 30 is more than the 20 rows"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SelectK(
                SelectKTest::gmm,
                new int[] {1},
                SelectK.Criterion.BIC,
                SilhouetteOptions.defaults()));
    assertEquals(SelectK.Criterion.SILHOUETTE, SelectK.Criterion.parse("silhouette"));
    assertThrows(IllegalArgumentException.class, () -> SelectK.Criterion.parse("aic"));
  }
}
