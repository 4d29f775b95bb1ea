package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * An encoder and a decoder for images of shape (C, H, W), and the block that chains them.
 *
 * <p>Shapes: the encoder maps a batch (B, C, H, W) to an embedding (B, d) (or any shape that is
 * flattened to (B, d) by callers); the decoder maps the embedding back to B * C * H * W values, in
 * any shape with that many elements ({@link #reconstruct} reshapes to (B, C, H, W)). For the binary
 * cross-entropy loss the decoder must end with a sigmoid.
 *
 * <p>This class holds the three blocks and the input shape and nothing else: no manager, no model,
 * no trainer. Parameters live wherever {@link #initialize} (or a later load) put them.
 */
public final class Autoencoder {
  private final Block encoder;
  private final Block decoder;
  private final SequentialBlock chain;
  private final Block block;
  private final ClusteringHead head;
  private final Shape inputShape;

  /**
   * @param encoder maps (B, C, H, W) to (B, d)
   * @param decoder maps (B, d) to B * C * H * W values
   * @param inputShape the image shape (C, H, W), without the batch axis
   */
  public Autoencoder(Block encoder, Block decoder, Shape inputShape) {
    this(encoder, decoder, inputShape, null);
  }

  /**
   * An autoencoder with a clustering head on its embedding (DEC, IDEC, DCEC). The head is part of
   * {@link #block()} (so it is trained, saved and checkpointed with the rest) and starts frozen:
   * the phase that trains it unfreezes it.
   *
   * @param head the clustering head, or null for none
   */
  public Autoencoder(Block encoder, Block decoder, Shape inputShape, ClusteringHead head) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(inputShape, "inputShape");
    if (inputShape.dimension() != 3 || inputShape.size() <= 0) {
      throw new IllegalArgumentException(
          "inputShape must be (C, H, W) with positive sizes, got "
              + inputShape
              + "; pass e.g. new Shape(1, 28, 28) for MNIST");
    }
    this.inputShape = inputShape;
    this.chain = new SequentialBlock().add(encoder).add(decoder);
    this.head = head;
    this.block = head == null ? chain : new WithHead(chain, encoder, head);
  }

  /** The clustering head, or null when the autoencoder has none. */
  public ClusteringHead head() {
    return head;
  }

  public Block encoder() {
    return encoder;
  }

  public Block decoder() {
    return decoder;
  }

  /**
   * The model's root block: every parameter is inside it. Its forward is the chain encoder then
   * decoder, (B, C, H, W) to the decoder's output; with a head, the head is a further child.
   */
  public Block block() {
    return block;
  }

  /** The image shape (C, H, W). */
  public Shape inputShape() {
    return inputShape;
  }

  /** (batch, C, H, W). */
  public Shape batchShape(long batch) {
    return new Shape(batch, inputShape.get(0), inputShape.get(1), inputShape.get(2));
  }

  /**
   * Initialises the parameters of both halves in {@code manager}, with DJL's initialisers (or the
   * ones set on the blocks beforehand). Seed the engine first for repeatable weights.
   */
  public void initialize(NDManager manager) {
    block.initialize(manager, DataType.FLOAT32, batchShape(1));
    if (head != null) {
      head.freezeParameters(true);
    }
  }

  /**
   * Embeds {@code images} (B, C, H, W): the encoder's output.
   *
   * @param training true only inside a training step (BatchNorm batch statistics, dropout)
   */
  public NDArray encode(ParameterStore store, NDArray images, boolean training) {
    return encoder.forward(store, new NDList(images), training).singletonOrThrow();
  }

  /** Reconstructs {@code images} (B, C, H, W); the result has the same shape as the input. */
  public NDArray reconstruct(ParameterStore store, NDArray images, boolean training) {
    NDArray out = chain.forward(store, new NDList(images), training).singletonOrThrow();
    if (out.size() != images.size()) {
      throw new IllegalStateException(
          "decoder output "
              + out.getShape()
              + " has "
              + out.size()
              + " values but the input "
              + images.getShape()
              + " has "
              + images.size()
              + "; the decoder must end with C*H*W outputs per image");
    }
    return out.getShape().equals(images.getShape()) ? out : out.reshape(images.getShape());
  }

  /** Encoder, decoder and clustering head under one root; forward is encoder then decoder. */
  private static final class WithHead extends AbstractBlock {
    private final Block chain;
    private final Block encoder;
    private final ClusteringHead head;

    @SuppressWarnings("this-escape")
    WithHead(Block chain, Block encoder, ClusteringHead head) {
      super((byte) 1);
      this.chain = addChildBlock("autoencoder", chain);
      this.encoder = encoder;
      this.head = addChildBlock("head", head);
    }

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      return chain.forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return chain.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
        NDManager manager, DataType dataType, Shape... inputShapes) {
      chain.initialize(manager, dataType, inputShapes);
      head.initialize(manager, dataType, encoder.getOutputShapes(inputShapes));
    }
  }
}
