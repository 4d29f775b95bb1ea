package io.deepclust.recipe;

import io.deepclust.train.SgdConfig;

/**
 * {@code type: sgd}: stochastic gradient descent with {@code torch.optim.SGD} semantics: weight
 * decay is added to the gradient; the momentum buffer starts at the first gradient; Nesterov's
 * variant as PyTorch's.
 *
 * @param lr learning rate (required; positive; paper 004: 0.006)
 * @param momentum momentum factor (default 0; in [0, 1))
 * @param dampening dampening of the momentum (default 0; in [0, 1])
 * @param nesterov Nesterov momentum (default false; needs momentum > 0 and dampening 0)
 * @param weightDecay L2 coefficient (default 0; at least 0)
 */
public record SgdSpec(
    Double lr, Double momentum, Double dampening, Boolean nesterov, Double weightDecay)
    implements OptimizerSpec {

  /** Fills defaults; checks ranges. */
  public SgdSpec {
    Checks.require(
        lr != null && lr > 0 && Double.isFinite(lr),
        "lr",
        "give a positive learning rate (SGD has no default), got " + lr);
    momentum = Checks.orDefault(momentum, 0.0);
    Checks.require(momentum >= 0 && momentum < 1, "momentum", "use [0, 1), got " + momentum);
    dampening = Checks.orDefault(dampening, 0.0);
    Checks.require(dampening >= 0 && dampening <= 1, "dampening", "use [0, 1], got " + dampening);
    nesterov = Checks.orDefault(nesterov, false);
    Checks.require(
        !nesterov || (momentum > 0 && dampening == 0),
        "nesterov",
        "Nesterov momentum needs momentum > 0 and dampening 0");
    weightDecay = OptimizerSpec.weightDecay(weightDecay);
  }

  @Override
  public SgdConfig build() {
    return new SgdConfig(
        lr.floatValue(),
        momentum.floatValue(),
        dampening.floatValue(),
        nesterov,
        weightDecay.floatValue());
  }
}
