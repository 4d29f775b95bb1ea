package io.deepclust.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Locale;

/**
 * Checks this machine's libtorch convolution against a direct sum: for each shape, the largest
 * error of the input gradient over 6 calls, with DJL's {@code Conv2d.conv2d} as it is and through
 * {@link PaddedConv2d}. Not a test (it reports whatever the machine does); run it on new hardware:
 *
 * <pre>
 * cd deepclust-nn && mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Dai.djl.pytorch.num_threads=2 -cp target/classes:target/test-classes:$(cat cp.txt) \
 *   io.deepclust.nn.ConvKernelCheck
 * </pre>
 */
public final class ConvKernelCheck {
  private ConvKernelCheck() {}

  /** Cin, Cout, H = W, k, stride, padding. */
  private static final int[][] SHAPES = {
    {1, 8, 28, 9, 1, 0}, {8, 4, 20, 9, 1, 0}, {8, 4, 20, 3, 1, 0}, {32, 1, 28, 3, 1, 1},
    {8, 8, 14, 3, 1, 1}, {8, 24, 20, 3, 1, 1}, {2, 2, 10, 5, 1, 0}, {8, 16, 20, 9, 1, 0},
    {32, 64, 14, 3, 1, 1}, {8, 4, 20, 9, 2, 0}
  };

  public static void main(String[] args) {
    System.out.println("libtorch threads: " + System.getProperty("ai.djl.pytorch.num_threads"));
    System.out.println(
        "Cin Cout  HW  k s p   input-gradient error: Conv2d.conv2d   PaddedConv2d  (6 calls)");
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      for (int[] c : SHAPES) {
        double plain = worst(m, c, false);
        double padded = worst(m, c, true);
        System.out.println(
            String.format(
                Locale.ROOT,
                "%3d %4d %3d %2d %d %d   %28.3g %14.3g  %s",
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                c[5],
                plain,
                padded,
                plain < 1e-3 ? "" : "<- libtorch wrong"));
      }
    }
  }

  private static double worst(NDManager m, int[] c, boolean padded) {
    int cin = c[0];
    int cout = c[1];
    int hw = c[2];
    int k = c[3];
    int s = c[4];
    int p = c[5];
    int out = (hw + 2 * p - k) / s + 1;
    int n = PaddedConv2dTest.N;
    NDArray x = m.randomUniform(0, 1, new Shape(n, cin, hw, hw));
    NDArray w = m.randomNormal(0f, 0.1f, new Shape(cout, cin, k, k), DataType.FLOAT32);
    NDArray b = m.zeros(new Shape(cout));
    NDArray dy = m.randomNormal(0f, 1f, new Shape(n, cout, out, out), DataType.FLOAT32);
    PaddedConv2dTest.Direct d =
        PaddedConv2dTest.Direct.of(
            x.toFloatArray(),
            w.toFloatArray(),
            b.toFloatArray(),
            dy.toFloatArray(),
            new int[] {cin, cout, hw, k, s, p, out});
    double worst = 0;
    for (int call = 0; call < 6; call++) {
      try (NDManager step = m.newSubManager()) {
        NDArray xs = x.duplicate();
        xs.attach(step);
        xs.setRequiresGradient(true);
        Shape stride = new Shape(s, s);
        Shape pad = new Shape(p, p);
        Shape one = new Shape(1, 1);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray y =
              padded
                  ? PaddedConv2d.convolve(xs, w, null, stride, pad, one, 1)
                  : Conv2d.conv2d(xs, w, null, stride, pad, one, 1).singletonOrThrow();
          gc.backward(y.mul(dy).sum());
        }
        float[] dx = xs.getGradient().toFloatArray();
        for (int i = 0; i < dx.length; i++) {
          double e = Math.abs(dx[i] - d.dx()[i]);
          worst = Double.isNaN(e) ? Double.NaN : Math.max(worst, e);
          if (Double.isNaN(worst)) {
            return worst;
          }
        }
      }
    }
    return worst;
  }
}
