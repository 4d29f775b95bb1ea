package io.deepclust.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Stride-1 transposed convolutions whose kernel covers the input map, as matrix products (paper
 * 004's decoder: a 12x12 kernel on a 1x1 map, 250 -> 4 channels, and a 17x17 kernel from 12x12 to
 * 28x28, 4 -> 4 channels). Libtorch would run them as a convolution of the input padded by {@code k
 * - 1} zeros on every side, sliding the kernel mostly over zeros, and on the CPU through oneDNN
 * kernels measured wrong for such channel counts ({@link PaddedConv2d}).
 *
 * <ul>
 *   <li>a 1x1 map: the layer's operator is the weight itself ({@link #convTransposeOfPixel});
 *   <li>other maps: by rows ({@link #convTransposeByRows}): each kernel row is a banded matrix
 *       along the width, gathered from the weight through a constant index ({@link #rowBandIndex});
 *       one product gives every input row's contribution to every output row, and a skew and one
 *       sum add them up.
 * </ul>
 *
 * <p>The gather ({@code torch.take}), the products, the skew and the sum are ordinary autograd ops,
 * so the gradients with respect to the input, the weight (the gather's backward sums each band
 * entry's gradient back onto its weight) and the bias are exact: the same sums as PyTorch's, in
 * another order (float32 rounding only; {@code DenseConvTest} checks them against PyTorch).
 *
 * <p><b>When they are used</b> ({@link #isWorthIt}): when the input map has no more pixels than the
 * kernel ({@code H * W <= kH * kW}) and the bands have at most {@link #MAX_OPERATOR_ENTRIES}
 * entries. Convolutions whose kernel is small next to the map (paper 004's 9x9 encoder convolutions
 * over 28x28 and 20x20 maps) stay on libtorch's convolution. Until 2026-12-02 the second case was
 * one product with the layer's whole dense {@code (Cin*H*W) x (Cout*Hout*Wout)} operator (576 x
 * 3,136 for the 17x17 layer); the row form multiplies {@code kH / Hfull} as many entries ({@code
 * Hfull = H + kH - 1}) and gathers 20 times fewer, and trained paper 004's network faster
 * (docs/RESULTS.md).
 */
public final class DenseConv {

  /** Largest band index (entries, 32 MiB of int64) the row form builds. */
  public static final long MAX_OPERATOR_ENTRIES = 1L << 22;

  private DenseConv() {}

  /**
   * Whether a stride-1 transposed convolution with this input map and kernel is computed here (see
   * the class comment).
   *
   * @param input one sample {@code (Cin, H, W)}
   * @param outChannels {@code Cout}
   * @param kernel {@code (kH, kW)}
   */
  public static boolean isWorthIt(Shape input, long outChannels, Shape kernel) {
    long pixels = input.get(1) * input.get(2);
    long bands;
    try {
      bands =
          Math.multiplyExact(
              Math.multiplyExact(
                  Math.multiplyExact(Math.multiplyExact(input.get(0), input.get(2)), kernel.get(0)),
                  outChannels),
              input.get(2) + kernel.get(1) - 1);
    } catch (ArithmeticException e) {
      return false; // beyond any real layer's size
    }
    return pixels <= kernel.get(0) * kernel.get(1) && bands <= MAX_OPERATOR_ENTRIES;
  }

  /**
   * The index of the row-band form of a stride-1 {@code conv_transpose2d} ({@link
   * #convTransposeByRows}): a {@code (Cin*W) x (kH*Cout*Wfull)} matrix, {@code Wfull = W + kW - 1},
   * whose entry {@code ((c, j), (a, o, q))} holds the flat index of {@code w[c, o, a, q - j]} in a
   * {@code (Cin, Cout, kH, kW)} weight where {@code 0 <= q - j < kW}, else {@code Cin*Cout*kH*kW}
   * (the appended zero). Row {@code a} of the kernel, applied along the width, is a banded
   * (Toeplitz) matrix; the {@code kH} bands sit side by side.
   *
   * @param input one sample {@code (Cin, H, W)}
   * @param outChannels {@code Cout}
   * @param kernel {@code (kH, kW)}
   * @return row-major {@code (Cin*W) x (kH*Cout*Wfull)}
   */
  public static long[] rowBandIndex(Shape input, long outChannels, Shape kernel) {
    int cin = Math.toIntExact(input.get(0));
    int w = Math.toIntExact(input.get(2));
    int cout = Math.toIntExact(outChannels);
    int kh = Math.toIntExact(kernel.get(0));
    int kw = Math.toIntExact(kernel.get(1));
    int wFull = w + kw - 1;
    long entries = (long) cin * w * kh * cout * wFull;
    if (entries > MAX_OPERATOR_ENTRIES) {
      throw new IllegalArgumentException(
          "DenseConv: the row bands for input "
              + input
              + " and kernel "
              + kernel
              + " would have "
              + entries
              + " entries, above MAX_OPERATOR_ENTRIES = "
              + MAX_OPERATOR_ENTRIES
              + "; use the convolution itself for maps this large");
    }
    long zero = (long) cin * cout * kh * kw;
    long[] index = new long[Math.toIntExact(entries)];
    int p = 0;
    for (int c = 0; c < cin; c++) {
      for (int j = 0; j < w; j++) {
        for (int a = 0; a < kh; a++) {
          for (int o = 0; o < cout; o++) {
            long rowStart = (((long) c * cout + o) * kh + a) * kw;
            for (int q = 0; q < wFull; q++) {
              int b = q - j;
              index[p++] = b >= 0 && b < kw ? rowStart + b : zero;
            }
          }
        }
      }
    }
    return index;
  }

  /**
   * {@code conv_transpose2d(x, w, b, stride 1, padding)} by rows: {@code Z = x' @ T(w)}, with
   * {@code x'} the input as {@code (N*H, Cin*W)} rows and {@code T(w)} the kernel rows' bands
   * ({@link #rowBandIndex}), gives for every input row {@code i} and kernel row {@code a} its
   * contribution to output row {@code i + a}; a skew (pad, flatten, drop, reshape) lines the
   * contributions up by output row and one sum over {@code i} adds them. Against the dense operator
   * this multiplies {@code kH / Hfull} as many entries (17/28 for paper 004's 12x12 -> 28x28 layer)
   * and gathers {@code H * Hfull / kH} times fewer weights (20 times fewer there), which is what
   * the backward pays for. All ops are ordinary autograd ops; the same sums as PyTorch's in another
   * order.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cin, Cout, kH, kW)}, already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   * @param index {@link #rowBandIndex} as an {@code int64} {@code (Cin*W, kH*Cout*Wfull)} array
   * @param padding {@code (pH, pW)}: rows and columns cropped from each side of the full output
   * @return {@code (N, Cout, H + kH - 1 - 2*pH, W + kW - 1 - 2*pW)} in {@code x}'s manager
   */
  public static NDArray convTransposeByRows(
      NDArray x, NDArray w, NDArray b, NDArray index, Shape padding) {
    NDManager scope = x.getManager();
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long h = x.getShape().get(2);
    long wd = x.getShape().get(3);
    long cout = w.getShape().get(1);
    long kh = w.getShape().get(2);
    long hFull = h + kh - 1;
    long wFull = wd + w.getShape().get(3) - 1;
    long row = cout * wFull;
    NDArray flat = w.reshape(w.size()).concat(scope.zeros(new Shape(1), w.getDataType()));
    NDArray bands = flat.take(scope, index);
    NDArray z = x.transpose(0, 2, 1, 3).reshape(n * h, cin * wd).matMul(bands);
    // (N, H, kH, D) -> kernel rows padded to Hfull + 1 -> flattened, the last H entries dropped
    // -> (N, H, Hfull, D): entry (i, r) is input row i's contribution to output row r, zero unless
    // 0 <= r - i < kH.
    NDArray skewed =
        z.reshape(n, h, kh, row)
            .concat(scope.zeros(new Shape(n, h, hFull + 1 - kh, row), z.getDataType()), 2)
            .reshape(n, h * (hFull + 1), row)
            .get(new NDIndex(":, :{}", h * hFull))
            .reshape(n, h, hFull, row);
    NDArray y = skewed.sum(new int[] {1}).reshape(n, hFull, cout, wFull).transpose(0, 2, 1, 3);
    long ph = padding.get(0);
    long pw = padding.get(1);
    if (ph > 0 || pw > 0) {
      y = y.get(new NDIndex(":, :, {}:{}, {}:{}", ph, hFull - ph, pw, wFull - pw));
    }
    if (b != null) {
      y = y.add(b.reshape(cout, 1, 1));
    }
    return y;
  }

  /**
   * {@code conv_transpose2d} of a 1x1 input map with no padding: its operator is the weight itself,
   * so {@code y = x.reshape(N, Cin) @ w.reshape(Cin, Cout*kH*kW)} (paper 004's 250 -> 4 channel,
   * 1x1 -> 12x12 layer), with no gather and no zeros.
   *
   * @param x {@code (N, Cin, 1, 1)}
   * @param w {@code (Cin, Cout, kH, kW)}, already owned by {@code x}'s manager
   * @param b {@code (Cout)} or {@code null}, already owned by {@code x}'s manager
   * @return {@code (N, Cout, kH, kW)} in {@code x}'s manager
   */
  public static NDArray convTransposeOfPixel(NDArray x, NDArray w, NDArray b) {
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long cout = w.getShape().get(1);
    long kh = w.getShape().get(2);
    long kw = w.getShape().get(3);
    NDArray y = x.reshape(n, cin).matMul(w.reshape(cin, cout * kh * kw));
    if (b != null) {
      y = y.add(b.reshape(cout, 1).repeat(1, kh * kw).reshape(-1));
    }
    return y.reshape(n, cout, kh, kw);
  }
}
