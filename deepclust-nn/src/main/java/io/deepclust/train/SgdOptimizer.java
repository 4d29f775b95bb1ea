package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

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

  private static final class Slot extends ParamState {
    /** The momentum buffer, or null without momentum. */
    NDArray buffer;

    Slot(NDArray buffer) {
      this.buffer = buffer;
    }

    @Override
    void write(DataOutputStream out) throws IOException {
      out.writeBoolean(buffer != null);
      if (buffer != null) {
        writeArray(out, buffer);
      }
    }
  }

  public SgdOptimizer(SgdConfig config) {
    super(config, MAGIC, "a deepclust SGD state");
    this.config = config;
  }

  @Override
  public SgdConfig config() {
    return config;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    Slot s = (Slot) paramState(parameterId, () -> new Slot(null));
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

  @Override
  ParamState readParamState(DataInputStream in, String name, NDArray weight) throws IOException {
    NDArray buffer = null;
    if (in.readBoolean()) {
      buffer = readArray(in, stateManager(weight));
      checkShape(name, buffer, weight);
    }
    return new Slot(buffer);
  }
}
