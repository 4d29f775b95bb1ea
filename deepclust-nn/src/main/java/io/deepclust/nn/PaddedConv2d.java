package io.deepclust.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.Conv2d} as DJL's {@link Conv2d} computes it, except that on the CPU a layer whose
 * output channels are not a multiple of {@link #CHANNEL_BLOCK} runs with its weight padded by zero
 * filters up to the next multiple, and the extra output channels are dropped. The output, the
 * weight gradient and the input gradient are those of the unpadded layer (the zero filters add
 * exact zeros; their own gradient is discarded); only float32 rounding may differ.
 *
 * <p>Why: the libtorch 2.7.1 CPU build that DJL 0.35.1 loads computes the convolution's input
 * gradient with oneDNN 3.7.1, and on AVX-512 machines (seen on an AMD EPYC with AVX-512,
 * 2026-12-01) its {@code jit:avx512_core backward_data} kernel returns wrong values when the output
 * channels are not a multiple of its 16-channel block and the stride is 1: off by as much as the
 * gradient itself at one thread, different at every call at two (a race), sometimes NaN. The
 * forward pass and the weight gradient are right, so the loss looks normal while every layer below
 * such a convolution trains on a wrong gradient (paper 004's 9x9 convolutions to 8 and 4 maps,
 * paper 000's last 3x3 convolution to one map, and the stride-1 convolution inside every {@link
 * ConvTranspose2d}). With {@code ONEDNN_MAX_CPU_ISA=AVX2} the AVX2 kernels are wrong in the same
 * way for 2 and 4 output channels. Both kernels are right when the output channels fill whole
 * blocks, which is what the padding ensures; {@code PaddedConv2dTest} checks all three results
 * against a direct sum for the shapes that failed. On a GPU (cuDNN) the layer runs unpadded.
 *
 * <p>Cost: the padded layer does the work of {@code ceil(Cout / 16) * 16} output channels (e.g. 16
 * instead of 4 or 1); the layers affected are the narrow ones, usually a small share of a network.
 * Grouped convolutions ({@code groups > 1}) are not padded.
 */
public final class PaddedConv2d extends Conv2d {

  /** Output channels are padded to a multiple of this (oneDNN's AVX-512 channel block). */
  public static final int CHANNEL_BLOCK = 16;

  private PaddedConv2d(Conv2d.Builder builder) {
    super(builder);
  }

  /**
   * The layer {@code builder} describes (DJL's {@link Conv2d#builder()}), computed as the class
   * comment says.
   */
  public static PaddedConv2d of(Conv2d.Builder builder) {
    return new PaddedConv2d(builder);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Device device = x.getDevice();
    NDArray w = parameterStore.getValue(weight, device, training);
    NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
    return new NDList(convolve(x, w, b, stride, padding, dilation, groups));
  }

  /**
   * {@code torch.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)}, padded as the
   * class comment says.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cout, Cin / groups, kH, kW)}
   * @param b {@code (Cout)} or {@code null}
   * @return {@code (N, Cout, Hout, Wout)} in {@code x}'s manager (so are the padded copies)
   */
  public static NDArray convolve(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
    long cout = w.getShape().get(0);
    long padded = (cout + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK;
    if (padded == cout || groups != 1 || x.getDevice().isGpu()) {
      return Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
    }
    NDManager scope = x.getManager();
    Shape extra = new Shape(padded - cout).addAll(w.getShape().slice(1));
    // an op's result joins its first operand's manager: for a layer's weight that is the model's,
    // which would keep one padded copy per forward; the input's manager is the step's
    NDArray wp = w.concat(scope.zeros(extra, w.getDataType()), 0);
    wp.attach(scope);
    NDArray bp = null;
    if (b != null) {
      bp = b.concat(scope.zeros(new Shape(padded - cout), b.getDataType()));
      bp.attach(scope);
    }
    NDArray y = Conv2d.conv2d(x, wp, bp, stride, padding, dilation, groups).singletonOrThrow();
    return y.get(new NDIndex(":, :{}", cout));
  }
}
