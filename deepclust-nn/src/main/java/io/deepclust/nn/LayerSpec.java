package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One layer of a {@link ConvArchitecture}, chosen in YAML by {@code type}: {@code conv}, {@code
 * conv_transpose}, {@code max_pool}, {@code linear}, {@code flatten}, {@code reshape}, {@code
 * batch_norm}, {@code layer_norm}, {@code dropout}, {@code activation}, {@code l2_normalize}. Each
 * is the {@code torch.nn} layer of the same name with PyTorch's defaults, so parameter counts
 * match.
 *
 * <p>Shapes here are per sample, without the batch axis: {@code (C, H, W)} for images, {@code (F)}
 * for features. A missing field takes its documented default; a field without a default is
 * required. An invalid value is an {@link IllegalArgumentException} whose message starts with the
 * field's snake-case name, e.g. {@code kernel: must be at least 1, got 0}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = LayerSpec.Conv.class, name = "conv"),
  @JsonSubTypes.Type(value = LayerSpec.ConvTranspose.class, name = "conv_transpose"),
  @JsonSubTypes.Type(value = LayerSpec.MaxPool.class, name = "max_pool"),
  @JsonSubTypes.Type(value = LayerSpec.Linear.class, name = "linear"),
  @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = LayerSpec.Reshape.class, name = "reshape"),
  @JsonSubTypes.Type(value = LayerSpec.BatchNorm.class, name = "batch_norm"),
  @JsonSubTypes.Type(value = LayerSpec.LayerNorm.class, name = "layer_norm"),
  @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = LayerSpec.Activation.class, name = "activation"),
  @JsonSubTypes.Type(value = LayerSpec.L2Normalize.class, name = "l2_normalize"),
})
public sealed interface LayerSpec {

  /**
   * The output shape of one sample for input {@code input} (both without the batch axis).
   *
   * @throws IllegalArgumentException if the layer does not accept that input (wrong rank, a kernel
   *     larger than the padded input, a size mismatch), naming the field at fault
   */
  Shape outputShape(Shape input);

  /**
   * A new block for input {@code input} (one sample, as checked by {@link #outputShape}); Linear /
   * Conv layers get PyTorch's default initializers, which the architecture may replace ({@link
   * WeightInit}).
   */
  Block build(Shape input);

  /** One line, e.g. {@code conv 8, kernel 9, stride 1, padding 0}. */
  String description();

  /** A layer whose output has its input's shape (normalisation, dropout, activation). */
  sealed interface ShapePreserving extends LayerSpec {
    /** {@code input}, unchanged. */
    @Override
    default Shape outputShape(Shape input) {
      return input;
    }
  }

  /**
   * {@code nn.Conv2d(C, filters, kernel, stride, padding, bias=bias)}: {@code (C, H, W) ->
   * (filters, (H + 2 pH - kH) / sH + 1, (W + 2 pW - kW) / sW + 1)} (floor division); {@code filters
   * * C * kH * kW (+ filters)} parameters.
   *
   * @param filters output channels, at least 1; required
   * @param kernel kernel size, each at least 1; {@code n} or {@code [h, w]}; required
   * @param stride at least 1; default 1
   * @param padding zeros added on each side, at least 0; default 0
   * @param bias learnable bias per output channel; default true
   */
  record Conv(Integer filters, Size2d kernel, Size2d stride, Size2d padding, Boolean bias)
      implements LayerSpec {

    /** Fills defaults and checks ranges. */
    public Conv {
      Checks.atLeast("filters", Checks.required("filters", filters, "output channels"), 1);
      checkWindow("kernel", Checks.required("kernel", kernel, "kernel size, n or [h, w]"), 1);
      stride = checkWindow("stride", stride == null ? Size2d.square(1) : stride, 1);
      padding = checkWindow("padding", padding == null ? Size2d.square(0) : padding, 0);
      bias = bias == null ? Boolean.TRUE : bias;
    }

    @Override
    public Shape outputShape(Shape input) {
      requireImage(input, "conv");
      return new Shape(
          filters,
          convolved("kernel", input, 1, kernel.height(), stride.height(), padding.height()),
          convolved("kernel", input, 2, kernel.width(), stride.width(), padding.width()));
    }

    @Override
    public Block build(Shape input) {
      return PyTorchInit.apply(
          PaddedConv2d.of(
              Conv2d.builder()
                  .setFilters(filters)
                  .setKernelShape(kernel.toShape())
                  .optStride(stride.toShape())
                  .optPadding(padding.toShape())
                  .optBias(bias)));
    }

    @Override
    public String description() {
      return convDescription("conv", filters, kernel, stride, padding) + (bias ? "" : ", no bias");
    }
  }

