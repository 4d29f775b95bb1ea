package io.deepclust.train;

import ai.djl.ndarray.NDArray;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A DJL optimizer whose per-parameter state can be saved into a checkpoint and restored exactly (so
 * a resumed run is bit-identical to an unbroken one), and whose learning rate a {@link LrSchedule}
 * can change between epochs.
 *
 * <p>DJL keys parameters by random ids; saved state is keyed by the parameter's path name in the
 * model's root block ({@code block.getParameters()}), which is stable across processes.
 */
public abstract sealed class StatefulOptimizer extends Optimizer
    permits AdamOptimizer, SgdOptimizer {
  private final OptimizerConfig config;
  private final String magic;
  private final String stateName;
  private final Map<String, ParamState> state = new HashMap<>();
  private double learningRate;
  private NDManager stateManager;

  /**
   * The state of one parameter: its own step count (as torch.optim's per-parameter "step") and the
   * subclass's arrays.
   */
  abstract static class ParamState {
    int step;

    /** Writes the arrays (everything but the step count) for {@link #readParamState}. */
    abstract void write(DataOutputStream out) throws IOException;
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  /**
   * @param magic the header of the saved state, which tells one optimizer's state from another's
   * @param stateName what the state is, for the error when the header is another's
   */
  StatefulOptimizer(OptimizerConfig config, String magic, String stateName) {
    super(new Builder());
    this.config = Objects.requireNonNull(config, "config");
    this.magic = magic;
    this.stateName = stateName;
    this.learningRate = config.learningRate();
  }

  /** The optimizer for {@code config}. */
  public static StatefulOptimizer of(OptimizerConfig config) {
    if (Objects.requireNonNull(config, "config") instanceof AdamConfig a) {
      return new AdamOptimizer(a);
    }
    return new SgdOptimizer((SgdConfig) config);
  }

  /** The hyper-parameters; {@link OptimizerConfig#learningRate()} is the base rate. */
  public OptimizerConfig config() {
    return config;
  }

  /** The learning rate of the next update (the base rate unless a schedule changed it). */
  public double learningRate() {
    return learningRate;
  }

  /**
   * Sets the learning rate of the following updates, as an LR scheduler writes a param group's
   * "lr".
   *
   * @throws IllegalArgumentException unless {@code lr} is finite and &gt;= 0
   */
  public void setLearningRate(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
    }
    this.learningRate = lr;
  }

  /** Steps taken on the parameter with DJL id {@code parameterId} (0 if never updated). */
  public final int stepCount(String parameterId) {
    ParamState s = state.get(parameterId);
    return s == null ? 0 : s.step;
  }

  /**
   * Writes the step count and state arrays of every parameter of {@code root} that has state, keyed
   * by parameter path name.
   */
  public final void saveState(DataOutputStream out, Block root) throws IOException {
    Map<String, ParamState> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : root.getParameters()) {
      ParamState s = state.get(p.getValue().getId());
      if (s != null) {
        byName.put(p.getKey(), s);
      }
    }
    out.writeUTF(magic);
    out.writeInt(byName.size());
    for (Map.Entry<String, ParamState> en : byName.entrySet()) {
      out.writeUTF(en.getKey());
      out.writeInt(en.getValue().step);
      en.getValue().write(out);
    }
  }

  /**
   * Replaces all state by what {@link #saveState} wrote for a model of the same structure. {@code
   * root}'s parameters must be initialised (or loaded) first.
   *
   * @throws IOException if the stream is not such state (another optimizer's, truncated) or names a
   *     parameter {@code root} lacks
   */
  public final void loadState(DataInputStream in, Block root) throws IOException {
    checkMagic(in, magic, stateName);
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
      ParamState s = readParamState(in, name, param.getArray());
      s.step = step;
      state.put(param.getId(), s);
    }
  }

  /**
   * Reads what {@link ParamState#write} wrote for the parameter {@code name} whose array is {@code
   * weight}, into arrays of {@link #stateManager}.
   *
   * @throws IOException if the stream is truncated or an array's shape is not {@code weight}'s
   */
  abstract ParamState readParamState(DataInputStream in, String name, NDArray weight)
      throws IOException;

  /** The state of the parameter {@code parameterId}, made by {@code create} at its first update. */
  final ParamState paramState(String parameterId, Supplier<? extends ParamState> create) {
    return state.computeIfAbsent(parameterId, k -> create.get());
  }

  /** A scope for state arrays: a child of the parameters' manager, so it dies with the model. */
  final NDManager stateManager(NDArray weight) {
    if (stateManager == null || !stateManager.isOpen()) {
      stateManager = weight.getManager().newSubManager();
      stateManager.setName(config.kind() + "-state");
    }
    return stateManager;
  }

  /** Forgets every parameter's state and closes its arrays (the optimizer is no longer used). */
  final void release() {
    state.clear();
    closeStateManager();
  }

  /** Closes all state arrays. */
  private void closeStateManager() {
    if (stateManager != null) {
      stateManager.close();
      stateManager = null;
    }
  }

  static Map<String, Parameter> parametersByName(Block root) {
    Map<String, Parameter> byName = new HashMap<>();
    for (Pair<String, Parameter> p : root.getParameters()) {
      byName.put(p.getKey(), p.getValue());
    }
    return byName;
  }

  static void checkMagic(DataInputStream in, String magic, String what) throws IOException {
    String got = in.readUTF();
    if (!magic.equals(got)) {
      throw new IOException(
          "not "
              + what
              + " (header '"
              + got
              + "', expected '"
              + magic
              + "'); the checkpoint was written with another optimizer: resume with the"
              + " optimizer it was trained with");
    }
  }

  static Parameter parameter(Map<String, Parameter> byName, String name) throws IOException {
    Parameter param = byName.get(name);
    if (param == null || !param.isInitialized()) {
      throw new IOException(
          "optimizer state names parameter '"
              + name
              + "' which the model does not have (or has not initialised); "
              + "the checkpoint belongs to a different architecture");
    }
    return param;
  }

  static void checkShape(String name, NDArray state, NDArray weight) throws IOException {
    if (!state.getShape().equals(weight.getShape())) {
      throw new IOException(
          "optimizer state of '"
              + name
              + "' has shape "
              + state.getShape()
              + " but the parameter has "
              + weight.getShape());
    }
  }

  static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > (1 << 30)) {
      throw new IOException("corrupt state: array of " + len + " bytes");
    }
    byte[] bytes = new byte[len];
    in.readFully(bytes);
    return manager.decode(bytes);
  }
}
