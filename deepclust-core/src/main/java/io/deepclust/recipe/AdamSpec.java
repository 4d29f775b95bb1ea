package io.deepclust.recipe;

import io.deepclust.train.AdamConfig;

/**
 * {@code type: adam}: Adam (Kingma and Ba 2015) with {@code torch.optim.Adam} semantics; weight
 * decay is an L2 term added to the gradient, as PyTorch's Adam (not AdamW).
 *
 * @param lr learning rate (default 1e-3; positive)
 * @param beta1 first-moment decay (default 0.9; in [0, 1))
 * @param beta2 second-moment decay (default 0.999; in [0, 1))
 * @param eps denominator term (default 1e-8; positive)
 * @param weightDecay L2 coefficient (default 0; at least 0)
 */
public record AdamSpec(Double lr, Double beta1, Double beta2, Double eps, Double weightDecay)
    implements OptimizerSpec {

  /** Fills defaults; checks ranges. */
  public AdamSpec {
    lr = Checks.orDefault(lr, 1e-3);
    Checks.require(lr > 0 && Double.isFinite(lr), "lr", "use a positive learning rate, got " + lr);
    beta1 = Checks.orDefault(beta1, 0.9);
    Checks.require(beta1 >= 0 && beta1 < 1, "beta1", "use a value in [0, 1), got " + beta1);
    beta2 = Checks.orDefault(beta2, 0.999);
    Checks.require(beta2 >= 0 && beta2 < 1, "beta2", "use a value in [0, 1), got " + beta2);
    eps = Checks.orDefault(eps, 1e-8);
    Checks.require(eps > 0, "eps", "use a positive epsilon, got " + eps);
    weightDecay = OptimizerSpec.weightDecay(weightDecay);
  }

  @Override
  public AdamConfig build() {
    return new AdamConfig(
        lr.floatValue(),
        beta1.floatValue(),
        beta2.floatValue(),
        eps.floatValue(),
        weightDecay.floatValue());
  }
}
