package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PaddedConv2d} against a direct double-precision sum: forward, and the gradients with
 * respect to input, weight and bias, over repeated calls (the libtorch kernel it works around was
 * wrong at one thread and racy at two; the test JVM runs libtorch on 2 threads). The shapes are
 * those where DJL's own {@code Conv2d.conv2d} returned a wrong output or input gradient on the
 * 2026-12-01 development machine ({@link PaddedConv2d}'s class comment), plus controls.
 */
class PaddedConv2dTest {

  static final int N = 6;
  private static final int CALLS = 4;

  @ParameterizedTest(name = "Cin {0} Cout {1} {2}x{2} k {3} s {4} p {5}")
  @CsvSource({
    "1, 8, 28, 9, 1, 0", // paper 004, first convolution
    "8, 4, 20, 9, 1, 0", // paper 004, second convolution
    "32, 1, 28, 3, 1, 1", // paper 000, last convolution
    "8, 24, 12, 3, 1, 1",
    "16, 4, 12, 5, 1, 2",
    "2, 2, 10, 5, 1, 0",
    "8, 4, 20, 3, 2, 1", // stride 2
    "3, 16, 12, 3, 1, 1", // a whole block: not padded
    "24, 8, 12, 3, 1, 1", // more than 16 input channels: libtorch's output was wrong
    "20, 16, 10, 3, 1, 0",
    "48, 16, 14, 3, 2, 1", // stride 2, 48 input channels: libtorch's input gradient was wrong
    "41, 20, 12, 3, 2, 1",
    "1, 16, 9, 9, 1, 0", // a 1x1 output map: libtorch's output and input gradient were wrong
    "4, 8, 7, 7, 2, 0",
    "1, 16, 9, 9, 3, 1", // padded, 3x3 output
    "4, 1, 28, 1, 1, 0", // 1x1 kernel (paper 004's last layer): one batched matrix product
    "24, 5, 6, 1, 1, 0",
    "4, 1, 9, 1, 2, 0", // 1x1 kernel at stride 2: padded convolution
    "1, 4, 15, 6, 1, 0", // output phases: even kernel
    "2, 8, 17, 9, 1, 4", // output phases: padded, odd output size
    "3, 4, 12, 5, 1, 0", // output phases: odd output size, 12 phase input channels
    "8, 20, 14, 5, 1, 2" // output phases: 80 phase output channels
  })
  void matchesADirectSumOverRepeatedCalls(int cin, int cout, int hw, int k, int s, int p) {
    check(cin, cout, hw, k, s, p, true);
  }

  @ParameterizedTest(name = "no bias: Cin {0} Cout {1} {2}x{2} k {3} s {4} p {5}")
  @CsvSource({"8, 4, 20, 9, 1, 0", "24, 8, 12, 3, 1, 1", "1, 16, 9, 9, 1, 0", "4, 1, 28, 1, 1, 0"})
  void withoutABiasToo(int cin, int cout, int hw, int k, int s, int p) {
    check(cin, cout, hw, k, s, p, false);
  }

  private static void check(int cin, int cout, int hw, int k, int s, int p, boolean withBias) {
    int out = (hw + 2 * p - k) / s + 1;
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      NDArray x = m.randomUniform(0, 1, new Shape(N, cin, hw, hw));
      NDArray w = m.randomNormal(0f, 0.1f, new Shape(cout, cin, k, k), DataType.FLOAT32);
      NDArray b =
          withBias
              ? m.randomNormal(0f, 0.1f, new Shape(cout), DataType.FLOAT32)
              : m.zeros(new Shape(cout));
      NDArray dy = m.randomNormal(0f, 1f, new Shape(N, cout, out, out), DataType.FLOAT32);
      Direct d =
          Direct.of(
              x.toFloatArray(),
              w.toFloatArray(),
              b.toFloatArray(),
              dy.toFloatArray(),
              new int[] {cin, cout, hw, k, s, p, out});
      for (int call = 0; call < CALLS; call++) {
        try (NDManager step = m.newSubManager()) {
          NDArray xs = x.duplicate();
          NDArray ws = w.duplicate();
          NDArray bs = b.duplicate();
          for (NDArray a : List.of(xs, ws, bs)) {
            a.attach(step);
            a.setRequiresGradient(true);
          }
          NDArray bias = withBias ? bs : null;
          NDArray y;
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Shape stride = new Shape(s, s);
            y = PaddedConv2d.convolve(xs, ws, bias, stride, new Shape(p, p), new Shape(1, 1), 1);
            gc.backward(y.mul(dy.duplicate()).sum());
          }
          assertEquals(new Shape(N, cout, out, out), y.getShape());
          String at = " (call " + (call + 1) + ")";
          assertClose(d.y, y.toFloatArray(), "forward" + at);
          assertClose(d.dx, xs.getGradient().toFloatArray(), "input gradient" + at);
          assertClose(d.dw, ws.getGradient().toFloatArray(), "weight gradient" + at);
          if (withBias) {
            assertClose(d.db, bs.getGradient().toFloatArray(), "bias gradient" + at);
          }
        }
      }
    }
  }

  /** Which stride-1 convolutions run by output phases instead of padded output channels. */
  @Test
  void outputPhasesWhereTheyMultiplyLess() {
    assertTrue(PaddedConv2d.phasesAreCheaper(8, 4, 9, 9)); // paper 004: 3.2 times fewer
    assertTrue(PaddedConv2d.phasesAreCheaper(1, 8, 9, 9)); // paper 004: 1.6 times fewer
    assertTrue(PaddedConv2d.phasesAreCheaper(3, 4, 5, 7));
    assertFalse(PaddedConv2d.phasesAreCheaper(32, 4, 3, 3)); // DCEC's phases: small kernel
    assertFalse(PaddedConv2d.phasesAreCheaper(32, 1, 5, 5)); // 4 phases of 1 channel: no block
    assertFalse(PaddedConv2d.phasesAreCheaper(17, 16, 9, 9)); // a whole block already
    assertFalse(PaddedConv2d.phasesAreCheaper(9, 4, 9, 9)); // 36 phase inputs would need padding
    assertFalse(PaddedConv2d.phasesAreCheaper(8, 12, 5, 5)); // 16 padded maps beat 48 phases
  }

  @Test
  void theLayerIsAConvolutionWithDjlsParametersAndOutput() {
    Block conv = Layers.conv(4, 3, 1, 1, true);
    assertInstanceOf(PaddedConv2d.Conv2d.class, conv);
    Block spec = new LayerSpec.Conv(1, Size2d.square(3), null, null, false).build(null);
    assertInstanceOf(PaddedConv2d.Conv2d.class, spec);
    // named as DJL's layer, so the keys of optimizer states in older checkpoints still match
    assertEquals(List.of("01Conv2d"), new SequentialBlock().add(spec).getChildren().keys());
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      conv.initialize(m, DataType.FLOAT32, new Shape(2, 3, 8, 8));
      assertEquals(List.of("weight", "bias"), conv.getParameters().keys());
      assertEquals(new Shape(4, 3, 3, 3), conv.getParameters().get("weight").getArray().getShape());
      NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 8, 8));
      NDArray y =
          conv.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      NDArray expected =
          ai.djl.nn.convolutional.Conv2d.conv2d(
                  x,
                  conv.getParameters().get("weight").getArray(),
                  conv.getParameters().get("bias").getArray(),
                  new Shape(1, 1),
                  new Shape(1, 1))
              .singletonOrThrow();
      assertEquals(expected.getShape(), y.getShape());
      assertTrue(expected.sub(y).abs().max().getFloat() < 1e-5f);
    }
  }

  /**
   * Within 1e-4 of the largest expected magnitude (float32 sums of up to ~5,000 terms; the kernel
   * worked around was off by the gradient's own size).
   */
  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < actual.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      if (!(err <= 1e-4 * Math.max(1, scale))) {
        throw new AssertionError(
            what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
      }
    }
  }

  /** Forward and gradients of {@code sum(conv2d(x, w, b) * dy)} by the definition, in double. */
  record Direct(double[] y, double[] dx, double[] dw, double[] db) {
    static Direct of(float[] x, float[] w, float[] b, float[] dy, int[] g) {
      int cin = g[0];
      int cout = g[1];
      int hw = g[2];
      int k = g[3];
      int s = g[4];
      int p = g[5];
      int out = g[6];
      double[] y = new double[N * cout * out * out];
      double[] dx = new double[N * cin * hw * hw];
      double[] dw = new double[cout * cin * k * k];
      double[] db = new double[cout];
      for (int n = 0; n < N; n++) {
        for (int o = 0; o < cout; o++) {
          for (int r = 0; r < out; r++) {
            for (int q = 0; q < out; q++) {
              int yi = ((n * cout + o) * out + r) * out + q;
              double acc = b[o];
              double g0 = dy[yi];
              db[o] += g0;
              for (int c = 0; c < cin; c++) {
                for (int a = 0; a < k; a++) {
                  int i = r * s + a - p;
                  if (i < 0 || i >= hw) {
                    continue;
                  }
                  for (int e = 0; e < k; e++) {
                    int j = q * s + e - p;
                    if (j < 0 || j >= hw) {
                      continue;
                    }
                    int xi = ((n * cin + c) * hw + i) * hw + j;
                    int wi = ((o * cin + c) * k + a) * k + e;
                    acc += x[xi] * (double) w[wi];
                    dx[xi] += g0 * w[wi];
                    dw[wi] += g0 * x[xi];
                  }
                }
              }
              y[yi] = acc;
            }
          }
        }
      }
      return new Direct(y, dx, dw, db);
    }
  }
}
