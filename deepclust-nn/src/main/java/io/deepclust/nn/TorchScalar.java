package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A number as a 0-d array whose memory libtorch owns, for arithmetic inside an autograd graph.
 *
 * <p>Why: DJL 0.35.1's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)},
 * {@code maximum(Number)} and {@code minimum(Number)} wrap the number in a 0-d tensor that points
 * into a small direct {@code ByteBuffer} ({@code torch::from_blob}, no copy) and close it as soon
 * as the op returns. libtorch's autograd keeps that tensor to compute the op's gradient, but once
 * the Java side is closed nothing keeps the buffer alive: a garbage collection between the forward
 * pass and {@code backward()} frees it, and the backward reads freed memory. The loss stays finite
 * while the gradient becomes NaN or silently wrong, at random steps (seen in the paper-003 joint
 * phase about once per 1,000 steps; reproduced by {@code TorchScalarTest}). Arithmetic with the
 * array made here has the same value and dtype, so results are unchanged where the bug did not
 * strike. {@code add(Number)} and {@code sub(Number)} keep nothing for the backward and are safe.
 */
public final class TorchScalar {
  private TorchScalar() {}

  /**
   * @param like the array the number will be combined with: the result lives in its manager, on its
   *     device, with its data type
   * @param value the number, cast to {@code like}'s data type (as DJL's scalar ops do)
   * @return a 0-d array, closed with {@code like}'s manager
   */
  public static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}
