package io.deepclust.train;

import ai.djl.ndarray.NDArray;

/** Reconstruction losses as plain NDArray expressions (autograd differentiates them). */
public final class Losses {
  /**
   * Probabilities are clipped to [EPS, 1 - EPS] before the logarithm so that a saturated sigmoid
   * (exactly 0 or 1 in float32) gives a finite loss and gradient, as Keras does; torch's BCELoss
   * clamps the log at -100 instead. The two agree wherever EPS &lt; p &lt; 1 - EPS.
   */
  public static final float EPS = 1e-7f;

  private Losses() {}

  /**
   * Binary cross-entropy of probabilities {@code p} against targets {@code t} in [0, 1], averaged
   * over every element (torch {@code BCELoss(reduction="mean")}):
   *
   * <p>L = -mean( t log p + (1 - t) log(1 - p) ).
   *
   * @param p predictions after a sigmoid, any shape
   * @param t targets of the same shape
   * @return a 0-d array
   */
  public static NDArray binaryCrossEntropy(NDArray p, NDArray t) {
    NDArray pc = p.clip(EPS, 1f - EPS);
    NDArray logP = pc.log();
    NDArray log1mP = pc.neg().add(1f).log();
    NDArray ll = t.mul(logP).add(t.neg().add(1f).mul(log1mP));
    return ll.mean().neg();
  }

  /** Mean squared error over every element: mean((p - t)^2); a 0-d array. */
  public static NDArray meanSquaredError(NDArray p, NDArray t) {
    return p.sub(t).square().mean();
  }
}
