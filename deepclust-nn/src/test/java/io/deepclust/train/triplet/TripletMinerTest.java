package io.deepclust.train.triplet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.train.triplet.TripletMiner.NegativeMining;
import io.deepclust.util.Seeds;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TripletMinerTest {
  private static final TripletMiner.Config FAR = TripletMiner.Config.defaults();
  private static final TripletMiner.Config SEMI = FAR.withNegativeMining(NegativeMining.SEMI_HARD);

  /** n Gaussian points in d dimensions, optionally scaled to unit length. */
  private static FloatMatrix gaussian(int n, int d, boolean normalise, long seed) {
    SplittableRandom r = Seeds.stream(seed, "miner-test");
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double g = r.nextDouble() * 2 - 1 + (r.nextDouble() * 2 - 1);
        v[i * d + k] = (float) g;
        s += g * g;
      }
      if (normalise) {
        for (int k = 0; k < d; k++) {
          v[i * d + k] = (float) (v[i * d + k] / Math.sqrt(s));
        }
      }
    }
    return new FloatMatrix(n, d, v);
  }

  private static double dist(FloatMatrix m, int a, int b) {
    double s = 0;
    for (int k = 0; k < m.cols(); k++) {
      double t = (double) m.get(a, k) - m.get(b, k);
      s += t * t;
    }
    return Math.sqrt(s);
  }

  /**
   * Checks every triplet against brute-force double-precision distances: the positive is the
   * nearest other row (lowest index on ties), and the negative obeys the rule of {@code config}.
   */
  private static void checkAgainstBruteForce(
      FloatMatrix m, Triplets t, TripletMiner.Config config) {
    int n = m.rows();
    assertEquals(n, t.size());
    Set<Integer> order = new HashSet<>();
    for (int a : t.anchorOrder()) {
      order.add(a);
    }
    assertEquals(n, order.size(), "anchor order is a permutation");
    int below = 0;
    int fallbacks = 0;
    double thr = config.negativeThreshold();
    for (int a = 0; a < n; a++) {
      double[] da = new double[n];
      int nn = -1;
      for (int j = 0; j < n; j++) {
        da[j] = dist(m, a, j);
        if (j != a && (nn < 0 || da[j] < da[nn])) {
          nn = j;
        }
      }
      int p = t.positive()[a];
      int neg = t.negative()[a];
      assertNotEquals(a, p, "positive of " + a + " is the anchor itself");
      assertEquals(nn, p, "positive of anchor " + a);
      assertEquals(da[p], t.positiveDistance()[a], 1e-6);
      assertNotEquals(a, neg, "negative of " + a + " is the anchor");
      assertNotEquals(p, neg, "negative of " + a + " is its positive");
      assertEquals(da[neg], t.negativeDistance()[a], 1e-6);

      boolean bandExists = false;
      boolean farExists = false;
      int farthest = -1;
      for (int j = 0; j < n; j++) {
        if (j == a || j == p) {
          continue;
        }
        bandExists |= da[j] > da[p] && da[j] < da[p] + config.margin();
        farExists |= da[j] > thr;
        if (farthest < 0 || da[j] > da[farthest]) {
          farthest = j;
        }
      }
      boolean usedFar = true;
      if (config.negativeMining() == NegativeMining.SEMI_HARD) {
        if (bandExists) {
          usedFar = false;
          assertTrue(
              da[neg] > da[p] && da[neg] < da[p] + config.margin(),
              "semi-hard negative of " + a + " outside the band");
        } else {
          fallbacks++;
        }
      }
      if (usedFar) {
        if (farExists) {
          assertTrue(da[neg] > thr, "negative of " + a + " at " + da[neg] + " <= " + thr);
        } else {
          below++;
          assertEquals(farthest, neg, "no row beyond the threshold: the farthest row");
        }
      }
    }
    assertEquals(below, t.belowThreshold());
    assertEquals(fallbacks, t.semiHardFallbacks());
  }

  @ParameterizedTest
  @EnumSource(NegativeMining.class)
  void randomUnitVectorsMatchBruteForce(NegativeMining mining) {
    FloatMatrix m = gaussian(400, 8, true, 1);
    TripletMiner.Config c = FAR.withNegativeMining(mining);
    Triplets t = new TripletMiner(c).mine(m, 7);
    checkAgainstBruteForce(m, t, c);
  }

  @ParameterizedTest
  @EnumSource(NegativeMining.class)
  void unnormalisedDataInManySmallBlocksMatchesBruteForce(NegativeMining mining) {
    // 3 dimensions and many points: close neighbours and near ties; blocks of 7 rows
    FloatMatrix m = gaussian(600, 3, false, 2);
    TripletMiner.Config c = new TripletMiner.Config(mining, 1.5f, 0.5f, 4);
    Triplets t = new TripletMiner(c, 600 * 7).mine(m, 3);
    checkAgainstBruteForce(m, t, c);
  }

  @Test
  void farFromTheOriginFloatCancellationIsResolvedExactly() {
    // ||x||^2 ~ 2e6 makes the float expansion ||a||^2 + ||b||^2 - 2ab useless at spacings of
    // 1e-3; the exact re-check must still find the true neighbours
    SplittableRandom r = new SplittableRandom(5);
    int n = 60;
    float[] v = new float[n * 2];
    for (int i = 0; i < n; i++) {
      v[2 * i] = 1000f + (float) r.nextDouble() * 0.05f;
      v[2 * i + 1] = 1000f + (float) r.nextDouble() * 0.05f;
    }
    FloatMatrix m = new FloatMatrix(n, 2, v);
    for (TripletMiner.Config c :
        new TripletMiner.Config[] {
          new TripletMiner.Config(NegativeMining.RANDOM_FAR, 0.02f, 0.01f, 8),
          new TripletMiner.Config(NegativeMining.SEMI_HARD, 0.02f, 0.01f, 8)
        }) {
      checkAgainstBruteForce(m, new TripletMiner(c).mine(m, 11), c);
    }
  }

  @Test
  void duplicatesAreValidPositivesButNeverTheAnchorItself() {
    FloatMatrix m =
        FloatMatrix.of(
            new double[][] {{0, 0}, {0, 0}, {0, 0}, {3, 0}, {0, 4}, {0, 4}, {-1, 0}, {1, 0}});
    Triplets t = new TripletMiner(FAR).mine(m, 1);
    // three identical rows: each takes the lowest other duplicate
    assertEquals(1, t.positive()[0]);
    assertEquals(0, t.positive()[1]);
    assertEquals(0, t.positive()[2]);
    assertEquals(0f, t.positiveDistance()[2]);
    assertEquals(5, t.positive()[4]);
    assertEquals(4, t.positive()[5]);
    // row 6 at (-1,0): rows 0,1,2 at distance 1, tie to the lowest index
    assertEquals(0, t.positive()[6]);
    checkAgainstBruteForce(m, t, FAR);
  }

  @Test
  void thresholdIsStrictAndOnlyTheFarthestIsTakenWhenNothingQualifies() {
    // 1-d: anchor 0 at 0, positive 0.1, row 2 exactly at the threshold 0.5, rows 3, 4 beyond
    FloatMatrix m = FloatMatrix.of(new double[][] {{0}, {0.1}, {0.5}, {1.05}, {3}});
    Set<Integer> seen = new HashSet<>();
    Set<Integer> seenSemi = new HashSet<>();
    for (long seed = 0; seed < 40; seed++) {
      Triplets t = new TripletMiner(FAR).mine(m, seed);
      assertEquals(1, t.positive()[0]);
      seen.add(t.negative()[0]);
      Triplets s = new TripletMiner(SEMI).mine(m, seed);
      // band (0.1, 1.1): rows 2 and 3
      seenSemi.add(s.negative()[0]);
    }
    assertEquals(Set.of(3, 4), seen);
    assertEquals(Set.of(2, 3), seenSemi);

    // a tight cluster: nobody is farther than 0.5, so the farthest other row is the negative
    FloatMatrix tight = FloatMatrix.of(new double[][] {{0}, {0.1}, {0.15}, {0.3}, {0.2}});
    Triplets t = new TripletMiner(FAR).mine(tight, 3);
    assertEquals(5, t.belowThreshold());
    assertEquals(3, t.negative()[0]);
    assertEquals(0, t.negative()[3]);
    checkAgainstBruteForce(tight, t, FAR);
  }

  @Test
  void semiHardFallsBackToRandomFarWhenTheBandIsEmpty() {
    // anchor 0: positive row 1 at 0.1; others at >= 5, beyond 0.1 + margin 1
    FloatMatrix m = FloatMatrix.of(new double[][] {{0}, {0.1}, {5}, {6}, {7}});
    Triplets t = new TripletMiner(SEMI).mine(m, 2);
    assertTrue(t.semiHardFallbacks() >= 2, "anchors 0 and 1 have empty bands");
    assertTrue(t.negative()[0] >= 2);
    checkAgainstBruteForce(m, t, SEMI);
  }

  @Test
  void sameSeedSameTripletsOtherSeedOtherNegatives() {
    FloatMatrix m = gaussian(300, 6, true, 4);
    for (TripletMiner.Config c : new TripletMiner.Config[] {FAR, SEMI}) {
      Triplets a = new TripletMiner(c).mine(m, 99);
      Triplets b = new TripletMiner(c, 300 * 13).mine(m.copy(), 99);
      assertArrayEquals(a.anchorOrder(), b.anchorOrder());
      assertArrayEquals(a.positive(), b.positive());
      assertArrayEquals(a.negative(), b.negative());
      assertArrayEquals(a.negativeDistance(), b.negativeDistance());
      Triplets other = new TripletMiner(c).mine(m, 100);
      assertArrayEquals(a.positive(), other.positive(), "positives do not depend on the seed");
      assertFalse(Arrays.equals(a.negative(), other.negative()));
      assertFalse(Arrays.equals(a.anchorOrder(), other.anchorOrder()));
    }
  }

  @Test
  void badInputIsRejectedWithAnExplanation() {
    TripletMiner miner = new TripletMiner(FAR);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> miner.mine(FloatMatrix.of(new double[][] {{0}, {1}}), 1));
    assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
    FloatMatrix nan = FloatMatrix.of(new double[][] {{0, 0}, {1, 1}, {2, Double.NaN}});
    e = assertThrows(IllegalArgumentException.class, () -> miner.mine(nan, 1));
    assertTrue(e.getMessage().contains("row 2, column 1"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new TripletMiner.Config(NegativeMining.RANDOM_FAR, -1f, 1f, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TripletMiner.Config(NegativeMining.RANDOM_FAR, 0.5f, 0f, 4));
    assertEquals(NegativeMining.SEMI_HARD, NegativeMining.parse("Semi-Hard"));
    assertEquals(NegativeMining.RANDOM_FAR, NegativeMining.parse("random_far"));
    e = assertThrows(IllegalArgumentException.class, () -> NegativeMining.parse("hardest"));
    assertTrue(e.getMessage().contains("semi_hard"), e.getMessage());
  }
}
