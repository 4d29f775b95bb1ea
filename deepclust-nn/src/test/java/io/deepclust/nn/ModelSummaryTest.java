package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

  /** Conv2d(1->32, k3) + BatchNorm + ReLU + flatten + Linear(10) on 28x28, counted by hand. */
  @Test
  void countsSequentialBlockLikePyTorch() {
    SequentialBlock net =
        new SequentialBlock()
            .add(Conv2d.builder().setFilters(32).setKernelShape(new Shape(3, 3)).build())
            .add(Layers.batchNorm2d())
            .add(Activation.reluBlock())
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(10).build());
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelSummary summary = ModelSummary.of(net, manager, new Shape(1, 1, 28, 28));
      long conv = 32 * 1 * 3 * 3 + 32;
      long bn = 32 + 32; // gamma, beta (running mean/var are buffers)
      long linear = 32L * 26 * 26 * 10 + 10;
      assertEquals(conv + bn + linear, ModelSummary.countParameters(net));
      assertEquals(216_714, summary.parameters());
      assertEquals(64, summary.buffers());
      assertEquals(6, summary.rows().size());
      assertEquals(new Shape(1, 32, 26, 26), summary.rows().get(1).outputShape());
      assertEquals(conv, summary.rows().get(1).parameters());
      assertEquals(bn, summary.rows().get(2).parameters());
      assertEquals(new Shape(1, 21632), summary.rows().get(4).outputShape());
      assertEquals(new Shape(1, 10), summary.rows().get(5).outputShape());
      assertEquals(linear, summary.rows().get(5).parameters());
      String table = summary.toString();
      System.out.print(table);
      assertTrue(table.contains("Parameters: 216,714"), table);
      assertTrue(table.contains("01Conv2d "), table);
      assertTrue(table.contains("03LambdaBlock (ReLU)"), table);
    }
  }

  @Test
  void countsConvTranspose2d() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ConvTranspose2d withBias = Layers.convTranspose(32, 3, 2, 1, 1, true);
      ModelSummary summary = ModelSummary.of(withBias, manager, new Shape(2, 64, 7, 7));
      assertEquals(64L * 32 * 3 * 3 + 32, summary.parameters());
      assertEquals(new Shape(2, 32, 14, 14), summary.rows().get(0).outputShape());
      ConvTranspose2d noBias = Layers.convTranspose(32, 3, 2, 1, 1, false);
      noBias.initialize(manager, DataType.FLOAT32, new Shape(2, 64, 7, 7));
      assertEquals(64L * 32 * 3 * 3, ModelSummary.countParameters(noBias));
    }
  }

  @Test
  void uninitialisedBlockIsRejectedWithAHint() {
    String message =
        assertThrows(
                IllegalStateException.class,
                () -> ModelSummary.of(Layers.convTranspose(2, 2, 2, 0, 0, true)))
            .getMessage();
    assertTrue(message.contains("initialize"), message);
  }

  /** Factories give the documented shapes and PyTorch BatchNorm settings. */
  @Test
  void layerFactoriesBuildDecoderAndEncoderStages() {
    SequentialBlock net =
        new SequentialBlock()
            .add(Layers.convBnRelu(32, 3, 2, 1)) // 28 -> 14
            .add(Layers.convBnRelu(64, 3, 2, 1, false)) // 14 -> 7
            .add(Layers.convTransposeBnRelu(32, 3, 2, 1, 1)) // 7 -> 14
            .add(Layers.convTransposeBnRelu(1, 3, 2, 1, 1, false)); // 14 -> 28
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape input = new Shape(4, 1, 28, 28);
      ModelSummary summary = ModelSummary.of(net, manager, input);
      long expected =
          (32 * 9 + 32 + 64) + (64 * 32 * 9 + 128) + (64 * 32 * 9 + 32 + 64) + (32 * 1 * 9 + 2);
      assertEquals(expected, summary.parameters());
      assertEquals(input, summary.rows().get(0).outputShape());
      ParameterStore store = new ParameterStore(manager, false);
      try (NDManager step = manager.newSubManager()) {
        NDArray y = net.forward(store, new NDList(step.randomNormal(input)), false).head();
        assertEquals(input, y.getShape());
        assertTrue(y.min().getFloat() >= 0, "ReLU output");
      }
      BatchNorm bn = Layers.batchNorm2d();
      assertEquals(
          new Shape(4, 8, 3, 3), bn.getOutputShapes(new Shape[] {new Shape(4, 8, 3, 3)})[0]);
    }
  }
}
