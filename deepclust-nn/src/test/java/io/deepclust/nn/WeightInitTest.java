package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Xavier initialisation (torch.nn.init.xavier_*_) and zero biases, seeded by the engine. */
class WeightInitTest {

  @Test
  void fansFollowPyTorch() {
    assertEquals(500, WeightInit.fanOut(new Shape(500, 784))); // Linear (out, in)
    assertEquals(8 * 81, WeightInit.fanOut(new Shape(8, 1, 9, 9))); // Conv (Cout, Cin, k, k)
    assertEquals(250 * 144, WeightInit.fanOut(new Shape(250, 4, 12, 12))); // ConvT (Cin, Cout..)
    assertEquals(Math.sqrt(2.0 / (784 + 500)), WeightInit.xavierStd(new Shape(500, 784)), 1e-12);
  }

  @Test
  void xavierUniformDrawsWithinItsBoundAndZeroBiases() {
    Engine.getInstance().setRandomSeed(1);
    MlpArchitecture mlp = xavier(WeightInit.XAVIER_UNIFORM);
    try (NDManager manager = NDManager.newBaseManager()) {
      Block encoder = mlp.encoder();
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
      NDArray weight = parameters(encoder, Parameter.Type.WEIGHT).get(0);
      assertEquals(new Shape(500, 784), weight.getShape());
      double bound = Math.sqrt(6.0 / (784 + 500));
      float max = weight.abs().max().getFloat();
      assertTrue(max <= bound && max > 0.99 * bound, max + " vs " + bound);
      // U(-b, b) has standard deviation b / sqrt(3) = sqrt(2 / (fanIn + fanOut)).
      assertEquals(bound / Math.sqrt(3), std(weight), 0.01 * bound);
      for (NDArray bias : parameters(encoder, Parameter.Type.BIAS)) {
        assertEquals(0f, bias.abs().max().getFloat());
      }
    }
  }

  @Test
  void xavierNormalHasItsStandardDeviationAndIsSeeded() {
    float[][] draws = new float[2][];
    for (int run = 0; run < 2; run++) {
      Engine.getInstance().setRandomSeed(7);
      try (NDManager manager = NDManager.newBaseManager()) {
        Block encoder = xavier(WeightInit.XAVIER_NORMAL).encoder();
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        NDArray weight = parameters(encoder, Parameter.Type.WEIGHT).get(0);
        double expected = Math.sqrt(2.0 / (784 + 500));
        assertEquals(expected, std(weight), 0.01 * expected);
        assertEquals(0, weight.mean().getFloat(), 0.01 * expected);
        draws[run] = weight.toFloatArray();
      }
    }
    assertArrayEquals(draws[0], draws[1], "same seed, same weights");
  }

  @Test
  void pytorchInitKeepsItsBiasUnlessZeroBias() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      Block encoder = MlpArchitecture.dec().encoder();
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
      NDArray weight = parameters(encoder, Parameter.Type.WEIGHT).get(0);
      NDArray bias = parameters(encoder, Parameter.Type.BIAS).get(0);
      float bound = (float) (1 / Math.sqrt(784));
      assertTrue(weight.abs().max().getFloat() <= bound);
      float biasMax = bias.abs().max().getFloat();
      assertTrue(biasMax <= bound && biasMax > 0.5f * bound, "PyTorch's default bias");
    }
  }

  private static MlpArchitecture xavier(WeightInit init) {
    return new MlpArchitecture(
        List.of(784, 500, 10), null, null, null, null, null, null, null, null, null, init, true);
  }

  private static List<NDArray> parameters(Block block, Parameter.Type type) {
    List<NDArray> arrays = new ArrayList<>();
    for (Pair<String, Parameter> entry : block.getParameters()) {
      if (entry.getValue().getType() == type) {
        arrays.add(entry.getValue().getArray());
      }
    }
    return arrays;
  }

  private static double std(NDArray array) {
    float[] values = array.toFloatArray();
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    double var = 0;
    for (float v : values) {
      var += (v - mean) * (v - mean);
    }
    return Math.sqrt(var / values.length);
  }
}
