package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Convolution and transposed convolution of small feature maps as one matrix product with the
 * layer's dense linear operator: {@code y = x.reshape(N, Cin*H*W) @ A(w) + bias}, where {@code
 * A(w)} of shape {@code (Cin*H*W, Cout*Hout*Wout)} is gathered from the weight through a constant
 * index ({@link #convTransposeIndex}, {@link #convIndex}); entries no kernel tap reaches point at
 * an appended zero. The gather ({@code torch.take}) and the product are ordinary autograd ops, so
 * the gradients with respect to the input, the weight (the gather's backward sums {@code dA} back
 * onto each weight) and the bias are exact: the same sums as PyTorch's, in another order (float32
 * rounding only).
 *
 * <p><b>When it is used</b> ({@link #isWorthIt}): when the input map has no more pixels than the
 * kernel ({@code H * W <= kH * kW}) and the operator has at most {@link #MAX_OPERATOR_ENTRIES}
 * entries. Then the product multiplies no more than the direct convolution does ({@code Cin*H*W *
 * Cout*Hout*Wout <= Cout*Hout*Wout * Cin*kH*kW}) and, for a stride-1 transposed convolution (the
 * only ones {@link ConvTranspose2d} sends here), far fewer than the zero-padded convolution that it
 * otherwise runs (which slides the kernel over {@code k - 1} rows of zeros on every side). Paper
 * 004's decoder is the case: a 12x12 transposed convolution of a 1x1 map (250 -> 4 channels, a
 * plain matrix product) and a 17x17 one from 12x12 to 28x28 (4 -> 4 channels, a 576 x 3136
 * operator). Measured on 2 cores (batch 100, forward + backward): 8.5 s -> 60 ms and 4.5 s -> 0.34
 * s (docs/RESULTS.md). Convolutions whose kernel is small next to the map (paper 004's 9x9 encoder
 * convolutions over 28x28 and 20x20 maps) stay on libtorch's convolution, where the dense product
 * would do 5-10 times the work.
 */
public final class DenseConv {

  /** Largest operator (entries of {@code A(w)}, 16 MiB of float32) the dense form builds. */
  public static final long MAX_OPERATOR_ENTRIES = 1L << 22;

  private DenseConv() {}

  /**
   * Whether the dense form is used for a layer with this input map and kernel (see the class
   * comment).
   *
   * @param input one sample {@code (Cin, H, W)}
   * @param outChannels {@code Cout}
   * @param kernel {@code (kH, kW)}
   * @param output one output sample's {@code (Cout, Hout, Wout)} (or any shape of that size)
   */
  public static boolean isWorthIt(Shape input, long outChannels, Shape kernel, Shape output) {
    long pixels = input.get(1) * input.get(2);
    long entries = input.size() * output.size();
    return pixels <= kernel.get(0) * kernel.get(1) && entries <= MAX_OPERATOR_ENTRIES;
  }

  /**
   * The operator's index for {@code conv_transpose2d} with PyTorch's semantics: entry {@code ((c,
   * i, j), (o, i*sH + a - pH, j*sW + b - pW))} holds the flat index of {@code w[c, o, a, b]} in a
   * {@code (Cin, Cout, kH, kW)} weight; all others hold {@code Cin*Cout*kH*kW} (the appended zero).
   *
   * @param input one sample {@code (Cin, H, W)}
   * @param output one output sample {@code (Cout, Hout, Wout)}, from {@link
   *     ConvTranspose2d#outputShape}
   * @return row-major {@code (Cin*H*W) x (Cout*Hout*Wout)}
   */
  public static long[] convTransposeIndex(
      Shape input, Shape output, Shape kernel, Shape stride, Shape padding) {
    return index(input, output, kernel, stride, padding, true);
  }

  /**
   * The operator's index for {@code conv2d} (dilation 1, groups 1): entry {@code ((c, r*sH + a -
   * pH, q*sW + b - pW), (o, r, q))} holds the flat index of {@code w[o, c, a, b]} in a {@code
   * (Cout, Cin, kH, kW)} weight; taps on the zero padding are dropped; all others hold {@code
   * Cout*Cin*kH*kW} (the appended zero).
   *
   * @param input one sample {@code (Cin, H, W)}
   * @param output one output sample {@code (Cout, Hout, Wout)}
   * @return row-major {@code (Cin*H*W) x (Cout*Hout*Wout)}
   */
  public static long[] convIndex(
      Shape input, Shape output, Shape kernel, Shape stride, Shape padding) {
    return index(input, output, kernel, stride, padding, false);
  }

  private static long[] index(
      Shape input, Shape output, Shape kernel, Shape stride, Shape padding, boolean transpose) {
    int cin = Math.toIntExact(input.get(0));
    int h = Math.toIntExact(input.get(1));
    int w = Math.toIntExact(input.get(2));
    int cout = Math.toIntExact(output.get(0));
    int ho = Math.toIntExact(output.get(1));
    int wo = Math.toIntExact(output.get(2));
    int kh = Math.toIntExact(kernel.get(0));
    int kw = Math.toIntExact(kernel.get(1));
    long entries = input.size() * output.size();
    if (entries > MAX_OPERATOR_ENTRIES) {
      throw new IllegalArgumentException(
          "DenseConv: the operator for input "
              + input
              + " and output "
              + output
              + " would have "
              + entries
              + " entries, above MAX_OPERATOR_ENTRIES = "
              + MAX_OPERATOR_ENTRIES
              + "; use the convolution itself for maps this large");
    }
    int cols = cout * ho * wo;
    long zero = (long) cin * cout * kh * kw;
    long[] index = new long[Math.toIntExact(entries)];
    java.util.Arrays.fill(index, zero);
    for (int c = 0; c < cin; c++) {
      for (int o = 0; o < cout; o++) {
        for (int a = 0; a < kh; a++) {
          for (int b = 0; b < kw; b++) {
            long weightIndex =
                transpose
                    ? (((long) c * cout + o) * kh + a) * kw + b
                    : (((long) o * cin + c) * kh + a) * kw + b;
            if (transpose) {
              // Input pixel (i, j) writes output pixel (i*s + a - p, j*s + b - p).
              for (int i = 0; i < h; i++) {
                int r = i * (int) stride.get(0) + a - (int) padding.get(0);
                if (r < 0 || r >= ho) {
                  continue;
                }
                for (int j = 0; j < w; j++) {
                  int q = j * (int) stride.get(1) + b - (int) padding.get(1);
                  if (q >= 0 && q < wo) {
                    index[((c * h + i) * w + j) * cols + (o * ho + r) * wo + q] = weightIndex;
                  }
                }
              }
            } else {
              // Output pixel (r, q) reads input pixel (r*s + a - p, q*s + b - p).
              for (int r = 0; r < ho; r++) {
                int i = r * (int) stride.get(0) + a - (int) padding.get(0);
                if (i < 0 || i >= h) {
                  continue;
                }
                for (int q = 0; q < wo; q++) {
                  int j = q * (int) stride.get(1) + b - (int) padding.get(1);
                  if (j >= 0 && j < w) {
                    index[((c * h + i) * w + j) * cols + (o * ho + r) * wo + q] = weightIndex;
                  }
                }
              }
            }
          }
        }
      }
    }
    return index;
  }

  /**
   * The index as an {@code int64} array of shape {@code (Cin*H*W, Cout*Hout*Wout)} in {@code
   * manager} (build it once per layer and keep it: it depends only on the geometry).
   */
  public static NDArray indexArray(NDManager manager, long[] index, Shape input, Shape output) {
    return manager.create(index, new Shape(input.size(), output.size()));
  }

  /**
   * {@code y = x.reshape(N, -1) @ A(w) + bias}, reshaped to {@code (N, Cout, Hout, Wout)}.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w the layer's weight ({@code (Cin, Cout, kH, kW)} for a transposed convolution, {@code
   *     (Cout, Cin, kH, kW)} for a convolution), already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   * @param index the operator's index from {@link #indexArray}
   * @param output one output sample {@code (Cout, Hout, Wout)}
   * @return {@code (N, Cout, Hout, Wout)} in {@code x}'s manager
   */
  public static NDArray apply(NDArray x, NDArray w, NDArray b, NDArray index, Shape output) {
    long n = x.getShape().get(0);
    NDManager scope = x.getManager();
    NDArray flat = w.reshape(w.size()).concat(scope.zeros(new Shape(1), w.getDataType()));
    NDArray operator = flat.take(scope, index);
    NDArray y = x.reshape(n, x.size() / n).matMul(operator);
    if (b != null) {
      // The bias repeated over the pixels and added in the product's layout: one pass.
      y = y.add(b.reshape(output.get(0), 1).repeat(1, output.get(1) * output.get(2)).reshape(-1));
    }
    return y.reshape(new Shape(n).addAll(output));
  }
}
