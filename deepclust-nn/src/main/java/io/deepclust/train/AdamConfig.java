package io.deepclust.train;

/**
 * Adam hyper-parameters (Kingma &amp; Ba 2015, Algorithm 1), PyTorch's conventions.
 *
 * @param learningRate step size, &gt; 0
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param epsilon added to sqrt(v_hat), &gt; 0
 * @param weightDecay L2 penalty added to the gradient before the moments (g + weightDecay * w), as
 *     torch.optim.Adam's weight_decay; not AdamW's decoupled decay; finite, &gt;= 0
 */
public record AdamConfig(
    float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
    implements OptimizerConfig {
  public AdamConfig {
    OptimizerChecks.checkLearningRate("adam", learningRate, "1e-3");
    if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
      throw new IllegalArgumentException(
          "adam beta1/beta2 must lie in [0, 1), got "
              + beta1
              + "/"
              + beta2
              + "; the usual values are 0.9/0.999");
    }
    if (!(epsilon > 0f)) {
      throw new IllegalArgumentException("adam epsilon must be > 0, got " + epsilon);
    }
    OptimizerChecks.checkWeightDecay("adam", weightDecay);
  }

  /** lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay (PyTorch and Keras defaults). */
  public static AdamConfig defaults() {
    return new AdamConfig(1e-3f, 0.9f, 0.999f, 1e-8f, 0f);
  }

  /** The defaults with another learning rate. */
  public static AdamConfig withLearningRate(float learningRate) {
    AdamConfig d = defaults();
    return new AdamConfig(learningRate, d.beta1(), d.beta2(), d.epsilon(), d.weightDecay());
  }

  @Override
  public String kind() {
    return "adam";
  }
}
