package io.deepclust.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Row-wise L2 normalisation, {@code torch.nn.functional.normalize(x, p=2, dim=1, eps=1e-12)}:
 * {@code y = x / max(||x||_2, eps)} along axis 1 of an {@code (N, D)} input (any rank works; the
 * norm is taken over axis 1). No parameters. Output shape = input shape.
 *
 * <p>Used by Triplet-CNN-AE (paper 001) to put embeddings on the unit sphere.
 */
public final class L2Normalize extends AbstractBlock {

  /** PyTorch's default {@code eps} of {@code F.normalize}. */
  public static final double DEFAULT_EPSILON = 1e-12;

  private static final byte VERSION = 1;

  private final double epsilon;

  /** With PyTorch's default {@code eps = 1e-12}. */
  public L2Normalize() {
    this(DEFAULT_EPSILON);
  }

  /**
   * @param epsilon lower bound of the norm, {@code > 0}, so zero rows stay finite
   */
  public L2Normalize(double epsilon) {
    super(VERSION);
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(
          "L2Normalize: epsilon is " + epsilon + "; use a small positive value such as 1e-12");
    }
    this.epsilon = epsilon;
  }

  /** {@inheritDoc} */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    // One fused libtorch op (at::normalize); starts from the input, so results stay in its scope.
    return new NDList(inputs.singletonOrThrow().normalize(2, 1, epsilon));
  }

  /** {@inheritDoc} */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  /** {@inheritDoc} */
  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != version) {
      throw new MalformedModelException(
          "L2Normalize has encoding version "
              + loadVersion
              + " but this build reads version "
              + version
              + "; re-save the model with this version of deepclust");
    }
    readInputShapes(is);
  }
}
