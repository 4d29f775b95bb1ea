package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Initial weights of the Linear / Conv / ConvTranspose layers of a layer form ({@link
 * MlpArchitecture}, {@link ConvArchitecture}); YAML {@code pytorch}, {@code xavier_uniform} or
 * {@code xavier_normal}. With {@code zero_bias} the biases start at 0, otherwise at PyTorch's
 * default {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} (which {@code torch.nn.init.xavier_*_} leaves
 * alone, as here). Draws come from libtorch's generator, so {@code
 * Engine.getInstance().setRandomSeed(seed)} fixes them, as for {@link PyTorchInit}.
 *
 * <p>Fans follow PyTorch's {@code _calculate_fan_in_and_fan_out}: {@code fanIn = size(1) * k},
 * {@code fanOut = size(0) * k} with {@code k} the product of the kernel sizes (1 for Linear).
 * BatchNorm / LayerNorm keep {@code gamma = 1}, {@code beta = 0}.
 */
public enum WeightInit {
  /** PyTorch's default ({@link PyTorchInit}): weight {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}. */
  @JsonProperty("pytorch")
  PYTORCH,
  /**
   * {@code torch.nn.init.xavier_uniform_} (Glorot and Bengio 2010), gain 1: {@code U(-b, b)} with
   * {@code b = sqrt(6 / (fanIn + fanOut))}. Paper 004 uses Xavier with zero biases.
   */
  @JsonProperty("xavier_uniform")
  XAVIER_UNIFORM,
  /**
   * {@code torch.nn.init.xavier_normal_}, gain 1: {@code N(0, std^2)} with {@code std = sqrt(2 /
   * (fanIn + fanOut))}.
   */
  @JsonProperty("xavier_normal")
  XAVIER_NORMAL;

  /** The YAML spelling, e.g. {@code xavier_uniform}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The weight initializer; it reads the parameter's final shape when DJL calls it. */
  public Initializer weight() {
    return switch (this) {
      case PYTORCH -> PyTorchInit.weight();
      case XAVIER_UNIFORM -> WeightInit::xavierUniform;
      case XAVIER_NORMAL -> WeightInit::xavierNormal;
    };
  }

  /**
   * Sets this weight initializer, and a zero or PyTorch-default bias initializer, on every Linear,
   * Conv and {@link ConvTranspose2d} of {@code block}'s tree; call it before the block is
   * initialised.
   *
   * @return {@code block}
   */
  public <B extends Block> B apply(B block, boolean zeroBias) {
    return PyTorchInit.apply(block, weight(), zeroBias);
  }

  /** {@code fanOut = size(0) * prod(shape[2:])}, PyTorch's convention. */
  static long fanOut(Shape weightShape) {
    long fanOut = weightShape.get(0);
    for (int d = 2; d < weightShape.dimension(); d++) {
      fanOut *= weightShape.get(d);
    }
    return fanOut;
  }

  /** {@code sqrt(2 / (fanIn + fanOut))}, the standard deviation of both Xavier forms. */
  static double xavierStd(Shape weightShape) {
    return Math.sqrt(2.0 / (PyTorchInit.fanIn(weightShape) + fanOut(weightShape)));
  }

  private static NDArray xavierUniform(NDManager manager, Shape shape, DataType dataType) {
    float bound = (float) (Math.sqrt(3.0) * xavierStd(shape));
    return manager.randomUniform(-bound, bound, shape, dataType);
  }

  private static NDArray xavierNormal(NDManager manager, Shape shape, DataType dataType) {
    return manager.randomNormal(0f, (float) xavierStd(shape), shape, dataType);
  }
}
