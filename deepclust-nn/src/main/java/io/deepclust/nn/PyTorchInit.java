package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

/**
 * PyTorch's default initialisation of {@code nn.Linear}, {@code nn.Conv*d} and {@code
 * nn.ConvTranspose*d}: {@code kaiming_uniform_(weight, a = sqrt(5))}, which is {@code U(-b, b)}
 * with {@code b = gain * sqrt(3 / fanIn) = sqrt(2 / (1 + 5)) * sqrt(3 / fanIn) = 1 / sqrt(fanIn)},
 * and bias {@code ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))} with the <em>weight's</em> {@code fanIn}.
 *
 * <p>{@code fanIn = weight.size(1) * prod(weight.shape[2:])}, PyTorch's {@code
 * _calculate_fan_in_and_fan_out}, which is right for every layout used here: Linear {@code (out,
 * in)} gives {@code in}; Conv {@code (Cout, Cin, kH, kW)} gives {@code Cin*kH*kW}; ConvTranspose
 * {@code (Cin, Cout, kH, kW)} gives {@code Cout*kH*kW} (PyTorch's convention, reproduced on
 * purpose).
 *
 * <p>The initializers receive the parameter's final shape from DJL ({@link
 * Initializer#initialize(NDManager, Shape, DataType)} runs after {@code prepare} has set every
 * shape of the block), so nothing has to be known when the layer is built. The bias initializer
 * holds the weight {@link Parameter} and reads its shape at that moment. Values are drawn with
 * {@link NDManager#randomUniform}, i.e. libtorch's generator, which {@code
 * Engine.getInstance().setRandomSeed(seed)} fixes.
 */
public final class PyTorchInit {

  private PyTorchInit() {}

  /**
   * {@code weight.size(1) * prod(weight.shape[2:])}.
   *
   * @throws IllegalArgumentException for shapes of rank below 2 (PyTorch refuses them too)
   */
  public static long fanIn(Shape weightShape) {
    if (weightShape == null || weightShape.dimension() < 2) {
      throw new IllegalArgumentException(
          "PyTorchInit: fan-in needs a weight of rank >= 2 (Linear (out, in), Conv (Cout, Cin,"
              + " k...), ConvTranspose (Cin, Cout, k...)) but got shape "
              + weightShape);
    }
    long fanIn = weightShape.get(1);
    for (int d = 2; d < weightShape.dimension(); d++) {
      fanIn *= weightShape.get(d);
    }
    return fanIn;
  }

  /** {@code 1 / sqrt(fanIn(weightShape))}: the half-width of both uniform distributions. */
  public static float bound(Shape weightShape) {
    long fanIn = fanIn(weightShape);
    return fanIn > 0 ? (float) (1.0 / Math.sqrt(fanIn)) : 0f;
  }

  /** Weight initializer: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} of the given shape. */
  public static Initializer weight() {
    return PyTorchInit::initializeWeight;
  }

  /**
   * Bias initializer for the layer whose weight is {@code weight}: {@code U(-b, b)} with {@code b =
   * 1/sqrt(fanIn(weight))}, read when the bias is initialised (the weight's shape is set by then).
   */
  public static Initializer bias(Parameter weight) {
    return (manager, shape, dataType) -> {
      Shape weightShape = weight.getShape();
      if (weightShape == null) {
        throw new IllegalStateException(
            "PyTorchInit: the bias of weight '"
                + weight.getName()
                + "' is initialised before the weight has a shape; initialise the block with"
                + " block.initialize(manager, dataType, inputShape) so prepare() runs first");
      }
      return uniform(manager, shape, dataType, bound(weightShape));
    };
  }

  /**
   * Sets the PyTorch initializers on every {@link Linear}, {@link Convolution} and {@link
   * ConvTranspose2d} in {@code block}'s tree (the block itself included), replacing what was there.
   * Parameters already holding values keep them; to redraw those use {@link #reinitialize(Block,
   * NDManager)}.
   *
   * @return {@code block}, for chaining
   */
  public static <B extends Block> B apply(B block) {
    return apply(block, weight(), false);
  }

  /**
   * Like {@link #apply(Block)} with another weight initializer and, if {@code zeroBias}, zero
   * biases ({@link WeightInit}).
   */
  static <B extends Block> B apply(B block, Initializer weightInit, boolean zeroBias) {
    if (isPyTorchLayer(block)) {
      Parameter weight = directParameter(block, "weight");
      if (weight != null) {
        weight.setInitializer(weightInit);
        Parameter bias = directParameter(block, "bias");
        if (bias != null) {
          bias.setInitializer(zeroBias ? Initializer.ZEROS : bias(weight));
        }
      }
    }
    for (Pair<String, Block> child : block.getChildren()) {
      apply(child.getValue(), weightInit, zeroBias);
    }
    return block;
  }

  /**
   * Redraws, in place, the weights and biases of every {@link Linear}, {@link Convolution} and
   * {@link ConvTranspose2d} of an initialised block from PyTorch's default distributions (and sets
   * those initializers for later). Other parameters (BatchNorm) are left as they are.
   *
   * @param manager scratch manager for the fresh draws (closed arrays are copied into the
   *     parameters, so any manager works)
   * @throws IllegalStateException if the block is not initialised
   */
  public static void reinitialize(Block block, NDManager manager) {
    if (!block.isInitialized()) {
      throw new IllegalStateException(
          "PyTorchInit.reinitialize: block "
              + block.getClass().getSimpleName()
              + " is not initialised; use PyTorchInit.apply(block) before initialising it instead");
    }
    apply(block);
    redraw(block, manager);
  }

  private static void redraw(Block block, NDManager manager) {
    if (isPyTorchLayer(block)) {
      for (String name : new String[] {"weight", "bias"}) {
        Parameter parameter = directParameter(block, name);
        if (parameter != null) {
          NDArray target = parameter.getArray();
          try (NDManager scratch = manager.newSubManager()) {
            NDArray fresh =
                parameter
                    .getInitializer()
                    .initialize(scratch, target.getShape(), target.getDataType());
            fresh.copyTo(target);
          }
        }
      }
    }
    for (Pair<String, Block> child : block.getChildren()) {
      redraw(child.getValue(), manager);
    }
  }

  private static boolean isPyTorchLayer(Block block) {
    return block instanceof Linear
        || block instanceof Convolution
        || block instanceof ConvTranspose2d;
  }

  private static Parameter directParameter(Block block, String name) {
    for (Pair<String, Parameter> entry : block.getDirectParameters()) {
      if (entry.getValue().getName().equals(name)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private static NDArray initializeWeight(NDManager manager, Shape shape, DataType dataType) {
    return uniform(manager, shape, dataType, bound(shape));
  }

  private static NDArray uniform(NDManager manager, Shape shape, DataType dataType, float bound) {
    return manager.randomUniform(-bound, bound, shape, dataType);
  }
}
