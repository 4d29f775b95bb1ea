package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/** Losses as plain NDArray expressions (autograd differentiates them). */
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

  /** Added to each difference inside the norm of {@link #tripletMargin}, as torch does. */
  public static final float TRIPLET_EPS = 1e-6f;

  /**
   * Triplet margin loss with torch's {@code TripletMarginLoss(margin, p=2, eps=1e-6,
   * reduction="mean")} semantics (Schroff et al. 2015; paper 001, eq. 1):
   *
   * <p>L = mean_i max(0, d(a_i, p_i) - d(a_i, n_i) + margin), with d(x, y) = ||x - y + eps||_2
   * (torch's {@code pairwise_distance} adds eps to every component of the difference, which keeps
   * the norm's gradient finite when x = y).
   *
   * @param anchor (B, d) embeddings
   * @param positive (B, d)
   * @param negative (B, d)
   * @param margin &gt; 0, paper 001: 1.0
   * @return a 0-d array
   */
  public static NDArray tripletMargin(
      NDArray anchor, NDArray positive, NDArray negative, float margin) {
    NDArray dPos = anchor.sub(positive).add(TRIPLET_EPS).square().sum(new int[] {-1}).sqrt();
    NDArray dNeg = anchor.sub(negative).add(TRIPLET_EPS).square().sum(new int[] {-1}).sqrt();
    return dPos.sub(dNeg).add(margin).maximum(0f).mean();
  }

  /** Mean squared error over every element: mean((p - t)^2); a 0-d array. */
  public static NDArray meanSquaredError(NDArray p, NDArray t) {
    return p.sub(t).square().mean();
  }

  /**
   * KL(P ‖ Q) summed over clusters and averaged over the batch: PyTorch's {@code F.kl_div(q.log(),
   * p, reduction="batchmean")}, Keras' {@code kld} (DEC's clustering loss, Xie et al. 2016, eq. 2).
   * Terms with p = 0 count 0, as {@code xlogy}.
   *
   * @param p the target (B, k), rows summing to 1, treated as a constant
   * @param q the soft assignment (B, k), positive
   * @return a 0-d array
   */
  public static NDArray klDivergence(NDArray p, NDArray q) {
    long b = p.getShape().get(0);
    NDArray plogp = NDArrays.where(p.gt(0), p.mul(p.log()), p.zerosLike());
    return plogp.sub(p.mul(q.log())).sum().div(b);
  }
}
