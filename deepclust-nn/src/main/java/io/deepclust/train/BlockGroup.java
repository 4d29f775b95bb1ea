package io.deepclust.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A root block that only groups already initialised blocks, so that one trainer and one optimizer
 * own the parameters of all of them (e.g. an autoencoder and DEC's clustering layer). It has no
 * forward of its own: phases forward through the members via {@link PhaseContext#forward}.
 *
 * <p>Members are added under their names (parameter paths become {@code name_...}), must be
 * initialised before the group is trained, and must be added in the same order whenever a
 * checkpoint of the group is loaded.
 */
public final class BlockGroup extends AbstractBlock {
  private static final byte VERSION = 1;

  public BlockGroup() {
    super(VERSION);
    // a group takes no input: with zero input shapes it counts as initialised as soon as all
    // members are, and saves/loads like any block
    beforeInitialize();
  }

  /** Adds {@code block} under {@code name}; returns this group. */
  public BlockGroup add(String name, Block block) {
    addChildBlock(name, block);
    return this;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
    for (var child : children) {
      Block b = child.getValue();
      if (!b.isInitialized()) {
        throw new IllegalStateException(
            "block '"
                + child.getKey()
                + "' of the group is not initialised; call its initialize(manager, FLOAT32,"
                + " inputShape) before training the group");
      }
      // idempotent for initialised blocks; marks trainable parameters as requiring gradients
      b.initialize(manager, dataType, b.getInputShapes());
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "a BlockGroup has no forward; forward through one of its members");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException("a BlockGroup has no output");
  }
}