  /**
   * {@code nn.ConvTranspose2d(C, filters, kernel, stride, padding, output_padding, bias=bias)},
   * computed exactly by {@link ConvTranspose2d}: {@code (C, H, W) -> (filters, (H - 1) sH - 2 pH +
   * kH + opH, ...)}; {@code C * filters * kH * kW (+ filters)} parameters.
   *
   * @param filters output channels, at least 1; required
   * @param kernel kernel size, each at least 1; required
   * @param stride at least 1; default 1
   * @param padding removed from each side of the output, at least 0; default 0
   * @param outputPadding added to the bottom / right of the output, at least 0 and below the stride
   *     (PyTorch's rule); default 0
   * @param bias learnable bias per output channel; default true
   */
  record ConvTranspose(
      Integer filters,
      Size2d kernel,
      Size2d stride,
      Size2d padding,
      Size2d outputPadding,
      Boolean bias)
      implements LayerSpec {

    /** Fills defaults and checks ranges. */
    public ConvTranspose {
      Checks.atLeast("filters", Checks.required("filters", filters, "output channels"), 1);
      checkWindow("kernel", Checks.required("kernel", kernel, "kernel size, n or [h, w]"), 1);
      stride = checkWindow("stride", stride == null ? Size2d.square(1) : stride, 1);
      padding = checkWindow("padding", padding == null ? Size2d.square(0) : padding, 0);
      outputPadding =
          checkWindow(
              "output_padding", outputPadding == null ? Size2d.square(0) : outputPadding, 0);
      if (outputPadding.height() >= stride.height() || outputPadding.width() >= stride.width()) {
        throw new IllegalArgumentException(
            "output_padding: "
                + outputPadding
                + " must be smaller than the stride "
                + stride
                + " (PyTorch's rule); use 0, or a larger stride");
      }
      bias = bias == null ? Boolean.TRUE : bias;
    }

    @Override
    public Shape outputShape(Shape input) {
      requireImage(input, "conv_transpose");
      long h =
          (input.get(1) - 1) * stride.height()
              - 2L * padding.height()
              + kernel.height()
              + outputPadding.height();
      long w =
          (input.get(2) - 1) * stride.width()
              - 2L * padding.width()
              + kernel.width()
              + outputPadding.width();
      if (h < 1 || w < 1) {
        throw new IllegalArgumentException(
            "padding: "
                + padding
                + " leaves an output of "
                + h
                + " x "
                + w
                + " for the input "
                + input
                + "; reduce the padding or enlarge the kernel");
      }
      return new Shape(filters, h, w);
    }

    @Override
    public Block build(Shape input) {
      return ConvTranspose2d.builder()
          .setFilters(filters)
          .setKernelShape(kernel.toShape())
          .optStride(stride.toShape())
          .optPadding(padding.toShape())
          .optOutputPadding(outputPadding.toShape())
          .optBias(bias)
          .build();
    }

    @Override
    public String description() {
      return convDescription("conv_transpose", filters, kernel, stride, padding)
          + ", output_padding "
          + outputPadding
          + (bias ? "" : ", no bias");
    }
  }

  /**
   * {@code nn.MaxPool2d(kernel, stride)} without padding, floor mode: {@code (C, H, W) -> (C, (H -
   * kH) / sH + 1, (W - kW) / sW + 1)}. No parameters.
   *
   * @param kernel window size, each at least 1; required
   * @param stride at least 1; default the kernel (PyTorch's default)
   */
  record MaxPool(Size2d kernel, Size2d stride) implements LayerSpec {

