package io.deepclust.train;

/**
 * Stochastic gradient descent hyper-parameters with the semantics of torch.optim.SGD (PyTorch
 * 1.13-2.7), including its form of momentum (Sutskever et al. 2013) and Nesterov momentum.
 *
 * @param learningRate step size lr, &gt; 0
 * @param momentum momentum factor, in [0, 1); 0 is plain SGD
 * @param dampening dampening of the momentum, in [0, 1]; 0 in the usual form
 * @param nesterov Nesterov momentum; needs momentum &gt; 0 and dampening 0 (as torch requires)
 * @param weightDecay L2 penalty added to the gradient (g + weightDecay * w), &gt;= 0
 * @throws IllegalArgumentException naming the field when a value is out of range
 */
public record SgdConfig(
    float learningRate, float momentum, float dampening, boolean nesterov, float weightDecay)
    implements OptimizerConfig {
  public SgdConfig {
    OptimizerChecks.checkLearningRate("sgd", learningRate, "0.01");
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException(
          "sgd momentum must lie in [0, 1), got " + momentum + "; the usual value is 0.9");
    }
    if (!(dampening >= 0f && dampening <= 1f)) {
      throw new IllegalArgumentException(
          "sgd dampening must lie in [0, 1], got " + dampening + "; the usual value is 0");
    }
    OptimizerChecks.checkWeightDecay("sgd", weightDecay);
    if (nesterov && (momentum <= 0f || dampening != 0f)) {
      throw new IllegalArgumentException(
          "sgd nesterov needs momentum > 0 and dampening 0 (as torch.optim.SGD), got momentum "
              + momentum
              + " and dampening "
              + dampening);
    }
  }

  /** Plain SGD: no momentum, no weight decay. */
  public static SgdConfig plain(float learningRate) {
    return new SgdConfig(learningRate, 0f, 0f, false, 0f);
  }

  @Override
  public String kind() {
    return "sgd";
  }
}
