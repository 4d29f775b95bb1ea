package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
  private final Map<String, Moments> state = new HashMap<>();

  private static final class Moments {
    final NDArray mean;
    final NDArray variance;
    int step;

    Moments(NDArray mean, NDArray variance, int step) {
      this.mean = mean;
      this.variance = variance;
      this.step = step;
    }
  }

  public AdamOptimizer(AdamConfig config) {
    super(config);
    this.config = config;
  }

  @Override
  public AdamConfig config() {
    return config;
  }

  @Override
  public int stepCount(String parameterId) {
    Moments m = state.get(parameterId);
    return m == null ? 0 : m.step;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    Moments s = state.get(parameterId);
    if (s == null) {
      NDManager sm = stateManager(weight);
      s =
          new Moments(
              sm.zeros(weight.getShape(), weight.getDataType()),
              sm.zeros(weight.getShape(), weight.getDataType()),
              0);
      state.put(parameterId, s);
    }
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

  /**
   * Writes step counts and moments of every parameter of {@code root} that has state, keyed by
   * parameter path name.
   */
  @Override
  public void saveState(DataOutputStream out, Block root) throws IOException {
    Map<String, Moments> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : root.getParameters()) {
      Moments m = state.get(p.getValue().getId());
      if (m != null) {
        byName.put(p.getKey(), m);
      }
    }
    out.writeUTF(MAGIC);
    out.writeInt(byName.size());
    for (Map.Entry<String, Moments> en : byName.entrySet()) {
      out.writeUTF(en.getKey());
      out.writeInt(en.getValue().step);
      writeArray(out, en.getValue().mean);
      writeArray(out, en.getValue().variance);
    }
  }

  @Override
  public void loadState(DataInputStream in, Block root) throws IOException {
    checkMagic(in, MAGIC, "a deepclust Adam state");
    Map<String, Parameter> byName = parametersByName(root);
    state.clear();
    closeStateManager();
    int count = in.readInt();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      int step = in.readInt();
      Parameter param = parameter(byName, name);
      if (!seen.add(name)) {
        throw new IOException("optimizer state lists parameter '" + name + "' twice");
      }
      NDArray w = param.getArray();
      NDManager sm = stateManager(w);
      NDArray mean = readArray(in, sm);
      NDArray variance = readArray(in, sm);
      checkShape(name, mean, w);
      checkShape(name, variance, w);
      state.put(param.getId(), new Moments(mean, variance, step));
    }
  }
}
