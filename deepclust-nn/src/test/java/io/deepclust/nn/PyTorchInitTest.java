package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** PyTorch default initialisation: bounds, spread, bias bound from the weight, seeding. */
class PyTorchInitTest {

  @Test
  void fanInFollowsPyTorchForEveryLayout() {
    assertEquals(50, PyTorchInit.fanIn(new Shape(100, 50))); // Linear (out, in)
    assertEquals(32 * 9, PyTorchInit.fanIn(new Shape(64, 32, 3, 3))); // Conv (Cout, Cin, k, k)
    assertEquals(8 * 9, PyTorchInit.fanIn(new Shape(16, 8, 3, 3))); // ConvT (Cin, Cout, k, k)
    assertEquals(1 / Math.sqrt(50), PyTorchInit.bound(new Shape(100, 50)), 1e-7);
    assertThrows(IllegalArgumentException.class, () -> PyTorchInit.fanIn(new Shape(7)));
  }

  @Test
  void factoryConvDrawsWeightAndBiasWithinTheWeightsFanIn() {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      Conv2d conv = Layers.conv(64, 3, 1, 1, true);
      conv.initialize(manager, DataType.FLOAT32, new Shape(1, 32, 8, 8));
      checkUniform(param(conv, "weight"), 1 / Math.sqrt(32 * 9));
      checkBias(param(conv, "bias"), 1 / Math.sqrt(32 * 9));
    }
  }

  @Test
  void factoryLinearAndConvTransposeUseTheirOwnFanIn() {
    Engine.getInstance().setRandomSeed(12);
    try (NDManager manager = NDManager.newBaseManager()) {
      Linear linear = Layers.linear(100, true);
      linear.initialize(manager, DataType.FLOAT32, new Shape(2, 50));
      checkUniform(param(linear, "weight"), 1 / Math.sqrt(50));
      checkBias(param(linear, "bias"), 1 / Math.sqrt(50));

      ConvTranspose2d deconv = Layers.convTranspose(64, 3, 2, 1, 1, true);
      deconv.initialize(manager, DataType.FLOAT32, new Shape(1, 16, 5, 5));
      // PyTorch: fan_in of weight (Cin=16, Cout=64, 3, 3) is size(1) * 9 = 64 * 9.
      checkUniform(param(deconv, "weight"), 1 / Math.sqrt(64 * 9));
      checkBias(param(deconv, "bias"), 1 / Math.sqrt(64 * 9));
    }
  }

  /** Plain DJL blocks (He-normal weights, zero biases by default) converted in a whole tree. */
  @Test
  void initLikePyTorchConvertsPlainDjlBlocksInATree() {
    Engine.getInstance().setRandomSeed(13);
    SequentialBlock net =
        new SequentialBlock()
            .add(Conv2d.builder().setFilters(16).setKernelShape(new Shape(5, 5)).build())
            .add(Layers.batchNorm2d())
            .add(new Reshape(new Shape(16 * 4 * 4)))
            .add(Linear.builder().setUnits(30).build());
    try (NDManager manager = NDManager.newBaseManager()) {
      Layers.initLikePyTorch(net, manager, new Shape(2, 3, 8, 8));
      Block conv = net.getChildren().get(0).getValue();
      Block linear = net.getChildren().get(3).getValue();
      checkUniform(param(conv, "weight"), 1 / Math.sqrt(3 * 25));
      checkBias(param(conv, "bias"), 1 / Math.sqrt(3 * 25));
      checkUniform(param(linear, "weight"), 1 / Math.sqrt(256));
      checkBias(param(linear, "bias"), 1 / Math.sqrt(256));
      // BatchNorm keeps DJL's (= PyTorch's) gamma 1, beta 0.
      Block bn = net.getChildren().get(1).getValue();
      assertEquals(16f, param(bn, "gamma").sum().getFloat());
    }
  }

  @Test
  void initialisedBlockIsRedrawnInPlace() {
    Engine.getInstance().setRandomSeed(14);
    try (NDManager manager = NDManager.newBaseManager()) {
      Linear linear = Linear.builder().setUnits(40).build();
      linear.initialize(manager, DataType.FLOAT32, new Shape(1, 400));
      float[] before = param(linear, "weight").toFloatArray();
      assertEquals(0f, param(linear, "bias").abs().sum().getFloat(), "DJL's zero bias");
      Layers.initLikePyTorch(linear, manager, new Shape(1, 400));
      assertFalse(java.util.Arrays.equals(before, param(linear, "weight").toFloatArray()));
      checkUniform(param(linear, "weight"), 1 / Math.sqrt(400));
      checkBias(param(linear, "bias"), 1 / Math.sqrt(400));
    }
  }

  @Test
  void sameEngineSeedGivesSameWeights() {
    float[] first = drawConvWeights(7);
    float[] again = drawConvWeights(7);
    float[] other = drawConvWeights(8);
    assertArrayEquals(first, again);
    assertFalse(java.util.Arrays.equals(first, other));
  }

  private static float[] drawConvWeights(int seed) {
    Engine.getInstance().setRandomSeed(seed);
    try (NDManager manager = NDManager.newBaseManager()) {
      Conv2d conv = Layers.conv(8, 3, 1, 1, true);
      conv.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 6, 6));
      return param(conv, "weight").toFloatArray();
    }
  }

  private static ai.djl.ndarray.NDArray param(Block block, String name) {
    for (Pair<String, Parameter> p : block.getDirectParameters()) {
      if (p.getValue().getName().equals(name)) {
        return p.getValue().getArray();
      }
    }
    throw new AssertionError("no parameter " + name + " in " + block);
  }

  /** All values in [-b, b], extremes near +-b, mean ~ 0, variance ~ b^2/3 (uniform). */
  private static void checkUniform(ai.djl.ndarray.NDArray array, double bound) {
    float[] v = array.toFloatArray();
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    double sumSq = 0;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      sumSq += (double) x * x;
    }
    double mean = sum / v.length;
    double variance = sumSq / v.length - mean * mean;
    assertTrue(max <= bound * (1 + 1e-6) && min >= -bound * (1 + 1e-6), "within +-" + bound);
    assertTrue(max > 0.95 * bound && min < -0.95 * bound, "reaches +-" + bound);
    assertEquals(0, mean, 4 * bound / Math.sqrt(3 * v.length), "mean");
    assertEquals(bound * bound / 3, variance, 0.1 * bound * bound / 3, "variance of U(-b,b)");
  }

  /** Bias: within the weight's bound, not DJL's zeros, spread over most of the interval. */
  private static void checkBias(ai.djl.ndarray.NDArray array, double bound) {
    float[] v = array.toFloatArray();
    double maxAbs = 0;
    for (float x : v) {
      maxAbs = Math.max(maxAbs, Math.abs(x));
    }
    assertTrue(maxAbs <= bound * (1 + 1e-6), "bias within +-" + bound + " but max |b| " + maxAbs);
    assertTrue(maxAbs > 0.5 * bound, "bias spread like U(-b,b), max |b| " + maxAbs);
  }
}