    /** Fills defaults and checks ranges. */
    public MaxPool {
      checkWindow("kernel", Checks.required("kernel", kernel, "window size, n or [h, w]"), 1);
      stride = checkWindow("stride", stride == null ? kernel : stride, 1);
    }

    @Override
    public Shape outputShape(Shape input) {
      requireImage(input, "max_pool");
      return new Shape(
          input.get(0),
          convolved("kernel", input, 1, kernel.height(), stride.height(), 0),
          convolved("kernel", input, 2, kernel.width(), stride.width(), 0));
    }

    @Override
    public Block build(Shape input) {
      return Pool.maxPool2dBlock(kernel.toShape(), stride.toShape());
    }

    @Override
    public String description() {
      return "max_pool " + kernel + ", stride " + stride;
    }
  }

  /**
   * {@code nn.Linear(F, units, bias=bias)}: {@code (F) -> (units)}; {@code F * units (+ units)}
   * parameters. Needs a flat input: put a {@code flatten} before it after convolutions.
   *
   * @param units output features, at least 1; required
   * @param bias learnable bias; default true
   */
  record Linear(Integer units, Boolean bias) implements LayerSpec {

    /** Fills defaults and checks ranges. */
    public Linear {
      Checks.atLeast("units", Checks.required("units", units, "output features"), 1);
      bias = bias == null ? Boolean.TRUE : bias;
    }

    @Override
    public Shape outputShape(Shape input) {
      if (input.dimension() != 1) {
        throw new IllegalArgumentException(
            "linear needs a flat input (F) but gets " + input + "; add {type: flatten} before it");
      }
      return new Shape(units);
    }

    @Override
    public Block build(Shape input) {
      return Layers.linear(units, bias);
    }

    @Override
    public String description() {
      return "linear " + units + (bias ? "" : ", no bias");
    }
  }

  /** {@code nn.Flatten()}: any {@code (d1, ..., dk) -> (d1 * ... * dk)}. No fields. */
  record Flatten() implements LayerSpec {

    @Override
    public Shape outputShape(Shape input) {
      return new Shape(input.size());
    }

    @Override
    public Block build(Shape input) {
      return new io.deepclust.nn.Reshape(new Shape(input.size()));
    }

    @Override
    public String description() {
      return "flatten";
    }
  }

  /**
   * {@code nn.Unflatten} / {@code view}: a sample of {@code prod(shape)} values to {@code shape},
   * e.g. {@code [250, 1, 1]} after a linear layer of 250 units. No parameters.
   *
   * @param shape the target sample shape, positive sizes; required
   */
  record Reshape(List<Integer> shape) implements LayerSpec {

    /** Checks the sizes. */
    public Reshape {
      shape = Checks.sizes("shape", shape, 1, "target sample shape, e.g. [64, 7, 7]");
    }

    /** The target shape as a DJL shape. */
    public Shape target() {
      return new Shape(shape.stream().mapToLong(Integer::longValue).toArray());
    }

    @Override
    public Shape outputShape(Shape input) {
      if (input.size() != target().size()) {
        throw new IllegalArgumentException(
            "shape: "
                + shape
                + " holds "
                + target().size()
                + " values but the input "
                + input
                + " has "
                + input.size()
                + "; make the product of shape equal the previous layer's output size");
      }
      return target();
    }

    @Override
    public Block build(Shape input) {
      return new io.deepclust.nn.Reshape(target());
    }

    @Override
    public String description() {
      return "reshape " + shape;
    }
  }

  /**
   * {@code nn.BatchNorm1d(C)} / {@code nn.BatchNorm2d(C)} over axis 1 of the batch (the channel or
   * feature axis), eps {@code 1e-5}, momentum 0.1: {@code 2 C} parameters plus {@code 2 C}
   * running-statistics buffers. Batch statistics in training, running statistics in inference. No
   * fields.
   */
  record BatchNorm() implements ShapePreserving {

    @Override
    public Block build(Shape input) {
      return Layers.batchNorm2d();
    }

