package io.deepclust.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * Runs an encoder over many images in eval mode ({@code training = false}: BatchNorm uses and keeps
 * its running statistics, dropout is off) and collects the embeddings.
 *
 * <p>Input: an n x C*H*W matrix (rows in (C, H, W) order); output: n x d, the encoder output of
 * each image flattened. Each batch lives in its own sub-manager, closed once its rows are copied
 * out, so memory stays flat whatever n is. Batches are built on the host and copied once to the
 * encoder's device; only the embeddings come back.
 */
public final class Embedder {
  private final Block encoder;
  private final Shape imageShape;
  private final int batchSize;

  /**
   * @param encoder an initialised block mapping (B, C, H, W) to (B, ...)
   * @param imageShape (C, H, W)
   * @param batchSize images per forward, at least 1
   */
  public Embedder(Block encoder, Shape imageShape, int batchSize) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.imageShape = Objects.requireNonNull(imageShape, "imageShape");
    if (imageShape.dimension() != 3) {
      throw new IllegalArgumentException("imageShape must be (C, H, W), got " + imageShape);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** Embeds all rows of {@code images}, in a temporary manager on the encoder's device. */
  public FloatMatrix embed(FloatMatrix images) {
    try (NDManager manager = NDManager.newBaseManager(DeviceChoice.of(encoder))) {
      return embed(manager, images);
    }
  }

  /** Embeds all rows of {@code images}; per-batch scopes are children of {@code parent}. */
  public FloatMatrix embed(NDManager parent, FloatMatrix images) {
    if (images.cols() != imageShape.size()) {
      throw new IllegalArgumentException(
          "images have "
              + images.cols()
              + " values per row but the image shape "
              + imageShape
              + " needs "
              + imageShape.size());
    }
    int n = images.rows();
    float[] out = null;
    int dim = -1;
    float[] src = images.data();
    int cols = images.cols();
    ParameterStore store = new ParameterStore(parent, false);
    for (int from = 0; from < n; from += batchSize) {
      int b = Math.min(batchSize, n - from);
      try (NDManager scope = parent.newSubManager()) {
        float[] buf = new float[b * cols];
        System.arraycopy(src, from * cols, buf, 0, b * cols);
        NDArray x =
            scope.create(
                buf, new Shape(b, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
        NDArray z = encoder.forward(store, new NDList(x), false).singletonOrThrow();
        float[] zs = z.toFloatArray();
        if (dim < 0) {
          dim = zs.length / b;
          out = new float[Math.multiplyExact(n, dim)];
        } else if (zs.length != b * dim) {
          throw new IllegalStateException(
              "encoder output changed size between batches: " + z.getShape());
        }
        System.arraycopy(zs, 0, out, from * dim, zs.length);
      }
    }
    if (out == null) {
      return FloatMatrix.zeros(0, 0);
    }
    return new FloatMatrix(n, dim, out);
  }
}
