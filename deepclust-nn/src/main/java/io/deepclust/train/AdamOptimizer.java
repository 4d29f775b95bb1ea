package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Adam with state that can be saved and restored, so that a resumed run continues exactly.
 *
 * <p>Per parameter w with gradient g and its own step count t (torch.optim.Adam):
 *
 * <pre>
 * g   = g + weightDecay * w
 * m   = beta1 * m + (1 - beta1) * g
 * v   = beta2 * v + (1 - beta2) * g^2
 * w   = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * The update runs in DJL's fused native kernel ({@code NDArrayEx.adamUpdate}, which also zeroes the
 * gradient) on our own moment arrays. That kernel computes {@code w -= a * m / (sqrt(v) + e)};
 * PyTorch's form is obtained with a = lr * sqrt(1 - beta2^t) / (1 - beta1^t) and e = eps * sqrt(1 -
 * beta2^t). (DJL's own {@code Adam} passes e = eps, i.e. TensorFlow's "epsilon hat"; it differs
 * from PyTorch only while sqrt(v) is comparable to eps.)
 *
 * <p>DJL keys parameters by random ids; saved state is keyed by the parameter's path name in the
 * model's root block ({@code block.getParameters()}), which is stable across processes.
 */
public final class AdamOptimizer extends Optimizer {
  private static final String MAGIC = "deepclust-adam-v1";

  private final AdamConfig config;
  private final Map<String, Moments> state = new HashMap<>();
  private NDManager stateManager;

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

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  public AdamOptimizer(AdamConfig config) {
    super(new Builder());
    this.config = Objects.requireNonNull(config, "config");
  }

  public AdamConfig config() {
    return config;
  }

  /** Steps taken on the parameter with DJL id {@code parameterId} (0 if never updated). */
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
    double c1 = 1.0 - Math.pow(config.beta1(), s.step);
    double sqrtC2 = Math.sqrt(1.0 - Math.pow(config.beta2(), s.step));
    float a = (float) (config.learningRate() * sqrtC2 / c1);
    float e = (float) (config.epsilon() * sqrtC2);
    weight
        .getNDArrayInternal()
        .adamUpdate(
            new NDList(weight, grad, s.mean, s.variance),
            new NDList(weight),
            config.learningRate(),
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

  private NDManager stateManager(NDArray weight) {
    if (stateManager == null || !stateManager.isOpen()) {
      // a child of the parameters' manager: the moments live and die with the model
      stateManager = weight.getManager().newSubManager();
      stateManager.setName("adam-state");
    }
    return stateManager;
  }

  /**
   * Writes step counts and moments of every parameter of {@code root} that has state, keyed by
   * parameter path name.
   */
  public void saveState(DataOutputStream out, Block root) throws IOException {
    Map<String, Moments> byName = new java.util.LinkedHashMap<>();
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

  /**
   * Replaces all state by what {@link #saveState} wrote for a model of the same structure. {@code
   * root}'s parameters must be initialised (or loaded) first.
   *
   * @throws IOException if the stream is not such state or names a parameter {@code root} lacks
   */
  public void loadState(DataInputStream in, Block root) throws IOException {
    String magic = in.readUTF();
    if (!MAGIC.equals(magic)) {
      throw new IOException(
          "not a deepclust Adam state (header '" + magic + "', expected '" + MAGIC + "')");
    }
    Map<String, Parameter> byName = new HashMap<>();
    for (Pair<String, Parameter> p : root.getParameters()) {
      byName.put(p.getKey(), p.getValue());
    }
    closeState();
    int count = in.readInt();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      int step = in.readInt();
      Parameter param = byName.get(name);
      if (param == null || !param.isInitialized()) {
        throw new IOException(
            "optimizer state names parameter '"
                + name
                + "' which the model does not have (or has not initialised); "
                + "the checkpoint belongs to a different architecture");
      }
      if (!seen.add(name)) {
        throw new IOException("optimizer state lists parameter '" + name + "' twice");
      }
      NDArray w = param.getArray();
      NDManager sm = stateManager(w);
      NDArray mean = readArray(in, sm);
      NDArray variance = readArray(in, sm);
      if (!mean.getShape().equals(w.getShape()) || !variance.getShape().equals(w.getShape())) {
        throw new IOException(
            "optimizer state of '"
                + name
                + "' has shape "
                + mean.getShape()
                + " but the parameter has "
                + w.getShape());
      }
      state.put(param.getId(), new Moments(mean, variance, step));
    }
  }

  private void closeState() {
    state.clear();
    if (stateManager != null) {
      stateManager.close();
      stateManager = null;
    }
  }

  private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > (1 << 30)) {
      throw new IOException("corrupt optimizer state: array of " + len + " bytes");
    }
    byte[] bytes = new byte[len];
    in.readFully(bytes);
    return manager.decode(bytes);
  }
}