    @Override
    public String description() {
      return "batch_norm";
    }
  }

  /**
   * {@code nn.LayerNorm(sample_shape)}: each sample normalised over all its axes (the feature axis
   * of {@code (F)}), eps {@code 1e-5}, elementwise affine of the sample's shape ({@code 2 *
   * prod(shape)} parameters). No fields.
   */
  record LayerNorm() implements ShapePreserving {

    @Override
    public Block build(Shape input) {
      return Normalization.layerNorm();
    }

    @Override
    public String description() {
      return "layer_norm";
    }
  }

  /**
   * {@code nn.Dropout(rate)}: in training each value is zeroed with probability {@code rate} and
   * the rest scaled by {@code 1 / (1 - rate)}; the identity in inference (DJL passes the forward's
   * {@code training} flag to {@code torch::dropout}). No parameters.
   *
   * @param rate in {@code [0, 1)}; default 0.5 (PyTorch's)
   */
  record Dropout(Double rate) implements ShapePreserving {

    /** Fills the default and checks the range. */
    public Dropout {
      rate = rate == null ? 0.5 : rate;
      Checks.probability("rate", rate);
    }

    @Override
    public Block build(Shape input) {
      return ai.djl.nn.norm.Dropout.builder().optRate(rate.floatValue()).build();
    }

    @Override
    public String description() {
      return "dropout " + rate;
    }
  }

  /**
   * An element-wise activation ({@link ActivationFunction}). No parameters.
   *
   * @param name {@code relu}, {@code leaky_relu}, {@code sigmoid}, {@code tanh}, {@code gelu},
   *     {@code elu} or {@code none}; required
   */
  record Activation(ActivationFunction name) implements ShapePreserving {

    /** Checks the name is given. */
    public Activation {
      Checks.required("name", name, "relu, leaky_relu, sigmoid, tanh, gelu, elu or none");
    }

    @Override
    public Block build(Shape input) {
      Block block = name.block();
      return block == null ? Blocks.identityBlock() : block;
    }

    @Override
    public String description() {
      return name.yamlName();
    }
  }

  /**
   * {@code F.normalize(x, p=2, dim=1)} ({@link io.deepclust.nn.L2Normalize}): each sample divided
   * by its L2 norm over the first sample axis (the features of {@code (F)}). No fields.
   */
  record L2Normalize() implements ShapePreserving {

    @Override
    public Block build(Shape input) {
      return new io.deepclust.nn.L2Normalize();
    }

    @Override
    public String description() {
      return "l2_normalize";
    }
  }

  /** {@code "<type> <filters>, kernel <k>, stride <s>, padding <p>"}, as Conv and ConvTranspose. */
  private static String convDescription(
      String type, int filters, Size2d kernel, Size2d stride, Size2d padding) {
    return type
        + " "
        + filters
        + ", kernel "
        + kernel
        + ", stride "
        + stride
        + ", padding "
        + padding;
  }

  private static Size2d checkWindow(String field, Size2d value, int min) {
    if (value.below(min)) {
      throw new IllegalArgumentException(field + ": must be at least " + min + ", got " + value);
    }
    return value;
  }

  private static void requireImage(Shape input, String type) {
    if (input.dimension() != 3) {
      throw new IllegalArgumentException(
          type
              + " needs an image input (C, H, W) but gets "
              + input
              + "; add {type: reshape, shape: [C, H, W]} before it");
    }
  }

  /** {@code (size + 2 padding - kernel) / stride + 1} on sample axis {@code axis}. */
  private static long convolved(
      String field, Shape input, int axis, int kernel, int stride, int padding) {
    long padded = input.get(axis) + 2L * padding;
    if (padded < kernel) {
      throw new IllegalArgumentException(
          field
              + ": "
              + kernel
              + " is larger than the input's "
              + (axis == 1 ? "height " : "width ")
              + input.get(axis)
              + (padding > 0 ? " padded to " + padded : "")
              + " (input "
              + input
              + "); use a smaller kernel or more padding");
    }
    return (padded - kernel) / stride + 1;
  }
}
