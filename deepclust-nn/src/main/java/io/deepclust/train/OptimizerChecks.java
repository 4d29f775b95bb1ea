package io.deepclust.train;

/** Range checks shared by the optimizer configs; the messages name the optimizer and the field. */
final class OptimizerChecks {
  private OptimizerChecks() {}

  /**
   * @param kind the optimizer's {@link OptimizerConfig#kind()}
   * @param usual a learning rate to suggest
   * @throws IllegalArgumentException unless {@code learningRate} is finite and &gt; 0
   */
  static void checkLearningRate(String kind, float learningRate, String usual) {
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          kind + " learningRate must be a positive number, got " + learningRate + "; try " + usual);
    }
  }

  /**
   * @param kind the optimizer's {@link OptimizerConfig#kind()}
   * @throws IllegalArgumentException unless {@code weightDecay} is finite and &gt;= 0
   */
  static void checkWeightDecay(String kind, float weightDecay) {
    if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          kind + " weightDecay must be finite and >= 0, got " + weightDecay);
    }
  }
}
