package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Objects;

/**
 * The one optimizer a DJL trainer is built with, forwarding every update to the optimizer of the
 * current phase ({@link PhaseOptions#optimizer()}), since a trainer's optimizer cannot be replaced.
 */
final class OptimizerSwitch extends Optimizer {
  private StatefulOptimizer current;

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  OptimizerSwitch(StatefulOptimizer first) {
    super(new Builder());
    this.current = Objects.requireNonNull(first, "first");
  }

  /** Makes {@code next} the optimizer of the following updates and releases the previous one. */
  void use(StatefulOptimizer next) {
    if (next != current) {
      current.release();
      current = Objects.requireNonNull(next, "next");
    }
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    current.update(parameterId, weight, grad);
  }
}
