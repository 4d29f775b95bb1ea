package io.deepclust.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * Element-wise activation functions of the layer forms ({@link MlpArchitecture}, {@link
 * LayerSpec.Activation}), with PyTorch's default constants. In YAML they are written in snake case:
 * {@code relu}, {@code leaky_relu}, {@code sigmoid}, {@code tanh}, {@code gelu}, {@code elu},
 * {@code none}. Output shape = input shape; no parameters.
 */
public enum ActivationFunction {
  /** {@code nn.ReLU}: {@code max(0, x)}. */
  @JsonProperty("relu")
  RELU,
  /** {@code nn.LeakyReLU(negative_slope=0.01)}. */
  @JsonProperty("leaky_relu")
  LEAKY_RELU,
  /** {@code nn.Sigmoid}: outputs in {@code (0, 1)}. */
  @JsonProperty("sigmoid")
  SIGMOID,
  /** {@code nn.Tanh}: outputs in {@code (-1, 1)}. */
  @JsonProperty("tanh")
  TANH,
  /** {@code nn.GELU()}, the exact (erf) form, not the tanh approximation. */
  @JsonProperty("gelu")
  GELU,
  /** {@code nn.ELU(alpha=1.0)}. */
  @JsonProperty("elu")
  ELU,
  /** The identity: no block at all (e.g. DEC's linear embedding). */
  @JsonProperty("none")
  NONE;

  /** PyTorch's default {@code negative_slope} of {@code nn.LeakyReLU}. */
  public static final float LEAKY_RELU_SLOPE = 0.01f;

  /** PyTorch's default {@code alpha} of {@code nn.ELU}. */
  public static final float ELU_ALPHA = 1.0f;

  /** The YAML spelling, e.g. {@code leaky_relu}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A new parameter-free block applying the function, or {@code null} for {@link #NONE}. */
  public Block block() {
    return switch (this) {
      case RELU -> Activation.reluBlock();
      case LEAKY_RELU -> Activation.leakyReluBlock(LEAKY_RELU_SLOPE);
      case SIGMOID -> Activation.sigmoidBlock();
      case TANH -> Activation.tanhBlock();
      case GELU -> Activation.geluBlock();
      case ELU -> Activation.eluBlock(ELU_ALPHA);
      case NONE -> null;
    };
  }
}
