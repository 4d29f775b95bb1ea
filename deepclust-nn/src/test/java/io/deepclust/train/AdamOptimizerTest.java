package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {
  private static final float[] W0 = {0.5f, -1.0f, 2.0f, 0.1f};

  private static float[] grad(int t) {
    return new float[] {0.1f * t - 0.2f, 1.0f / t, -0.5f, 1e-4f * t};
  }

  /** torch.optim.Adam, in double. */
  private static double[] reference(AdamConfig c, int steps) {
    double[] w = new double[W0.length];
    double[] m = new double[W0.length];
    double[] v = new double[W0.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = W0[i];
    }
    for (int t = 1; t <= steps; t++) {
      float[] g = grad(t);
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + c.weightDecay() * w[i];
        m[i] = c.beta1() * m[i] + (1 - c.beta1()) * gi;
        v[i] = c.beta2() * v[i] + (1 - c.beta2()) * gi * gi;
        double mHat = m[i] / (1 - Math.pow(c.beta1(), t));
        double vHat = v[i] / (1 - Math.pow(c.beta2(), t));
        w[i] -= c.learningRate() * mHat / (Math.sqrt(vHat) + c.epsilon());
      }
    }
    return w;
  }

  private static float[] run(Optimizer opt, int steps) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(W0.clone());
      w.setRequiresGradient(true);
      for (int t = 1; t <= steps; t++) {
        try (NDArray g = manager.create(grad(t))) {
          opt.update("w", w, g);
        }
      }
      return w.toFloatArray();
    }
  }

  @Test
  void matchesHandComputedTorchAdam() {
    for (AdamConfig c :
        new AdamConfig[] {
          AdamConfig.defaults(),
          new AdamConfig(0.05f, 0.8f, 0.99f, 1e-3f, 0.01f),
          // large eps: where PyTorch's and DJL's epsilon placement differ most
          new AdamConfig(0.01f, 0.9f, 0.999f, 0.1f, 0f)
        }) {
      AdamOptimizer opt = new AdamOptimizer(c);
      float[] got = run(opt, 7);
      double[] want = reference(c, 7);
      for (int i = 0; i < got.length; i++) {
        assertEquals(want[i], got[i], 1e-6, "element " + i + " with " + c);
      }
      assertEquals(7, opt.stepCount("w"));
    }
  }

  @Test
  void agreesWithDjlAdamWhereEpsilonIsNegligible() {
    float[] ours = run(new AdamOptimizer(AdamConfig.withLearningRate(0.01f)), 5);
    float[] djl = run(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build(), 5);
    // elements 0-2 have gradients ~0.1-1, so sqrt(v) >> eps and the epsilon placement is moot
    for (int i = 0; i < 3; i++) {
      assertEquals(djl[i], ours[i], 1e-6, "element " + i);
    }
    // element 3 has gradients ~1e-4: at t = 1 sqrt(v) = 3e-6 and DJL's eps (1e-8, not scaled by
    // sqrt(1 - beta2^t)) shows; we follow torch there (see matchesHandComputedTorchAdam)
    assertTrue(Math.abs(djl[3] - ours[3]) > 1e-6);
  }
}
