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
 * Reshapes each sample: {@code (N, ...)} to {@code (N, sampleShape...)}, like {@code x.view(-1,
 * *sampleShape)} in PyTorch (e.g. the decoder of paper 001 turns {@code (N, 3136)} into {@code (N,
 * 64, 7, 7)}). No parameters; the element count per sample must match.
 */
public final class Reshape extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Shape sampleShape;

  /**
   * @param sampleShape shape of one sample after the reshape (batch axis excluded), all sizes
   *     positive
   */
  public Reshape(Shape sampleShape) {
    super(VERSION);
    if (sampleShape == null || sampleShape.dimension() == 0 || sampleShape.size() < 1) {
      throw new IllegalArgumentException(
          "Reshape: sampleShape "
              + sampleShape
              + " must have at least one axis and only positive sizes, e.g. new Shape(64, 7, 7)");
    }
    for (long size : sampleShape.getShape()) {
      if (size < 1) {
        throw new IllegalArgumentException(
            "Reshape: sampleShape " + sampleShape + " has a non-positive size; give all sizes");
      }
    }
    this.sampleShape = sampleShape;
  }

  /** Shape of one sample after the reshape. */
  public Shape getSampleShape() {
    return sampleShape;
  }

  /** {@inheritDoc} */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    var input = inputs.singletonOrThrow();
    return new NDList(input.reshape(targetShape(input.getShape())));
  }

  /** {@inheritDoc} */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {targetShape(inputShapes[0])};
  }

  private Shape targetShape(Shape input) {
    long perSample = input.slice(1).size();
    if (perSample != sampleShape.size()) {
      throw new IllegalArgumentException(
          "Reshape: input "
              + input
              + " has "
              + perSample
              + " elements per sample but the target "
              + sampleShape
              + " needs "
              + sampleShape.size()
              + "; check the preceding layer's output size");
    }
    return new Shape(input.get(0)).addAll(sampleShape);
  }

  /** {@inheritDoc} */
  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != version) {
      throw new MalformedModelException(
          "Reshape has encoding version "
              + loadVersion
              + " but this build reads version "
              + version
              + "; re-save the model with this version of deepclust");
    }
    readInputShapes(is);
  }
}
