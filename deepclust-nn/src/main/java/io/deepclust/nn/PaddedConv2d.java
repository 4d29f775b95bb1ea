package io.deepclust.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.functional.conv2d} on the CPU in a form that libtorch 2.7.1 computes right on
 * every machine we have measured, and the layer that uses it ({@link Conv2d}). The result and all
 * gradients are those of the plain convolution; only float32 rounding may differ.
 *
 * <p>Why: the libtorch 2.7.1 CPU build that DJL 0.35.1 loads runs convolutions through oneDNN
 * 3.7.1, and on this project's 2026-12-01 development machine (an AMD EPYC with AVX-512 under a
 * hypervisor) several of its kernels return wrong numbers for channel counts that do not fill its
 * 16-channel blocks: the input gradient when the output channels are not a multiple of 16 (stride
 * 1; {@code jit:avx512_core backward_data}), the output when there are more than 16 input channels
 * and not a multiple of 16 ({@code forward_training}), the input gradient at stride 2 for input
 * channels such as 34, 41, 48 or 80 ({@code brgconv_strided backward_data}), and both the output
 * and the input gradient when the output map is 1x1 ({@code ip:any}, the inner-product path). The
 * errors are as large as the values, differ between calls at two threads, and are sometimes NaN;
 * the loss looks normal while the layers below train on wrong gradients. Debian's PyTorch 1.13 is
 * right on the same machine and shapes. docs/RESULTS.md has the measurements; {@code
 * ConvKernelCheck} repeats them on any machine.
 *
 * <p>What this does instead, all of it exact: output channels are padded with zero filters to a
 * multiple of 16 and the extra maps dropped; more than 16 input channels are padded with zero
 * channels (input and weight) to a multiple of 32; a 1x1 output map is computed as the matrix
 * product of the window with the flattened weight, without the convolution. Random sweeps (360
 * shapes of 1-80 input and 1-40 output channels; a review's 3,200 of up to 300 channels, kernels
 * 1-9, strides 1-3) and the cases above were right this way at 1 and 2 threads. Since 2026-12-02 a
 * 1x1 convolution (stride 1, no padding) whose channels would need padding is instead one batched
 * matrix product over the channels, without oneDNN (a review compared 80 such shapes with PyTorch),
 * and a stride-1 convolution with a multiple of 4 output channels (not of 16) and a kernel of at
 * least 5x5 runs as one convolution of its four output phases ({@link #byOutputPhases}: whole
 * blocks of 16 output channels without padded filters) where that multiplies less ({@link
 * #phasesAreCheaper}; paper 004's two 9x9 convolutions). {@code PaddedConv2dTest} checks the output
 * and all gradients of every form against a direct sum. On a GPU (cuDNN) the plain convolution
 * runs. Grouped convolutions ({@code groups > 1}) and dilated ones are not changed.
 *
 * <p>Cost: the work of the padded channels (e.g. 16 output maps instead of 1 in paper 000's last
 * convolution), or of the phase kernels' zero taps; the shipped architectures have no input-channel
 * counts that need padding.
 */
public final class PaddedConv2d {

  /** Output channels are padded to a multiple of this (oneDNN's AVX-512 channel block). */
  public static final int OUTPUT_BLOCK = 16;

  /** More than {@link #OUTPUT_BLOCK} input channels are padded to a multiple of this. */
  public static final int INPUT_BLOCK = 32;

  private PaddedConv2d() {}

  /**
   * The layer {@code builder} describes (DJL's {@link ai.djl.nn.convolutional.Conv2d#builder()}),
   * computed by {@link #convolve}.
   */
  public static Conv2d of(ai.djl.nn.convolutional.Conv2d.Builder builder) {
    return new Conv2d(builder);
  }

  /**
   * DJL's {@code Conv2d} layer computed by {@link PaddedConv2d#convolve}. Its simple name is DJL's
   * on purpose: a child block is named after its class ({@code 01Conv2d}), and optimizer states and
   * snapshots in checkpoints are keyed by those names, so checkpoints written before this class
   * existed still resume. (Its inherited static {@code conv2d} methods are DJL's plain ones.)
   */
  public static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
    private Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
      super(builder);
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
  }

  /**
   * {@code torch.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)}, computed as the
   * class comment says.
   *
   * @param x {@code (N, Cin, H, W)}
   * @param w {@code (Cout, Cin / groups, kH, kW)}
   * @param b {@code (Cout)} or {@code null}
   * @return {@code (N, Cout, Hout, Wout)} in {@code x}'s manager (so are the padded copies)
   */
  public static NDArray convolve(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
    boolean plain =
        groups != 1
            || x.getDevice().isGpu()
            || dilation.get(0) != 1
            || dilation.get(1) != 1
            || x.getShape().dimension() != 4;
    if (plain) {
      return djl(x, w, b, stride, padding, dilation, groups);
    }
    NDManager scope = x.getManager();
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long cout = w.getShape().get(0);
    long kh = w.getShape().get(2);
    long kw = w.getShape().get(3);
    long hout = (x.getShape().get(2) + 2 * padding.get(0) - kh) / stride.get(0) + 1;
    long wout = (x.getShape().get(3) + 2 * padding.get(1) - kw) / stride.get(1) + 1;
    if (hout == 1 && wout == 1 && padding.get(0) == 0 && padding.get(1) == 0) {
      // one window at the origin: a matrix product, without oneDNN's inner-product path
      NDArray window = x.get(new NDIndex(":, :, :{}, :{}", kh, kw)).reshape(n, cin * kh * kw);
      NDArray flat = w.reshape(cout, cin * kh * kw);
      flat.attach(scope);
      NDArray y = window.matMul(flat.transpose());
      if (b != null) {
        y = y.add(b);
      }
      return y.reshape(n, cout, 1, 1);
    }
    long cinPadded = inputChannels(cin);
    long coutPadded = roundUp(cout, OUTPUT_BLOCK);
    if (cinPadded == cin && coutPadded == cout) {
      return djl(x, w, b, stride, padding, dilation, groups);
    }
    if (kh == 1 && kw == 1 && isOne(stride) && isZero(padding)) {
      // A 1x1 convolution mixes channels only: one batched product (Cout, Cin) @ (N, Cin, H*W)
      // on the NCHW layout, instead of oneDNN on channels padded to whole blocks (4 -> 1 over
      // 28x28 maps, paper 004's last layer: 16 times the work).
      long h = x.getShape().get(2);
      long wd = x.getShape().get(3);
      NDArray flat = w.reshape(cout, cin);
      flat.attach(scope);
      NDArray y = flat.matMul(x.reshape(n, cin, h * wd));
      if (b != null) {
        NDArray column = b.reshape(cout, 1);
        column.attach(scope);
        y = y.add(column);
      }
      return y.reshape(n, cout, h, wd);
    }
    if (isOne(stride) && hout >= 1 && wout >= 1 && phasesAreCheaper(cin, cout, kh, kw)) {
      return byOutputPhases(x, w, b, padding);
    }
    // An op's result joins its first operand's manager: for a layer's weight that is the model's,
    // which would keep one padded copy per forward; the input's manager is the step's.
    NDArray xp = x;
    NDArray wp = w;
    if (cinPadded != cin) {
      Shape xs = x.getShape();
      xp = x.concat(scope.zeros(new Shape(n, cinPadded - cin, xs.get(2), xs.get(3))), 1);
      wp = w.concat(scope.zeros(new Shape(cout, cinPadded - cin, kh, kw), w.getDataType()), 1);
      wp.attach(scope);
    }
    NDArray bp = b;
    if (coutPadded != cout) {
      Shape extra = new Shape(coutPadded - cout, cinPadded, kh, kw);
      wp = wp.concat(scope.zeros(extra, w.getDataType()), 0);
      wp.attach(scope);
      if (b != null) {
        bp = b.concat(scope.zeros(new Shape(coutPadded - cout), b.getDataType()));
        bp.attach(scope);
      }
    }
    NDArray y = djl(xp, wp, bp, stride, padding, dilation, groups);
    return coutPadded == cout ? y : y.get(new NDIndex(":, :{}", cout));
  }

  /**
   * Whether a stride-1 convolution runs as {@link #byOutputPhases}: its output channels are not a
   * whole block but its four phases are ({@code Cout} a multiple of 4, not of {@link
   * #OUTPUT_BLOCK}), the phase convolution's {@code 4 * Cin} input channels need no padding ({@code
   * Cin <= 4} or a multiple of 8, so it runs on libtorch directly and never recurses), the kernel
   * is at least 5x5, and it multiplies less than the padded filters would (the phase kernels' zero
   * taps counted). Paper 004's 8 -> 4 and 1 -> 8 channel 9x9 convolutions: 3.2 and 1.6 times fewer
   * products. Smaller kernels are left padded: a review measured DCEC's 32 -> 4 3x3 phase
   * convolution no faster, the copies in and out of the phases costing what the products saved.
   */
  static boolean phasesAreCheaper(long cin, long cout, long kh, long kw) {
    if (cout % OUTPUT_BLOCK == 0
        || (4 * cout) % OUTPUT_BLOCK != 0
        || (cin > 4 && cin % 8 != 0)
        || kh < 5
        || kw < 5) {
      return false;
    }
    // multiplications per 2x2 block of output pixels
    long phases = 4 * cout * 4 * cin * (kh / 2 + 1) * (kw / 2 + 1);
    long padded = roundUp(cout, OUTPUT_BLOCK) * inputChannels(cin) * kh * kw * 4;
    return phases < padded;
  }

  /**
   * Input channels as the padded path runs them: up to 16 as they are, more to a multiple of 32.
   */
  private static long inputChannels(long cin) {
    return cin <= OUTPUT_BLOCK ? cin : roundUp(cin, INPUT_BLOCK);
  }

  /**
   * A stride-1 convolution as one convolution per 2x2 block of output pixels: output pixel {@code
   * (2P + r, 2Q + s)} reads input pixels {@code 2(P + A) + rho} with {@code a = 2A + rho - r}, so
   * after a space-to-depth of the (zero-padded) input to {@code 4 * Cin} channels {@code (c, rho,
   * sigma)}, the four output phases {@code (o, r, s)} are {@code 4 * Cout} channels of one
   * convolution with {@code (kH/2 + 1) x (kW/2 + 1)} kernels (taps outside the original kernel are
   * zero weights), followed by depth-to-space and a crop. For 4 or 8 output channels this gives
   * oneDNN whole channel blocks without the padded filters' work; the phase convolution's shapes
   * (output channels a multiple of 16, input channels at most 16 or a multiple of 32) are of the
   * kind the padded path runs. Its index (16 Cout Cin taps) is built on every call: 12,800 entries
   * for paper 004's second convolution. The same sums as the plain convolution plus products with
   * zero weights.
   */
  private static NDArray byOutputPhases(NDArray x, NDArray w, NDArray b, Shape padding) {
    NDManager scope = x.getManager();
    long n = x.getShape().get(0);
    long cin = x.getShape().get(1);
    long cout = w.getShape().get(0);
    long kh = w.getShape().get(2);
    long kw = w.getShape().get(3);
    long hp = x.getShape().get(2) + 2 * padding.get(0);
    long wp = x.getShape().get(3) + 2 * padding.get(1);
    long hout = hp - kh + 1;
    long wout = wp - kw + 1;
    long th = kh / 2 + 1;
    long tw = kw / 2 + 1;
    // enough 2x2 blocks to hold the padded input and to give every output pixel its phase pixel
    long h2 = Math.max((hp + 1) / 2, (hout + 1) / 2 + th - 1);
    long w2 = Math.max((wp + 1) / 2, (wout + 1) / 2 + tw - 1);
    NDArray xp =
        x.pad(
            new Shape(
                padding.get(1),
                2 * w2 - wp + padding.get(1),
                padding.get(0),
                2 * h2 - hp + padding.get(0)),
            0);
    NDArray blocks =
        xp.reshape(n, cin, h2, 2, w2, 2)
            .transpose(0, 1, 3, 5, 2, 4)
            .reshape(n, cin * 4, h2, w2); // channel (c, rho, sigma)
    long zero = w.size();
    long[] index = new long[Math.toIntExact(16 * cout * cin * th * tw)];
    int i = 0;
    for (int o = 0; o < cout; o++) {
      for (int r = 0; r < 2; r++) {
        for (int s = 0; s < 2; s++) {
          for (int c = 0; c < cin; c++) {
            for (int rho = 0; rho < 2; rho++) {
              for (int sigma = 0; sigma < 2; sigma++) {
                for (int ta = 0; ta < th; ta++) {
                  for (int tb = 0; tb < tw; tb++) {
                    long a = 2L * ta + rho - r;
                    long bb = 2L * tb + sigma - s;
                    index[i++] =
                        a >= 0 && a < kh && bb >= 0 && bb < kw
                            ? ((o * cin + c) * kh + a) * kw + bb
                            : zero;
                  }
                }
              }
            }
          }
        }
      }
    }
    NDArray flat = w.reshape(w.size());
    flat.attach(scope);
    NDArray kernel =
        flat.concat(scope.zeros(new Shape(1), w.getDataType()))
            .take(scope, scope.create(index, new Shape(4 * cout, 4 * cin, th, tw)));
    NDArray bias = null;
    if (b != null) {
      NDArray column = b.reshape(cout, 1);
      column.attach(scope);
      bias = column.repeat(1, 4).reshape(4 * cout);
    }
    NDArray phases =
        convolve(blocks, kernel, bias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1);
    long ph = phases.getShape().get(2);
    long pw = phases.getShape().get(3);
    NDArray y =
        phases
            .reshape(n, cout, 2, 2, ph, pw)
            .transpose(0, 1, 4, 2, 5, 3)
            .reshape(n, cout, 2 * ph, 2 * pw);
    return 2 * ph == hout && 2 * pw == wout ? y : y.get(new NDIndex(":, :, :{}, :{}", hout, wout));
  }

  private static NDArray djl(
      NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
    return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, stride, padding, dilation, groups)
        .singletonOrThrow();
  }

  private static boolean isOne(Shape pair) {
    return pair.get(0) == 1 && pair.get(1) == 1;
  }

  private static boolean isZero(Shape pair) {
    return pair.get(0) == 0 && pair.get(1) == 0;
  }

  private static long roundUp(long v, long block) {
    return (v + block - 1) / block * block;
  }
}
