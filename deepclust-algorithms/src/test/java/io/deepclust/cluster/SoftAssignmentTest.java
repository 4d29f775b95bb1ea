package io.deepclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.deepclust.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

/** q, p, argmax and the label-change fraction against values worked out by hand. */
class SoftAssignmentTest {

  @Test
  void studentTWithAlphaOneIsOneOverOnePlusSquaredDistance() {
    // d² = 0 and 1: kernel 1 and 1/2, so q = (2/3, 1/3)
    FloatMatrix z = FloatMatrix.of(new double[][] {{0, 0}});
    FloatMatrix mu = FloatMatrix.of(new double[][] {{0, 0}, {1, 0}});
    FloatMatrix q = SoftAssignment.q(z, mu, 1.0, SoftAssignment.Kernel.STUDENT_T);
    assertArrayEquals(new float[] {2f / 3, 1f / 3}, q.data(), 1e-7f);
  }

  @Test
  void alphaAndKernelChangeTheExponent() {
    // d² = 0 and 2, α = 2: 1 + d²/α = 1 and 2
    FloatMatrix z = FloatMatrix.of(new double[][] {{0, 0}});
    FloatMatrix mu = FloatMatrix.of(new double[][] {{0, 0}, {1, 1}});
    // Student's t: exponent -(α+1)/2 = -1.5: 2^-1.5 = 0.353553
    double t = Math.pow(2, -1.5);
    assertArrayEquals(
        new float[] {(float) (1 / (1 + t)), (float) (t / (1 + t))},
        SoftAssignment.q(z, mu, 2.0, SoftAssignment.Kernel.STUDENT_T).data(),
        1e-7f);
    // paper 003's eq. 1 as written: exponent -1: 1/2, so q = (2/3, 1/3)
    assertArrayEquals(
        new float[] {2f / 3, 1f / 3},
        SoftAssignment.q(z, mu, 2.0, SoftAssignment.Kernel.INVERSE).data(),
        1e-7f);
  }

  @Test
  void targetDistributionSquaresAndDividesByClusterFrequency() {
    // f = (1.2, 0.8); row 1: w = (0.64/1.2, 0.04/0.8) = (0.53333, 0.05) -> p = (0.914286,
    // 0.085714); row 2: w = (0.16/1.2, 0.36/0.8) = (0.133333, 0.45) -> p = (0.228571, 0.771429)
    FloatMatrix q = FloatMatrix.of(new double[][] {{0.8, 0.2}, {0.4, 0.6}});
    FloatMatrix p = SoftAssignment.targetDistribution(q);
    assertArrayEquals(new float[] {0.914286f, 0.085714f, 0.228571f, 0.771429f}, p.data(), 1e-6f);
  }

  @Test
  void anUnusedClusterGetsNoTargetMass() {
    FloatMatrix q = FloatMatrix.of(new double[][] {{1, 0}, {1, 0}});
    assertArrayEquals(new float[] {1, 0, 1, 0}, SoftAssignment.targetDistribution(q).data());
  }

  @Test
  void argmaxAndChangedFraction() {
    FloatMatrix q = FloatMatrix.of(new double[][] {{0.2, 0.8}, {0.5, 0.5}, {0.9, 0.1}});
    assertArrayEquals(new int[] {1, 0, 0}, SoftAssignment.argmax(q));
    assertEquals(1.0 / 3, SoftAssignment.changedFraction(new int[] {1, 1, 0}, new int[] {1, 0, 0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> SoftAssignment.changedFraction(new int[] {1}, new int[] {1, 2}));
  }

  @Test
  void headClustererLabelsByArgmaxAndGivesQAsProbabilities() {
    FloatMatrix mu = FloatMatrix.of(new double[][] {{0, 0}, {10, 0}});
    HeadClusterer h = new HeadClusterer(mu, 1.0, SoftAssignment.Kernel.STUDENT_T);
    Clusterer.Fitted f = h.fitPredictor(FloatMatrix.of(new double[][] {{1, 0}, {9, 0}}));
    assertArrayEquals(new int[] {0, 1}, f.result().labels());
    assertNotNull(f.predictProba());
    FloatMatrix proba = f.predictProba().apply(FloatMatrix.of(new double[][] {{0, 0}}));
    // d² = 0 and 100: q = (1, 1/101) / (1 + 1/101)
    assertEquals(101f / 102, proba.get(0, 0), 1e-6f);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> h.fit(FloatMatrix.of(new double[][] {{1, 0, 0}})));
    assertEquals(true, e.getMessage().contains("reduce: none"), e.getMessage());
  }
}
