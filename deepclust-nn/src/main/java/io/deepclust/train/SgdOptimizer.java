package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
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
 * SGD with torch.optim.SGD's semantics and state that can be saved and restored, so that a resumed
 * run continues exactly.
 *
 * <p>Per parameter w with gradient g (torch.optim.SGD, maximize off):
 *
 * <pre>
 * g = g + weightDecay * w
 * if momentum &gt; 0:
 *   b = g                                       at the parameter's first step
 *   b = momentum * b + (1 - dampening) * g      afterwards
 *   g = g + momentum * b    if nesterov,  else  g = b
 * w = w - lr * g
 * </pre>
 *
 * The update is written with NDArray operations (DJL's native SGD kernel has neither dampening nor
 * Nesterov and initialises the buffer with zeros); the gradient is zeroed after the update, as
 * DJL's kernels do. lr is {@link #learningRate()}, which a schedule may change between epochs.
 * Checked against PyTorch in {@code OptimizerFixtureTest}.
 */
public final class SgdOptimizer extends StatefulOptimizer {
  private static final String MAGIC = "deepclust-sgd-v1";

  private final SgdConfig config;
  private final Map<String, Slot> state = new HashMap<>();

  private static final class Slot {
    /** The momentum buffer, or null without momentum. */
    NDArray buffer;

    int step;

    Slot(NDArray buffer, int step) {
      this.buffer = buffer;
      this.step = step;
    }
  }

  public SgdOptimizer(SgdConfig config) {
    super(config);
    this.config = config;
  }

  @Override
  public SgdConfig config() {
    return config;
  }

  @Override
  public int stepCount(String parameterId) {
    Slot s = state.get(parameterId);
    return s == null ? 0 : s.step;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    Slot s = state.computeIfAbsent(parameterId, k -> new Slot(null, 0));
    NDManager sm = stateManager(weight);
    // every temporary is attached to this scope; a new momentum buffer moves to the state's
    try (NDManager scope = sm.newSubManager()) {
      NDArray g = temp(scope, grad.duplicate());
      if (rescaleGrad != 1f) {
        g.muli(rescaleGrad);
      }
      if (config.weightDecay() != 0f) {
        g.addi(temp(scope, weight.mul(config.weightDecay())));
      }
      if (config.momentum() != 0f) {
        if (s.buffer == null) {
          s.buffer = g.duplicate();
          s.buffer.attach(sm);
        } else {
          s.buffer.muli(config.momentum()).addi(g.mul((float) (1.0 - config.dampening())));
        }
        if (config.nesterov()) {
          g.addi(temp(scope, s.buffer.mul(config.momentum())));
        } else {
          g = temp(scope, s.buffer.duplicate());
        }
      }
      weight.subi(g.mul((float) learningRate()));
    }
    s.step++;
    JniUtils.zeroGrad((PtNDArray) weight);
  }

  private static NDArray temp(NDManager scope, NDArray a) {
    a.attach(scope);
    return a;
  }

  /**
   * Writes step counts and momentum buffers of every parameter of {@code root} that has state,
   * keyed by parameter path name.
   */
  @Override
  public void saveState(DataOutputStream out, Block root) throws IOException {
    Map<String, Slot> byName = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : root.getParameters()) {
      Slot s = state.get(p.getValue().getId());
      if (s != null) {
        byName.put(p.getKey(), s);
      }
    }
    out.writeUTF(MAGIC);
    out.writeInt(byName.size());
    for (Map.Entry<String, Slot> en : byName.entrySet()) {
      out.writeUTF(en.getKey());
      out.writeInt(en.getValue().step);
      NDArray b = en.getValue().buffer;
      out.writeBoolean(b != null);
      if (b != null) {
        writeArray(out, b);
      }
    }
  }

  @Override
  public void loadState(DataInputStream in, Block root) throws IOException {
    checkMagic(in, MAGIC, "a deepclust SGD state");
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
      NDArray buffer = null;
      if (in.readBoolean()) {
        NDArray w = param.getArray();
        buffer = readArray(in, stateManager(w));
        checkShape(name, buffer, w);
      }
      state.put(param.getId(), new Slot(buffer, step));
    }
  }
}
