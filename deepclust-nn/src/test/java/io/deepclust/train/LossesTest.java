package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.deepclust.train.ReconstructionPhase.LossKind;
import org.junit.jupiter.api.Test;

class LossesTest {
  @Test
  void binaryCrossEntropyIsTheMeanOverAllElements() {
    float[] p = {0.9f, 0.2f, 0.5f, 0.7f, 0.01f, 0.99f};
    float[] t = {1f, 0f, 0.5f, 0.3f, 0f, 1f};
    double want = 0;
    for (int i = 0; i < p.length; i++) {
      want -= t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i]);
    }
    want /= p.length;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pa = m.create(p, new Shape(2, 1, 1, 3));
      NDArray ta = m.create(t, new Shape(2, 1, 1, 3));
      assertEquals(want, Losses.binaryCrossEntropy(pa, ta).getFloat(), 1e-6);
      double mse = 0;
      for (int i = 0; i < p.length; i++) {
        mse += (p[i] - t[i]) * (p[i] - t[i]);
      }
      assertEquals(mse / p.length, Losses.meanSquaredError(pa, ta).getFloat(), 1e-7);
      // saturated sigmoid: finite thanks to the clip
      NDArray sat = m.create(new float[] {0f, 1f});
      NDArray tgt = m.create(new float[] {1f, 0f});
      float v = Losses.binaryCrossEntropy(sat, tgt).getFloat();
      // log(1e-7) = -16.12; 1 - 1e-7 rounds to 1 - 1.19e-7 in float32, so the other term is -15.94
      assertEquals(16.03, v, 0.01);
    }
  }

  @Test
  void lossKindParses() {
    assertEquals(LossKind.BCE, LossKind.parse(" BCE "));
    assertEquals(LossKind.MSE, LossKind.parse("mse"));
    assertThrows(IllegalArgumentException.class, () -> LossKind.parse("l1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ReconstructionPhase.Config("pre/train", 1, LossKind.BCE));
    assertThrows(
        IllegalArgumentException.class, () -> new ReconstructionPhase.Config("p", 0, LossKind.BCE));
  }
}
