package io.deepclust.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.BlockedMatrixProducts;
import io.deepclust.reduce.MatrixProducts;
import io.deepclust.reduce.PcaModel;
import io.deepclust.reduce.RandomizedPca;
import io.deepclust.reduce.RandomizedPcaConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchMatrixProductsTest {
  private static TorchMatrixProducts torch;

  @BeforeAll
  static void open() {
    // Small blocks so that every product spans several blocks and a partial last one.
    torch = new TorchMatrixProducts(Device.cpu(), 128);
  }

  @AfterAll
  static void close() {
    torch.close();
  }

  private static FloatMatrix gaussian(int rows, int cols, SplittableRandom random, double shift) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (shift + random.nextGaussian());
    }
    return new FloatMatrix(rows, cols, v);
  }

  private static void assertMatrixClose(FloatMatrix expected, FloatMatrix actual, double tol) {
    assertEquals(expected.rows(), actual.rows());
    assertEquals(expected.cols(), actual.cols());
    for (int i = 0; i < expected.data().length; i++) {
      float e = expected.data()[i];
      assertEquals(e, actual.data()[i], tol * (1 + Math.abs(e)), "element " + i);
    }
  }

  @Test
  void matchesJavaProducts() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 300;
    int d = 97;
    int l = 9;
    FloatMatrix x = gaussian(n, d, random, 2.0);
    double[] mean = new double[d];
    for (int f = 0; f < d; f++) {
      mean[f] = 2.0 + 0.1 * random.nextGaussian();
    }
    FloatMatrix w = gaussian(d, l, random, 0.0);
    FloatMatrix y = gaussian(n, l, random, 0.0);
    MatrixProducts java = new BlockedMatrixProducts(2);
    for (double[] m : new double[][] {mean, null}) {
      assertMatrixClose(java.centredTimes(x, m, w), torch.centredTimes(x, m, w), 1e-4);
      assertMatrixClose(
          java.centredTransposeTimes(x, m, y), torch.centredTransposeTimes(x, m, y), 1e-4);
    }
    // The input is not modified by the in-place centring of the native block.
    FloatMatrix before = x.copy();
    torch.centredTimes(x, mean, w);
    assertArrayEquals(before.data(), x.data());
  }

  @Test
  void randomizedPcaOnTorchAgreesWithJava() {
    SplittableRandom random = new SplittableRandom(8);
    int n = 400;
    int d = 80;
    float[] v = new float[n * d];
    double[][] basis = new double[3][d];
    for (double[] b : basis) {
      for (int f = 0; f < d; f++) {
        b[f] = random.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      double z0 = 5 * random.nextGaussian();
      double z1 = 3 * random.nextGaussian();
      double z2 = 2 * random.nextGaussian();
      for (int f = 0; f < d; f++) {
        v[i * d + f] =
            (float)
                (1
                    + z0 * basis[0][f]
                    + z1 * basis[1][f]
                    + z2 * basis[2][f]
                    + 0.2 * random.nextGaussian());
      }
    }
    FloatMatrix x = new FloatMatrix(n, d, v);
    RandomizedPcaConfig cfg = new RandomizedPcaConfig(3, false, 10, 3, 5);
    PcaModel java = new RandomizedPca(cfg, new BlockedMatrixProducts(2)).fit(x);
    RandomizedPca onTorch = new RandomizedPca(cfg, torch);
    PcaModel fromTorch = onTorch.fit(x);
    for (int j = 0; j < 3; j++) {
      assertEquals(
          java.explainedVariance()[j],
          fromTorch.explainedVariance()[j],
          1e-5 * java.explainedVariance()[j]);
    }
    assertMatrixClose(java.components(), fromTorch.components(), 1e-4);
    // Repeatable on the same device and settings.
    assertArrayEquals(fromTorch.components().data(), onTorch.fit(x).components().data());
    assertMatrixClose(java.transform(x, 2), onTorch.transform(fromTorch, x), 1e-3);
  }
}
