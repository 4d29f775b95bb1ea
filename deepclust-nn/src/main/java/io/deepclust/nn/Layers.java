package io.deepclust.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/**
 * Small named factories for the convolutional building blocks of the paper models, with PyTorch's
 * defaults so that layer shapes and parameter counts match the reference implementations.
 *
 * <p>Square kernels, strides and paddings only; build {@link Conv2d} / {@link ConvTranspose2d}
 * directly for anything else. Convolutions carry a bias unless told otherwise, as {@code
 * torch.nn.Conv2d} and {@code torch.nn.ConvTranspose2d} do (redundant before BatchNorm, but it is
 * what the reference code counts).
 *
 * <p>Every factory attaches PyTorch's default initialisation ({@link PyTorchInit}: weight and bias
 * {@code ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))}) to the layers it creates, so a model built from them
 * starts where {@code torch.nn} would (up to the random stream). An initializer set later through
 * {@code DefaultTrainingConfig.optInitializer} or {@code Block.setInitializer} replaces it, as for
 * any DJL block. Blocks built elsewhere get the same treatment from {@link
 * #initLikePyTorch(Block)}.
 */
public final class Layers {

  /** PyTorch {@code BatchNorm2d} eps. */
  public static final float BATCH_NORM_EPSILON = 1e-5f;

  /**
   * DJL momentum for PyTorch's {@code momentum = 0.1}: DJL keeps {@code momentum} of the old
   * running statistic, PyTorch mixes in {@code momentum} of the new one.
   */
  public static final float BATCH_NORM_MOMENTUM = 0.9f;

  private Layers() {}

  /**
   * Attaches PyTorch's default initializers to every Linear / Conv / ConvTranspose2d in {@code
   * block}'s tree; call it before the block is initialised (by {@code block.initialize} or {@code
   * trainer.initialize}).
   *
   * @return {@code block}
   */
  public static <B extends Block> B initLikePyTorch(B block) {
    return PyTorchInit.apply(block);
  }

  /**
   * Initialises {@code block} (FLOAT32) for {@code inputShapes} with PyTorch's default
   * initialisation of its Linear / Conv / ConvTranspose2d layers, drawn from the engine's seeded
   * generator ({@code Engine.getInstance().setRandomSeed}). An already initialised block has those
   * layers' weights and biases redrawn in place instead (BatchNorm is left alone).
   *
   * @param manager owns the parameters; must outlive the block's use
   * @return {@code block}
   */
  public static <B extends Block> B initLikePyTorch(
      B block, NDManager manager, Shape... inputShapes) {
    if (block.isInitialized()) {
      PyTorchInit.reinitialize(block, manager);
    } else {
      PyTorchInit.apply(block);
      block.initialize(manager, DataType.FLOAT32, inputShapes);
    }
    return block;
  }

  /**
   * {@code nn.Linear(in, units, bias=bias)}: input {@code (N, in)}, output {@code (N, units)},
   * weight {@code (units, in)}.
   */
  public static Linear linear(int units, boolean bias) {
    return PyTorchInit.apply(Linear.builder().setUnits(units).optBias(bias).build());
  }

  /** {@code nn.BatchNorm2d(C)} with PyTorch defaults (channel axis 1, eps 1e-5, momentum 0.1). */
  public static BatchNorm batchNorm2d() {
    return BatchNorm.builder()
        .optAxis(1)
        .optEpsilon(BATCH_NORM_EPSILON)
        .optMomentum(BATCH_NORM_MOMENTUM)
        .build();
  }

  /**
   * {@code nn.Conv2d(Cin, filters, kernel, stride, padding, bias=bias)}; input {@code (N, Cin, H,
   * W)}, output {@code (N, filters, (H + 2p - k) / s + 1, ...)}.
   */
  public static Conv2d conv(int filters, int kernel, int stride, int padding, boolean bias) {
    return PyTorchInit.apply(
        PaddedConv2d.of(
            Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(bias)));
  }

  /**
   * {@code nn.ConvTranspose2d(Cin, filters, kernel, stride, padding, outputPadding, bias=bias)};
   * output {@code (N, filters, (H - 1) * s - 2p + k + op, ...)}.
   */
  public static ConvTranspose2d convTranspose(
      int filters, int kernel, int stride, int padding, int outputPadding, boolean bias) {
    return ConvTranspose2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optOutputPadding(new Shape(outputPadding, outputPadding))
        .optBias(bias)
        .build();
  }

  /** Conv2d (with bias) → BatchNorm2d → ReLU. */
  public static SequentialBlock convBnRelu(int filters, int kernel, int stride, int padding) {
    return convBnRelu(filters, kernel, stride, padding, true);
  }

  /** Conv2d → BatchNorm2d → ReLU, with or without the convolution's bias. */
  public static SequentialBlock convBnRelu(
      int filters, int kernel, int stride, int padding, boolean bias) {
    return new SequentialBlock()
        .add(conv(filters, kernel, stride, padding, bias))
        .add(batchNorm2d())
        .add(Activation.reluBlock());
  }

  /** ConvTranspose2d (with bias) → BatchNorm2d → ReLU. */
  public static SequentialBlock convTransposeBnRelu(
      int filters, int kernel, int stride, int padding, int outputPadding) {
    return convTransposeBnRelu(filters, kernel, stride, padding, outputPadding, true);
  }

  /** ConvTranspose2d → BatchNorm2d → ReLU, with or without the convolution's bias. */
  public static SequentialBlock convTransposeBnRelu(
      int filters, int kernel, int stride, int padding, int outputPadding, boolean bias) {
    return new SequentialBlock()
        .add(convTranspose(filters, kernel, stride, padding, outputPadding, bias))
        .add(batchNorm2d())
        .add(Activation.reluBlock());
  }
}
