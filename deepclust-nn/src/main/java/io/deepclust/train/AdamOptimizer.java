package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Adam with state that can be saved and restored, so that a resumed run continues exactly.
 *
 * <p>Per parameter w with gradient g and its own step count t (torch.optim.Adam, amsgrad off):
 *
 * <pre>
 * g   = g + weightDecay * w
 * m   = beta1 * m + (1 - beta1) * g
 * v   = beta2 * v + (1 - beta2) * g^2
 * w   = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Weight decay is torch.optim.Adam's: an L2 term added to the gradient before the moments, so it is
 * scaled by the adaptive step like the gradient; it is not AdamW's decoupled decay {@code w -= lr *
 * weightDecay * w} (Loshchilov &amp; Hutter 2019). Checked against PyTorch in {@code
 * OptimizerFixtureTest}.
 *
 * <p>The update runs in DJL's fused native kernel ({@code NDArrayEx.adamUpdate}, which also zeroes
 * the gradient) on our own moment arrays. That kernel computes {@code w -= a * m / (sqrt(v) + e)};
 * PyTorch's form is obtained with a = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and e = eps * sqrt(1 -
 * beta2^t). (DJL's own {@code Adam} passes e = eps, i.e. TensorFlow's "epsilon hat"; it differs
 * from PyTorch only while sqrt(v) is comparable to eps.) lr is {@link #learningRate()}, which a
 * schedule may change between epochs.
 */
public final class AdamOptimizer extends StatefulOptimizer {
  private static final String MAGIC = "deepclust-adam-v1";

  private final AdamConfig config;

  private static final class Moments extends ParamState {
    final NDArray mean;
    final NDArray variance;

    Moments(NDArray mean, NDArray variance) {
      this.mean = mean;
      this.variance = variance;
    }

    @Override
    void write(DataOutputStream out) throws IOException {
      writeArray(out, mean);
      writeArray(out, variance);
    }
  }

  public AdamOptimizer(AdamConfig config) {
    super(config, MAGIC, "a deepclust Adam state");
    this.config = config;
  }

  @Override
  public AdamConfig config() {
    return config;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    Moments s =
        (Moments)
            paramState(
                parameterId,
                () -> {
                  NDManager sm = stateManager(weight);
                  return new Moments(
                      sm.zeros(weight.getShape(), weight.getDataType()),
                      sm.zeros(weight.getShape(), weight.getDataType()));
                });
    s.step++;
    double lr = learningRate();
    double c1 = 1.0 - Math.pow(config.beta1(), s.step);
    double sqrtC2 = Math.sqrt(1.0 - Math.pow(config.beta2(), s.step));
    float a = (float) (lr * sqrtC2 / c1);
    float e = (float) (config.epsilon() * sqrtC2);
    weight
        .getNDArrayInternal()
        .adamUpdate(
            new NDList(weight, grad, s.mean, s.variance),
            new NDList(weight),
            (float) lr,
            a,
            config.weightDecay(),
            rescaleGrad,
            clipGrad,
            config.beta1(),
            config.beta2(),
            e,
            true,
            false);
  }

  @Override
  ParamState readParamState(DataInputStream in, String name, NDArray weight) throws IOException {
    NDManager sm = stateManager(weight);
    NDArray mean = readArray(in, sm);
    NDArray variance = readArray(in, sm);
    checkShape(name, mean, weight);
    checkShape(name, variance, weight);
    return new Moments(mean, variance);
  }
}
