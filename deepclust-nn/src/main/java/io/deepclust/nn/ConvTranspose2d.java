package io.deepclust.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Exact 2-D transposed convolution ("deconvolution") with PyTorch's semantics and parameter layout,
 * built from public DJL ops because DJL 0.35.1's PyTorch engine does not implement {@code
 * Conv2dTranspose} (it throws {@code UnsupportedOperationException}).
 *
 * <p>Shapes: input {@code (N, Cin, H, W)}; weight {@code (Cin, Cout, kH, kW)} (as {@code
 * torch.nn.ConvTranspose2d.weight}, so PyTorch weights load 1:1 and parameter counts match);
 * optional bias {@code (Cout)}; output {@code (N, Cout, Hout, Wout)} with {@code Hout = (H - 1) *
 * sH - 2 * pH + kH + opH} and likewise for {@code Wout}.
 *
 * <p>Formula: {@code y[n, o, i*s + a - p, j*s + b - p] += x[n, c, i, j] * w[c, o, a, b]} summed
 * over {@code c, i, j, a, b}, plus {@code bias[o]}; output padding only extends the output on the
 * bottom/right. Computed in one of four ways (gradients come from autograd in all):
 *
 * <ul>
 *   <li>kernel-sized (chosen first, automatically, at stride 1 when the input map has no more
 *       pixels than the kernel, {@code H * W <= kH * kW}; {@link DenseConv#isWorthIt}): matrix
 *       products, for a 1x1 map with the weight itself, else with each kernel row's band along the
 *       width (its index built once per block and input shape, kept in the weight's manager), e.g.
 *       paper 004's 1x1 -> 12x12 and 12x12 -> 28x28 decoder layers;
 *   <li>fast ({@code kernel == stride}, no padding, no output padding): one 1x1 convolution to
 *       {@code Cout * kH * kW} channels followed by depth-to-space, which never multiplies the
 *       inserted zeros;
 *   <li>polyphase (any other stride above 1; {@link #byPolyphase}): the {@code sH * sW} output
 *       phases as one stride-1 convolution with sub-kernels of {@code ceil(k / s)} taps, then
 *       depth-to-space; it also skips the products with inserted zeros;
 *   <li>general ({@link #byZeroInsertion}; used at stride 1 only, where it inserts nothing, but
 *       valid for every geometry and kept as the tests' reference for the polyphase form): insert
 *       {@code s - 1} zeros between input pixels, pad {@code k - 1 - p} on each side plus {@code
 *       op} on the bottom/right (cropping where {@code p > k - 1}), then a stride-1 convolution
 *       with the kernel flipped in space and its channel axes swapped.
 * </ul>
 *
 * <p>Every convolution goes through {@link PaddedConv2d#convolve}, which avoids libtorch kernels
 * measured wrong.
 *
 * <p>Initialisation follows PyTorch's default ({@code kaiming_uniform_(a = sqrt(5))}): weight and
 * bias ~ {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} with {@code fanIn = weight.size(1) * kH * kW =
 * Cout * kH * kW} ({@link PyTorchInit}). A training config that sets an initializer for {@link
 * Parameter.Type#WEIGHT} replaces the weight's initializer, as for any DJL block.
 *
 * <p>Only {@code dilation = 1} and {@code groups = 1} are supported.
 */
public class ConvTranspose2d extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int filters;
  private final Shape kernelShape;
  private final Shape stride;
  private final Shape padding;
  private final Shape outputPadding;
  private final boolean includeBias;

  private final Parameter weight;
  private final Parameter bias;

  /** {@link DenseConv}'s row-band index for {@link #bandIndexInput}, or null before first use. */
  private NDArray bandIndex;

  private Shape bandIndexInput;

  @SuppressWarnings("this-escape")
  ConvTranspose2d(Builder builder) {
    super(VERSION);
    filters = builder.filters;
    kernelShape = builder.kernelShape;
    stride = builder.stride;
    padding = builder.padding;
    outputPadding = builder.outputPadding;
    includeBias = builder.includeBias;

    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(PyTorchInit.weight())
                .build());
    bias =
        includeBias
            ? addParameter(
                Parameter.builder()
                    .setName("bias")
                    .setType(Parameter.Type.BIAS)
                    .optInitializer(PyTorchInit.bias(weight))
                    .build())
            : null;
  }

  /** A builder: {@code setFilters} and {@code setKernelShape} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Functional form, like {@link Conv2d#conv2d}: {@code conv_transpose2d(input, weight, bias,
   * stride, padding, output_padding)} of PyTorch with dilation 1 and groups 1.
   *
   * @param input {@code (N, Cin, H, W)}
   * @param weight {@code (Cin, Cout, kH, kW)}
   * @param bias {@code (Cout)} or {@code null}
   * @param stride {@code (sH, sW)}, each at least 1
   * @param padding {@code (pH, pW)}, each at least 0
   * @param outputPadding {@code (opH, opW)}, each smaller than the stride
   * @return {@code (N, Cout, Hout, Wout)}, attached to the input's manager
   */
  public static NDList convTranspose2d(
      NDArray input,
      NDArray weight,
      NDArray bias,
      Shape stride,
      Shape padding,
      Shape outputPadding) {
    Shape kernel = weight.getShape().slice(2);
    checkGeometry(kernel, stride, padding, outputPadding);
    checkOperands(input.getShape(), weight.getShape(), bias == null ? null : bias.getShape());
    outputShape(input.getShape(), weight.getShape().get(1), kernel, stride, padding, outputPadding);
    NDManager scope = input.getManager();
    NDArray w = scopedAlias(weight, scope);
    NDArray b = bias == null ? null : scopedAlias(bias, scope);
    if (isKernelSizedCase(input.getShape(), weight.getShape(), stride)) {
      Shape sample = input.getShape().slice(1);
      return new NDList(
          byKernelSizedForm(
              input,
              w,
              b,
              padding,
              () -> bandIndexArray(scope, sample, weight.getShape().get(1), kernel)));
    }
    return new NDList(compute(input, w, b, stride, padding, outputPadding));
  }

  /**
   * The forms for a stride-1 layer whose kernel covers at least the input map ({@link
   * #isKernelSizedCase}): for a 1x1 map without padding a product with the weight itself ({@link
   * DenseConv#convTransposeOfPixel}), else the row bands ({@link DenseConv#convTransposeByRows}).
   */
  private static NDArray byKernelSizedForm(
      NDArray x,
      NDArray w,
      NDArray b,
      Shape padding,
      java.util.function.Supplier<NDArray> bandIndex) {
    Shape in = x.getShape();
    if (in.get(2) == 1 && in.get(3) == 1 && padding.get(0) == 0 && padding.get(1) == 0) {
      return DenseConv.convTransposeOfPixel(x, w, b);
    }
    return DenseConv.convTransposeByRows(x, w, b, bandIndex.get(), padding);
  }

  private static NDArray bandIndexArray(
      NDManager manager, Shape sample, long outChannels, Shape kernel) {
    long[] index = DenseConv.rowBandIndex(sample, outChannels, kernel);
    long rows = sample.get(0) * sample.get(2);
    return manager.create(index, new Shape(rows, index.length / rows));
  }

  /**
   * The depth-to-space form when kernel == stride with no paddings, the polyphase form for any
   * other stride above 1, else (stride 1) the zero-padded correlation.
   */
  private static NDArray compute(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape outputPadding) {
    Shape kernel = w.getShape().slice(2);
    if (isDepthToSpaceCase(kernel, stride, padding, outputPadding)) {
      return byDepthToSpace(x, w, b);
    }
    if (stride.get(0) > 1 || stride.get(1) > 1) {
      return byPolyphase(x, w, b, stride, padding, outputPadding);
    }
    return byZeroInsertion(x, w, b, stride, padding, outputPadding);
  }

  /**
   * Whether {@link DenseConv} computes this layer: stride 1 and {@link DenseConv#isWorthIt}. At a
   * larger stride the polyphase form is used instead: on DCEC's 128 -> 64, 3x3 -> 7x7 layer, the
   * one such layer shipped, it trained 8 % faster than a product with the layer's whole dense
   * operator, whose gather from the weight and scatter back cost more than the products it saves.
   */
  static boolean isKernelSizedCase(Shape input, Shape weight, Shape stride) {
    if (stride.get(0) > 1 || stride.get(1) > 1) {
      return false;
    }
    return DenseConv.isWorthIt(input.slice(1), weight.get(1), weight.slice(2));
  }

  /** {@inheritDoc} */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    NDArray weightArray = parameterStore.getValue(weight, input.getDevice(), training);
    NDArray biasArray = parameterStore.getValue(bias, input.getDevice(), training);
    Shape sample = input.getShape().slice(1);
    if (isKernelSizedCase(input.getShape(), weightArray.getShape(), stride)) {
      checkOperands(input.getShape(), weightArray.getShape(), null);
      // throws for an output size below 1, as the functional form does
      outputShape(input.getShape(), filters, kernelShape, stride, padding, outputPadding);
      NDManager scope = input.getManager();
      NDArray w = scopedAlias(weightArray, scope);
      NDArray b = biasArray == null ? null : scopedAlias(biasArray, scope);
      return new NDList(
          byKernelSizedForm(input, w, b, padding, () -> bandIndex(weightArray, sample)));
    }
    return convTranspose2d(input, weightArray, biasArray, stride, padding, outputPadding);
  }

  /**
   * The row bands' index for this input sample shape, built once and kept (in the weight's manager,
   * so it lives and dies with the model) until the input shape changes.
   */
  private synchronized NDArray bandIndex(NDArray weightArray, Shape sample) {
    if (bandIndex == null || bandIndex.isReleased() || !sample.equals(bandIndexInput)) {
      if (bandIndex != null && !bandIndex.isReleased()) {
        bandIndex.close();
      }
      bandIndex = bandIndexArray(weightArray.getManager(), sample, filters, kernelShape);
      bandIndexInput = sample;
    }
    return bandIndex;
  }

  /** {@inheritDoc} */
  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    checkInputRank(inputShapes[0]);
  }

  /** {@inheritDoc} */
  @Override
  protected void prepare(Shape[] inputShapes) {
    long inChannels = inputShapes[0].get(1);
    weight.setShape(new Shape(inChannels, filters).addAll(kernelShape));
    if (bias != null) {
      bias.setShape(new Shape(filters));
    }
  }

  /** {@inheritDoc} */
  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    checkInputRank(inputShapes[0]);
    return new Shape[] {
      outputShape(inputShapes[0], filters, kernelShape, stride, padding, outputPadding)
    };
  }

  /** {@inheritDoc} */
  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != version) {
      throw new MalformedModelException(
          "ConvTranspose2d parameters have encoding version "
              + loadVersion
              + " but this build reads version "
              + version
              + "; re-save the model with this version of deepclust");
    }
    readInputShapes(is);
  }

  /** Output channels {@code Cout}. */
  public int getFilters() {
    return filters;
  }

  /** {@code (kH, kW)}. */
  public Shape getKernelShape() {
    return kernelShape;
  }

  /** {@code (sH, sW)}. */
  public Shape getStride() {
    return stride;
  }

  /** {@code (pH, pW)}. */
  public Shape getPadding() {
    return padding;
  }

  /** {@code (opH, opW)}. */
  public Shape getOutputPadding() {
    return outputPadding;
  }

  /** Whether the block has a bias. */
  public boolean hasBias() {
    return includeBias;
  }

  /** Whether forward uses the depth-to-space fast path (kernel == stride, no paddings). */
  public boolean usesFastPath() {
    return isDepthToSpaceCase(kernelShape, stride, padding, outputPadding);
  }

  /**
   * Whether forward on input {@code (N, Cin, H, W)} uses {@link DenseConv}'s matrix products
   * (stride 1 and a map with no more pixels than the kernel, e.g. paper 004's 1x1 -> 12x12 and
   * 12x12 -> 28x28 layers).
   */
  public boolean usesKernelSizedForm(Shape input) {
    checkInputRank(input);
    return isKernelSizedCase(input, new Shape(input.get(1), filters).addAll(kernelShape), stride);
  }

  /**
   * {@code (N, Cout, (H-1)*sH - 2*pH + kH + opH, (W-1)*sW - 2*pW + kW + opW)}.
   *
   * @throws IllegalArgumentException if a spatial output size would be below 1
   */
  static Shape outputShape(
      Shape input,
      long outChannels,
      Shape kernel,
      Shape stride,
      Shape padding,
      Shape outputPadding) {
    long[] out = new long[] {input.get(0), outChannels, 0, 0};
    for (int d = 0; d < 2; d++) {
      out[2 + d] =
          (input.get(2 + d) - 1) * stride.get(d)
              - 2 * padding.get(d)
              + kernel.get(d)
              + outputPadding.get(d);
      if (out[2 + d] < 1) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: input "
                + input
                + " with kernel "
                + kernel
                + ", stride "
                + stride
                + ", padding "
                + padding
                + " and outputPadding "
                + outputPadding
                + " gives output size "
                + out[2 + d]
                + " on spatial axis "
                + d
                + "; reduce padding or use a larger input");
      }
    }
    return new Shape(out);
  }

  static boolean isDepthToSpaceCase(
      Shape kernel, Shape stride, Shape padding, Shape outputPadding) {
    return kernel.equals(stride)
        && padding.get(0) == 0
        && padding.get(1) == 0
        && outputPadding.get(0) == 0
        && outputPadding.get(1) == 0;
  }

  /**
   * Zero insertion + padding + stride-1 correlation with the flipped kernel. Valid for every
   * supported geometry.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cin, Cout, kH, kW)}, already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   */
  static NDArray byZeroInsertion(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape outputPadding) {
    long n = x.getShape().get(0);
    long c = x.getShape().get(1);
    long h = x.getShape().get(2);
    long wd = x.getShape().get(3);
    long sH = stride.get(0);
    long sW = stride.get(1);
    NDArray z = x;
    if (sH > 1 || sW > 1) {
      // Each pixel becomes the top-left of an sH x sW block of zeros; the trailing s-1 zeros
      // after the last pixel are absorbed by the padding/cropping below.
      z =
          x.reshape(n, c, h, 1, wd, 1)
              .pad(new Shape(0, sW - 1, 0, 0, 0, sH - 1), 0)
              .reshape(n, c, h * sH, wd * sW);
    }
    long[] low = new long[2];
    long[] high = new long[2];
    for (int d = 0; d < 2; d++) {
      long k = w.getShape().get(2 + d);
      low[d] = k - 1 - padding.get(d);
      high[d] = k - 1 - padding.get(d) + outputPadding.get(d) - (stride.get(d) - 1);
    }
    z = padOrCrop(z, low, high);
    NDArray kernel = w.flip(2, 3).transpose(1, 0, 2, 3);
    return PaddedConv2d.convolve(
        z, kernel, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1);
  }

  /**
   * {@code z} {@code (N, C, H, W)} with {@code low[d]} rows (d = 0) or columns (d = 1) of zeros
   * added before and {@code high[d]} after; a negative count removes that many instead (padding
   * beyond {@code k - 1} in the zero-insertion form, input rows no output pixel reads in the
   * polyphase form).
   */
  private static NDArray padOrCrop(NDArray z, long[] low, long[] high) {
    if (low[0] > 0 || high[0] > 0 || low[1] > 0 || high[1] > 0) {
      // torch.nn.functional.pad order: last axis first.
      z =
          z.pad(
              new Shape(
                  Math.max(0, low[1]),
                  Math.max(0, high[1]),
                  Math.max(0, low[0]),
                  Math.max(0, high[0])),
              0);
    }
    if (low[0] < 0 || high[0] < 0 || low[1] < 0 || high[1] < 0) {
      long zh = z.getShape().get(2);
      long zw = z.getShape().get(3);
      z =
          z.get(
              new NDIndex(
                  ":, :, {}:{}, {}:{}",
                  Math.max(0, -low[0]),
                  zh - Math.max(0, -high[0]),
                  Math.max(0, -low[1]),
                  zw - Math.max(0, -high[1])));
    }
    return z;
  }

  /**
   * Polyphase (sub-pixel) form for stride {@code s > 1}: output pixel {@code o} with {@code o + p =
   * q*s + r} receives {@code sum_t x[q - t] * w[r + s*t]}, so each of the {@code sH * sW} output
   * phases {@code (rH, rW)} is a stride-1 correlation of the input with its own sub-kernel of
   * {@code T = ceil(k / s)} taps ({@code w[r + s*(T-1-u)]}, zero where that passes the kernel). All
   * phases run as one convolution to {@code Cout * sH * sW} channels, followed by depth-to-space
   * and a crop to the output. It multiplies {@code T^2} weights per output pixel instead of the
   * zero-insertion form's {@code k^2}, most of them against inserted zeros there (for DCEC's 5x5
   * stride-2 layers 9 instead of 25, for 3x3 stride 2 4 instead of 9). Where {@code k} is not a
   * multiple of {@code s} some sub-kernel taps are zero weights (the convolution runs {@code (T
   * s)^2} taps per input pixel for {@code k^2} weights: 36 for 25 at 5x5 stride 2, 16 for 9 at 3x3
   * stride 2), and the crop drops up to {@code s - 1} computed rows and columns. The same sums in
   * another order: equal to {@link #byZeroInsertion} up to float rounding.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cin, Cout, kH, kW)}, already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   */
  static NDArray byPolyphase(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape outputPadding) {
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long cout = w.getShape().get(1);
    Shape out =
        outputShape(x.getShape(), cout, w.getShape().slice(2), stride, padding, outputPadding);
    long[] s = new long[2];
    long[] taps = new long[2];
    long[] phasePixels = new long[2];
    long[] low = new long[2];
    long[] high = new long[2];
    long[] crop = new long[2];
    for (int d = 0; d < 2; d++) {
      long k = w.getShape().get(2 + d);
      long p = padding.get(d);
      s[d] = stride.get(d);
      taps[d] = (k + s[d] - 1) / s[d];
      long first = p / s[d]; // q of output pixel 0
      long last = (out.get(2 + d) - 1 + p) / s[d]; // q of the last output pixel
      phasePixels[d] = last - first + 1;
      low[d] = taps[d] - 1 - first; // input padding (negative: rows dropped) before ...
      high[d] = last - (x.getShape().get(2 + d) - 1); // ... and after the input
      crop[d] = p - first * s[d];
    }
    NDArray z = padOrCrop(x, low, high);
    // (Cin, Cout, kH, kW) -> zero taps to (T*s) per axis -> (Cin, Cout, TH, sH, TW, sW) with
    // a = t*s + r -> taps reversed (u = T-1-t) -> (Cout, sH, sW, Cin, TH, TW).
    NDArray kernel =
        w.pad(
                new Shape(
                    0,
                    taps[1] * s[1] - w.getShape().get(3),
                    0,
                    taps[0] * s[0] - w.getShape().get(2)),
                0)
            .reshape(cin, cout, taps[0], s[0], taps[1], s[1])
            .flip(2, 4)
            .transpose(1, 3, 5, 0, 2, 4)
            .reshape(cout * s[0] * s[1], cin, taps[0], taps[1]);
    long phases = s[0] * s[1];
    NDArray bias = b == null ? null : b.reshape(cout, 1).repeat(1, phases).reshape(cout * phases);
    NDArray y =
        PaddedConv2d.convolve(z, kernel, bias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
            // (N, Cout*sH*sW, QH, QW) -> (N, Cout, QH*sH, QW*sW)
            .reshape(n, cout, s[0], s[1], phasePixels[0], phasePixels[1])
            .transpose(0, 1, 4, 2, 5, 3)
            .reshape(n, cout, phasePixels[0] * s[0], phasePixels[1] * s[1]);
    long outH = out.get(2);
    long outW = out.get(3);
    if (crop[0] == 0
        && crop[1] == 0
        && y.getShape().get(2) == outH
        && y.getShape().get(3) == outW) {
      return y;
    }
    return y.get(
        new NDIndex(":, :, {}:{}, {}:{}", crop[0], crop[0] + outH, crop[1], crop[1] + outW));
  }

  /**
   * Kernel == stride, no padding: every input pixel writes its own disjoint {@code kH x kW} output
   * block, so the layer is a 1x1 convolution to {@code Cout * kH * kW} channels (channel {@code (o,
   * a, b)} = output pixel offset {@code (a, b)} of channel {@code o}) followed by depth-to-space.
   *
   * <p>Why a 1x1 {@link Conv2d#conv2d} rather than a matrix product over {@code (N*H*W, Cin)}: the
   * convolution reads and writes NCHW directly (oneDNN), so the only layout change left is the
   * depth-to-space itself (one copy forward, one backward); the matrix-product form also had to
   * transpose the input to NHWC and its gradient back, which cost as much as the products at batch
   * 256. The bias is folded into the convolution (repeated over the {@code kH x kW} offsets, its
   * gradient summed back by autograd) instead of a separate pass over the output.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cin, Cout, kH, kW)}, already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   */
  static NDArray byDepthToSpace(NDArray x, NDArray w, NDArray b) {
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long h = x.getShape().get(2);
    long wd = x.getShape().get(3);
    long cout = w.getShape().get(1);
    long kH = w.getShape().get(2);
    long kW = w.getShape().get(3);
    long blocks = kH * kW;
    NDArray kernel =
        w.reshape(cin, cout * blocks).transpose(1, 0).reshape(cout * blocks, cin, 1, 1);
    NDArray bias = b == null ? null : b.reshape(cout, 1).repeat(1, blocks).reshape(cout * blocks);
    NDArray depth =
        PaddedConv2d.convolve(
            x, kernel, bias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1);
    if (blocks == 1) {
      return depth; // a 1x1 kernel: nothing to rearrange
    }
    // (N, Cout*kH*kW, H, W)
    return depth
        .reshape(n, cout, kH, kW, h, wd)
        .transpose(0, 1, 4, 2, 5, 3) // (N, Cout, H, kH, W, kW)
        .reshape(n, cout, h * kH, wd * kW);
  }

  /**
   * A view of a parameter owned by {@code scope} (the input's manager). Every op result attaches to
   * the manager of its first operand; without this, the flips/reshapes of the weight would land in
   * the model's manager and stay there after the per-batch manager closes (a leak per forward).
   */
  private static NDArray scopedAlias(NDArray parameter, NDManager scope) {
    NDArray alias = parameter.reshape(parameter.getShape());
    if (alias == parameter) {
      throw new IllegalStateException(
          "ConvTranspose2d: the engine returned the parameter itself for a reshape; refusing to"
              + " move it into the per-batch manager");
    }
    alias.attach(scope);
    return alias;
  }

  private static void checkInputRank(Shape input) {
    if (input.dimension() != 4) {
      throw new IllegalArgumentException(
          "ConvTranspose2d expects input (N, Cin, H, W) but got shape "
              + input
              + "; reshape the batch to 4 dimensions (e.g. (N, 1, 28, 28) for MNIST)");
    }
  }

  private static void checkOperands(Shape input, Shape weight, Shape bias) {
    checkInputRank(input);
    if (weight.dimension() != 4) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: weight must be (Cin, Cout, kH, kW) but has shape " + weight);
    }
    if (input.get(1) != weight.get(0)) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: input has "
              + input.get(1)
              + " channels (shape "
              + input
              + ") but the weight "
              + weight
              + " expects "
              + weight.get(0)
              + "; feed the block inputs with the channel count it was initialised for");
    }
    if (bias != null && (bias.dimension() != 1 || bias.get(0) != weight.get(1))) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: bias must be (" + weight.get(1) + ") but has shape " + bias);
    }
  }

  static void checkGeometry(Shape kernel, Shape stride, Shape padding, Shape outputPadding) {
    checkPair("kernelShape", kernel, 1);
    checkPair("stride", stride, 1);
    checkPair("padding", padding, 0);
    checkPair("outputPadding", outputPadding, 0);
    for (int d = 0; d < 2; d++) {
      if (outputPadding.get(d) >= stride.get(d)) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: outputPadding "
                + outputPadding
                + " must be smaller than stride "
                + stride
                + " on every axis (PyTorch rule with dilation 1); lower outputPadding");
      }
    }
  }

  private static void checkPair(String field, Shape value, long min) {
    if (value == null || value.dimension() != 2) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: " + field + " must have 2 entries (height, width) but is " + value);
    }
    if (value.get(0) < min || value.get(1) < min) {
      throw new IllegalArgumentException(
          "ConvTranspose2d: " + field + " " + value + " must be at least " + min + " on each axis");
    }
  }

  /**
   * DJL-style builder: {@code set*} required, {@code opt*} optional, {@link #build()} validates.
   */
  public static final class Builder {
    private int filters;
    private Shape kernelShape;
    private Shape stride = new Shape(1, 1);
    private Shape padding = new Shape(0, 0);
    private Shape outputPadding = new Shape(0, 0);
    private Shape dilation = new Shape(1, 1);
    private int groups = 1;
    private boolean includeBias = true;

    Builder() {}

    /** Output channels {@code Cout} (required, at least 1). */
    public Builder setFilters(int filters) {
      this.filters = filters;
      return this;
    }

    /** Kernel {@code (kH, kW)} (required). */
    public Builder setKernelShape(Shape kernelShape) {
      this.kernelShape = kernelShape;
      return this;
    }

    /** Stride {@code (sH, sW)}, default {@code (1, 1)}. */
    public Builder optStride(Shape stride) {
      this.stride = stride;
      return this;
    }

    /** Padding removed from each side of the full output, default {@code (0, 0)}. */
    public Builder optPadding(Shape padding) {
      this.padding = padding;
      return this;
    }

    /** Extra rows/columns on the bottom/right, default {@code (0, 0)}; must be below stride. */
    public Builder optOutputPadding(Shape outputPadding) {
      this.outputPadding = outputPadding;
      return this;
    }

    /** Only {@code (1, 1)} is supported; anything else is rejected by {@link #build()}. */
    public Builder optDilation(Shape dilation) {
      this.dilation = dilation;
      return this;
    }

    /** Only {@code 1} is supported; anything else is rejected by {@link #build()}. */
    public Builder optGroups(int groups) {
      this.groups = groups;
      return this;
    }

    /** Whether to add a bias {@code (Cout)}, default {@code true} (as PyTorch). */
    public Builder optBias(boolean includeBias) {
      this.includeBias = includeBias;
      return this;
    }

    /**
     * Validates and builds the block.
     *
     * @throws IllegalArgumentException naming the field that is wrong and the fix
     */
    public ConvTranspose2d build() {
      if (filters < 1) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: filters (output channels) is "
                + filters
                + "; call setFilters with a value of at least 1");
      }
      if (kernelShape == null) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: kernelShape is not set; call setKernelShape(new Shape(kH, kW))");
      }
      if (dilation == null
          || dilation.dimension() != 2
          || dilation.get(0) != 1
          || dilation.get(1) != 1) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: dilation "
                + dilation
                + " is not supported; only (1, 1) is implemented");
      }
      if (groups != 1) {
        throw new IllegalArgumentException(
            "ConvTranspose2d: groups = " + groups + " is not supported; only 1 is implemented");
      }
      checkGeometry(kernelShape, stride, padding, outputPadding);
      return new ConvTranspose2d(this);
    }
  }
}
