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
 * error over 6 calls of the output, the input gradient and the weight gradient (each relative to
 * its largest value), with DJL's {@code Conv2d.conv2d} as it is and through {@link PaddedConv2d}.
 * Not a test (it reports whatever the machine does); run it on new hardware:
 *
 * <pre>
 * cd deepclust-nn && mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.pytorch.num_threads=2 -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   io.deepclust.nn.ConvKernelCheck
 * </pre>
 */
public final class ConvKernelCheck {
  private ConvKernelCheck() {}

  /** Cin, Cout, H = W, k, stride, padding. */
  private static final int[][] SHAPES = {
    {1, 8, 28, 9, 1, 0},
    {8, 4, 20, 9, 1, 0},
    {8, 4, 20, 3, 1, 0},
    {32, 1, 28, 3, 1, 1},
    {8, 8, 14, 3, 1, 1},
    {8, 24, 20, 3, 1, 1},
    {2, 2, 10, 5, 1, 0},
    {8, 16, 20, 9, 1, 0},
    {32, 64, 14, 3, 1, 1},
    {8, 4, 20, 9, 2, 0},
    {24, 8, 12, 3, 1, 1},
    {48, 16, 14, 3, 2, 1},
    {1, 16, 9, 9, 1, 0},
    // the convolutions PaddedConv2d's output phases hand to libtorch for paper 004's two 9x9 ones
    // (1 -> 8 over 28x28 and 8 -> 4 over 20x20): whole channel blocks, so both columns should agree
    {4, 32, 14, 5, 1, 0},
    {32, 16, 10, 5, 1, 0}
  };

  public static void main(String[] args) {
    System.out.println("libtorch threads: " + System.getProperty("ai.djl.pytorch.num_threads"));
    System.out.println(
        "Cin Cout  HW  k s p   relative error (output, input gradient, weight gradient)");
    System.out.println(
        "                      Conv2d.conv2d                   PaddedConv2d.convolve");
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      for (int[] c : SHAPES) {
        double[] plain = worst(m, c, false);
        double[] padded = worst(m, c, true);
        System.out.println(
            String.format(
                Locale.ROOT,
                "%3d %4d %3d %2d %d %d   %9.2g %9.2g %9.2g   %9.2g %9.2g %9.2g  %s",
                c[0],
                c[1],
                c[2],
                c[3],
                c[4],
                c[5],
                plain[0],
                plain[1],
                plain[2],
                padded[0],
                padded[1],
                padded[2],
                wrong(plain) ? "<- libtorch wrong" : ""));
      }
    }
  }

  private static boolean wrong(double[] errors) {
    for (double e : errors) {
      if (!(e < 1e-4)) {
        return true;
      }
    }
    return false;
  }

  /** Largest relative errors of output, input gradient and weight gradient over 6 calls. */
  private static double[] worst(NDManager m, int[] c, boolean padded) {
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
    double[] worst = new double[3];
    for (int call = 0; call < 6; call++) {
      try (NDManager step = m.newSubManager()) {
        NDArray xs = x.duplicate();
        NDArray ws = w.duplicate();
        xs.attach(step);
        ws.attach(step);
        xs.setRequiresGradient(true);
        ws.setRequiresGradient(true);
        Shape stride = new Shape(s, s);
        Shape pad = new Shape(p, p);
        Shape one = new Shape(1, 1);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          y =
              padded
                  ? PaddedConv2d.convolve(xs, ws, null, stride, pad, one, 1)
                  : Conv2d.conv2d(xs, ws, null, stride, pad, one, 1).singletonOrThrow();
          gc.backward(y.mul(dy).sum());
        }
        worst[0] = Math.max(worst[0], relative(d.y(), y.toFloatArray()));
        worst[1] = Math.max(worst[1], relative(d.dx(), xs.getGradient().toFloatArray()));
        worst[2] = Math.max(worst[2], relative(d.dw(), ws.getGradient().toFloatArray()));
      }
    }
    return worst;
  }

  /** Largest absolute error over the largest expected magnitude; NaN if any value is NaN. */
  private static double relative(double[] expected, float[] actual) {
    double scale = 1e-30;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    double worst = 0;
    for (int i = 0; i < actual.length; i++) {
      double e = Math.abs(actual[i] - expected[i]);
      if (Double.isNaN(e)) {
        return Double.NaN;
      }
      worst = Math.max(worst, e);
    }
    return worst / scale;
  }
}
