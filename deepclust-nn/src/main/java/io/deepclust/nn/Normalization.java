package io.deepclust.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Normalisation layer of an MLP's hidden layers ({@link MlpArchitecture}); YAML {@code none},
 * {@code batch} or {@code layer}. Both keep PyTorch's defaults (eps {@code 1e-5}, learnable affine
 * {@code gamma = 1}, {@code beta = 0}); input {@code (N, F)}, output {@code (N, F)}, {@code 2F}
 * parameters.
 */
public enum Normalization {
  /** No normalisation. */
  @JsonProperty("none")
  NONE,
  /**
   * {@code nn.BatchNorm1d(F)} (momentum 0.1, running statistics as buffers): batch statistics in
   * training, running statistics in inference.
   */
  @JsonProperty("batch")
  BATCH,
  /**
   * {@code nn.LayerNorm(F)}: mean and variance of each sample over the feature axis, the same in
   * training and inference (paper 003).
   */
  @JsonProperty("layer")
  LAYER;

  /** PyTorch's default {@code eps} of {@code nn.LayerNorm}. */
  public static final float LAYER_NORM_EPSILON = 1e-5f;

  /** A new block, or {@code null} for {@link #NONE}. */
  public Block block() {
    return switch (this) {
      case NONE -> null;
      case BATCH -> Layers.batchNorm2d();
      case LAYER -> layerNorm();
    };
  }

  /**
   * {@code nn.LayerNorm(x.shape[1:])}: normalises each sample over all its non-batch axes (the
   * feature axis of an {@code (N, F)} input), eps {@code 1e-5}, elementwise affine of that shape.
   */
  static LayerNorm layerNorm() {
    return LayerNorm.builder().optEpsilon(LAYER_NORM_EPSILON).build();
  }
}
