package io.deepclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.deepclust.linalg.FloatMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HamerlyAssignerTest {

  @Test
  void boundedAssignmentEqualsBruteForceAsCentresMove() {
    FloatMatrix x = KMeansTest.randomData(3000, 9, 21);
    KMeans.Data data = KMeans.Data.of(x);
    int k = 12;
    int d = data.d;
    SplittableRandom rng = new SplittableRandom(4);
    float[] centres = new float[k * d];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) (rng.nextGaussian() * 4);
    }
    HamerlyAssigner assigner = new HamerlyAssigner(data.x, data.norms, data.n, d, k);
    int[] bounded = new int[data.n];
    int[] brute = new int[data.n];
    for (int step = 0; step < 30; step++) {
      assigner.assign(centres, bounded);
      DotKernel.assign(
          data.x, d, 0, data.n, centres, DotKernel.squaredNorms(centres, k, d), k, brute);
      assertArrayEquals(brute, bounded, "step " + step);
      // Shrinking random moves, like Lloyd's centres settling; one centre sometimes jumps.
      double scale = 2.0 / (1 + step);
      for (int i = 0; i < centres.length; i++) {
        centres[i] += (float) (rng.nextGaussian() * scale);
      }
      if (step % 7 == 3) {
        centres[rng.nextInt(k) * d] += 20f;
      }
    }
  }
}
