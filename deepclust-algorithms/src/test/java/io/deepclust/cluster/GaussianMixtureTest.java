package io.deepclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureConfig.Init;
import io.deepclust.cluster.GaussianMixtureConfig.InitialParameters;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ExternalMetrics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
  private static JsonNode fixture;

  @BeforeAll
  static void loadFixture() {
    fixture = GmmFixtures.load();
  }

  private static void assertClose(double expected, double actual, String what) {
    assertTrue(
        Math.abs(expected - actual) <= 1e-6 * Math.abs(expected) + 1e-9,
        what + ": expected " + expected + ", got " + actual);
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], what + "[" + i + "]");
    }
  }

  /** Compares a fit from the fixture's initial parameters with scikit-learn's. */
  private static void assertMatchesSklearn(String name, FloatMatrix x, int k, JsonNode fit) {
    String what = name + "/" + fit.get("covariance_type").asText();
    GaussianMixtureModel m = new GaussianMixture(GmmFixtures.config(fit, k, 2)).fitModel(x);
    assertEquals(fit.get("n_iter").asInt(), m.nIter(), what + " n_iter");
    assertEquals(fit.get("converged").asBoolean(), m.converged(), what + " converged");
    assertClose(fit.get("lower_bound").asDouble(), m.lowerBound(), what + " lower_bound");
    assertClose(GmmFixtures.doubles(fit.get("weights")), m.weights(), what + " weights");
    double[][] means = GmmFixtures.matrix(fit.get("means"));
    for (int j = 0; j < k; j++) {
      assertClose(means[j], m.means()[j], what + " means[" + j + "]");
    }
    assertClose(GmmFixtures.doubles(fit.get("covariances")), m.covariances(), what + " cov");
    assertClose(
        GmmFixtures.doubles(fit.get("precisions_cholesky")),
        m.precisionsCholesky(),
        what + " precisions_cholesky");
    if (fit.has("labels")) {
      assertArrayEquals(GmmFixtures.ints(fit.get("labels")), m.labels(), what + " labels");
    } else {
      String digits = fit.get("labels_digits").asText();
      int[] labels = m.labels();
      for (int i = 0; i < labels.length; i++) {
        assertEquals(digits.charAt(i) - '0', labels[i], what + " label " + i);
      }
    }
    assertEquals(fit.get("n_parameters").asInt(), m.nParameters(), what + " n_parameters");
    assertClose(fit.get("score").asDouble(), m.score(x), what + " score");
    assertClose(fit.get("bic").asDouble(), m.bic(x), what + " bic");
    assertClose(fit.get("aic").asDouble(), m.aic(x), what + " aic");

    FloatMatrix probe = FloatMatrix.of(GmmFixtures.matrix(fit.get("probe")));
    assertArrayEquals(GmmFixtures.ints(fit.get("probe_labels")), m.predict(probe), what);
    assertClose(
        GmmFixtures.doubles(fit.get("probe_score_samples")),
        m.scoreSamples(probe),
        what + " score_samples");
    double[][] proba = GmmFixtures.matrix(fit.get("probe_proba"));
    FloatMatrix p = m.predictProba(probe);
    for (int i = 0; i < proba.length; i++) {
      for (int j = 0; j < k; j++) {
        assertEquals(proba[i][j], p.get(i, j), 1e-6, what + " predict_proba[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void matchesSklearnFromFixedInitialParameters() {
    for (JsonNode c : fixture.get("cases")) {
      FloatMatrix x = FloatMatrix.of(GmmFixtures.matrix(c.get("x")));
      for (JsonNode fit : c.get("fits")) {
        assertMatchesSklearn(c.get("name").asText(), x, c.get("k").asInt(), fit);
      }
    }
  }

  @Test
  void matchesSklearnOn70000x10FullCovariance() {
    JsonNode c = fixture.get("large");
    FloatMatrix x = GmmFixtures.large();
    JsonNode check = c.get("x_checksum");
    double[][] first = GmmFixtures.matrix(check.get("first"));
    for (int i = 0; i < first.length; i++) {
      for (int f = 0; f < x.cols(); f++) {
        assertEquals((float) first[i][f], x.get(i, f), "regenerated x[" + i + "][" + f + "]");
      }
    }
    double sum = 0;
    for (float v : x.data()) {
      sum += v;
    }
    assertClose(check.get("sum").asDouble(), sum, "sum of the regenerated data");
    assertMatchesSklearn("large", x, c.get("k").asInt(), c.get("fits").get(0));
  }

  @Test
  void aDeadComponentStaysFiniteAsInSklearn() {
    JsonNode c = fixture.get("cases").get(2);
    assertEquals("dead_component", c.get("name").asText());
    FloatMatrix x = FloatMatrix.of(GmmFixtures.matrix(c.get("x")));
    for (JsonNode fit : c.get("fits")) {
      GaussianMixtureModel m = new GaussianMixture(GmmFixtures.config(fit, 4, 1)).fitModel(x);
      assertTrue(m.weights()[3] > 0 && m.weights()[3] < 1e-15, "weight " + m.weights()[3]);
      for (int label : m.labels()) {
        assertTrue(label >= 0 && label < 3);
      }
      for (double v : m.covariances()) {
        assertTrue(Double.isFinite(v));
      }
      assertTrue(Double.isFinite(m.score(x)));
    }
  }

  /** Well-separated blobs at the corners of a 25-unit cube (bits of j), and their true labels. */
  static FloatMatrix blobs(int n, int d, int k, long seed, int[] truth) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      int j = i % k;
      truth[i] = j;
      for (int f = 0; f < d; f++) {
        double centre = 25.0 * ((j >> f) & 1);
        v[i * d + f] = (float) (centre + (1 + 0.5 * f / d) * rng.nextGaussian());
      }
    }
    return new FloatMatrix(n, d, v);
  }

  @Test
  void recoversSeparatedBlobsFromEveryInit() {
    int[] truth = new int[400];
    FloatMatrix x = blobs(400, 3, 4, 7, truth);
    for (CovarianceType type : CovarianceType.values()) {
      for (Init init : Init.values()) {
        GaussianMixtureConfig cfg =
            GaussianMixtureConfig.defaults()
                .withK(4)
                .withCovarianceType(type)
                .withInit(init)
                .withNInit(init == Init.KMEANS ? 1 : 5)
                .withSeed(3)
                .withThreads(1);
        GaussianMixtureModel m = new GaussianMixture(cfg).fitModel(x);
        double ari = ExternalMetrics.ari(truth, m.labels());
        if (init == Init.RANDOM) {
          // Random responsibilities start every component near the global mean; as in sklearn,
          // EM may stop (tol 1e-3) before the symmetry breaks, so only validity is checked.
          assertTrue(Double.isFinite(m.lowerBound()) && ari > -0.5, type + " random: " + ari);
        } else {
          assertEquals(1.0, ari, 1e-12, type + " / " + init + ": ARI " + ari);
          assertTrue(m.converged(), type + " / " + init);
        }
        assertArrayEquals(m.labels(), m.predict(x));
        FloatMatrix p = m.predictProba(x);
        for (int i = 0; i < x.rows(); i++) {
          double s = 0;
          for (int j = 0; j < 4; j++) {
            s += p.get(i, j);
          }
          assertEquals(1.0, s, 1e-5);
        }
      }
    }
  }

  @Test
  void fitReportsAHardClustering() {
    int[] truth = new int[300];
    FloatMatrix x = blobs(300, 2, 3, 11, truth);
    GaussianMixture gm = new GaussianMixture(GaussianMixtureConfig.defaults().withK(3));
    ClusterResult r = gm.fit(x);
    GaussianMixtureModel m = gm.fitModel(x);
    assertArrayEquals(m.labels(), r.labels());
    assertEquals(m.nIter(), r.iterations());
    double inertia = 0;
    for (int i = 0; i < x.rows(); i++) {
      for (int f = 0; f < 2; f++) {
        assertEquals((float) m.means()[r.labels()[i]][f], r.centers().get(r.labels()[i], f));
        double e = x.get(i, f) - m.means()[r.labels()[i]][f];
        inertia += e * e;
      }
    }
    assertEquals(inertia, r.inertia(), 1e-9 * inertia);
  }

  @Test
  void seededAndThreadCountIndependent() {
    int[] truth = new int[3000];
    FloatMatrix x = blobs(3000, 4, 5, 5, truth);
    for (Init init : Init.values()) {
      GaussianMixtureConfig cfg =
          GaussianMixtureConfig.defaults().withK(5).withInit(init).withNInit(2).withSeed(42);
      GaussianMixtureModel a = new GaussianMixture(cfg.withThreads(1)).fitModel(x);
      GaussianMixtureModel b = new GaussianMixture(cfg.withThreads(3)).fitModel(x);
      GaussianMixtureModel c = new GaussianMixture(cfg.withThreads(1)).fitModel(x);
      for (GaussianMixtureModel o : new GaussianMixtureModel[] {b, c}) {
        assertArrayEquals(a.weights(), o.weights(), init.toString());
        assertArrayEquals(a.covariances(), o.covariances(), init.toString());
        assertArrayEquals(a.labels(), o.labels(), init.toString());
        assertEquals(a.lowerBound(), o.lowerBound());
        assertEquals(a.nIter(), o.nIter());
        assertEquals(a.bestRun(), o.bestRun());
      }
    }
  }

  @Test
  void moreComponentsThanDistinctPointsIsAnError() {
    float[] same = new float[20 * 3];
    java.util.Arrays.fill(same, 2.5f);
    FloatMatrix equal = new FloatMatrix(20, 3, same);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianMixture(GaussianMixtureConfig.defaults().withK(3)).fit(equal));
    assertTrue(e.getMessage().contains("all 20 samples are equal"), e.getMessage());
    assertTrue(e.getMessage().contains("choose k <= 1"), e.getMessage());

    // k = 1 on equal points is well defined: covariance regCovar * I.
    GaussianMixtureModel one =
        new GaussianMixture(GaussianMixtureConfig.defaults().withK(1)).fitModel(equal);
    assertEquals(1e-6, one.covariance(0)[1][1], 1e-18);
    assertEquals(0.0, one.covariance(0)[0][1], 1e-20);
    assertTrue(Double.isFinite(one.lowerBound()));

    float[] two = new float[10 * 2];
    for (int i = 0; i < 10; i++) {
      two[i * 2] = i % 2;
    }
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GaussianMixture(GaussianMixtureConfig.defaults().withK(3))
                    .fit(new FloatMatrix(10, 2, two)));
    assertTrue(e.getMessage().contains("2 distinct points"), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianMixture(GaussianMixtureConfig.defaults().withK(5)).fit(equal.copy()));
    assertTrue(e.getMessage().contains("k = 5"), e.getMessage());
    FloatMatrix tiny = new FloatMatrix(2, 1, new float[] {0, 1});
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianMixture(GaussianMixtureConfig.defaults().withK(3)).fit(tiny));
    assertTrue(e.getMessage().contains("n = 2"), e.getMessage());
  }

  @Test
  void singularCovarianceWithoutRegularisationIsAnError() {
    float[] v = new float[40 * 2];
    for (int i = 0; i < 40; i++) {
      v[i * 2] = i;
      v[i * 2 + 1] = 0; // constant feature: zero variance (exactly, as its mean is 0)
    }
    FloatMatrix x = new FloatMatrix(40, 2, v);
    // (spherical averages the variances over features, which stays positive)
    for (CovarianceType type :
        new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED, CovarianceType.DIAG}) {
      GaussianMixtureConfig cfg =
          GaussianMixtureConfig.defaults().withK(1).withRegCovar(0).withCovarianceType(type);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> new GaussianMixture(cfg).fit(x), type::name);
      assertTrue(e.getMessage().contains("increase regCovar"), type + ": " + e.getMessage());
      // The default regularisation keeps it positive definite.
      assertTrue(Double.isFinite(new GaussianMixture(cfg.withRegCovar(1e-6)).fitModel(x).score(x)));
    }
  }

  @Test
  void badInputsAndParametersAreClearErrors() {
    FloatMatrix nan = new FloatMatrix(3, 1, new float[] {0, Float.NaN, 1});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new GaussianMixture(GaussianMixtureConfig.defaults().withK(1)).fit(nan));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());

    FloatMatrix x = FloatMatrix.of(new double[][] {{0, 0}, {1, 0}, {0, 1}, {5, 5}});
    GaussianMixtureConfig cfg = GaussianMixtureConfig.defaults().withK(2);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GaussianMixture(
                        cfg.withInitialParameters(
                            new InitialParameters(new double[] {0.5, 0.6}, null, null)))
                    .fit(x));
    assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GaussianMixture(
                        cfg.withInitialParameters(
                            new InitialParameters(
                                null, new double[][] {{0, 0, 0}, {1, 1, 1}}, null)))
                    .fit(x));
    assertTrue(e.getMessage().contains("give d = 2"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GaussianMixture(
                        cfg.withInitialParameters(
                            new InitialParameters(null, null, new double[] {1, 0, 0, 1})))
                    .fit(x));
    assertTrue(e.getMessage().contains("give 8"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new GaussianMixture(
                        cfg.withInitialParameters(
                            new InitialParameters(
                                null, null, new double[] {1, 0, 0, -1, 1, 0, 0, 1})))
                    .fit(x));
    assertTrue(e.getMessage().contains("positive definite"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> cfg.withK(0));
    assertThrows(IllegalArgumentException.class, () -> cfg.withRegCovar(-1));
    assertThrows(IllegalArgumentException.class, () -> cfg.withTol(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> cfg.withMaxIter(0));
    assertThrows(IllegalArgumentException.class, () -> cfg.withNInit(0));
    e = assertThrows(IllegalArgumentException.class, () -> CovarianceType.parse("banded"));
    assertTrue(e.getMessage().contains("full, tied, diag or spherical"), e.getMessage());
    assertEquals(Init.K_MEANS_PLUS_PLUS, Init.parse("k-means++"));

    GaussianMixtureModel m = new GaussianMixture(cfg).fitModel(x);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> m.predict(new FloatMatrix(1, 3, new float[3])));
    assertTrue(e.getMessage().contains("fitted on 2"), e.getMessage());
  }
}
