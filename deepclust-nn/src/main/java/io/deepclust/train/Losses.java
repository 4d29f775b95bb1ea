package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.deepclust.nn.TorchScalar;

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
    NDArray d = dPos.sub(dNeg).add(margin);
    return d.maximum(TorchScalar.of(d, 0)).mean();
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
    NDArray sum = plogp.sub(p.mul(q.log())).sum();
    return sum.div(TorchScalar.of(sum, b));
  }

  /**
   * Paper 003's enhanced triplet loss (eq. 3), averaged over the triplets:
   *
   * <p>L = mean_i w_i · max(0, (1 + β) d(a_i, p_i) − (1 − β) d(a_i, n_i) + margin),
   *
   * <p>with d as in {@link #tripletMargin} (torch's {@code pairwise_distance}, eps 1e-6 added to
   * each difference). β = 0 and w = 1 give {@link #tripletMargin}. The mean divides by the number
   * of triplets T, not by the sum of the weights.
   *
   * @param anchor (T, d) embeddings, T &gt;= 1
   * @param positive (T, d)
   * @param negative (T, d)
   * @param margin the margin (paper 003: 1.0, rising per epoch)
   * @param beta β in [0, 1) (paper 003: 0.1-0.2, rising)
   * @param weight (T) weights w_i &gt;= 0, constants (paper 003: larger for violated triplets)
   * @return a 0-d array
   */
  public static NDArray enhancedTriplet(
      NDArray anchor,
      NDArray positive,
      NDArray negative,
      float margin,
      float beta,
      NDArray weight) {
    NDArray dPos = anchor.sub(positive).add(TRIPLET_EPS).square().sum(new int[] {-1}).sqrt();
    NDArray dNeg = anchor.sub(negative).add(TRIPLET_EPS).square().sum(new int[] {-1}).sqrt();
    NDArray h =
        dPos.mul(TorchScalar.of(dPos, 1f + beta))
            .sub(dNeg.mul(TorchScalar.of(dNeg, 1f - beta)))
            .add(margin);
    NDArray hinge = h.maximum(TorchScalar.of(h, 0));
    return hinge.mul(weight).mean();
  }

  /**
   * Cluster separation loss (paper 003, sections IV-B and IX-A: "between-centre distance vs
   * within-cluster spread"), as the ratio within / between, which is scale-free (a difference would
   * be lowered without bound by pushing the centres apart):
   *
   * <ul>
   *   <li>within = mean_i Σ_j w_ij ‖z_i − μ_j‖² (with one-hot w, the labels', each image's squared
   *       distance to its own centre; with w = q, the expected squared distance);
   *   <li>between = mean over pairs j ≠ j' of ‖μ_j − μ_j'‖².
   * </ul>
   *
   * @param z (B, d) embeddings
   * @param q (B, k) assignment weights w, rows summing to 1 (one-hot labels or soft q), constants
   *     or not
   * @param mu (k, d) centres, k &gt;= 2
   * @return a 0-d array, &gt;= 0
   */
  public static NDArray separation(NDArray z, NDArray q, NDArray mu) {
    long k = mu.getShape().get(0);
    NDArray dzm = z.expandDims(1).sub(mu.expandDims(0)).square().sum(new int[] {2});
    NDArray within = q.mul(dzm).sum(new int[] {1}).mean();
    NDArray dmm = mu.expandDims(1).sub(mu.expandDims(0)).square().sum();
    NDArray between = dmm.div(TorchScalar.of(dmm, (float) (k * (k - 1))));
    return within.div(between.add(1e-12f));
  }

  /**
   * Balance (entropy) regulariser against collapse: KL(q̄ ‖ u) = Σ_j q̄_j log q̄_j + log k, with q̄
   * the batch mean of q and u the uniform distribution over the k clusters; 0 when the batch's
   * assignments are balanced, log k when all mass is on one cluster (maximising the entropy of the
   * mean assignment, as in IMSAT / the "entropy regularisation" paper 003 names as future work).
   *
   * @param q (B, k) soft assignments, rows summing to 1
   * @return a 0-d array in [0, log k]
   */
  public static NDArray balance(NDArray q) {
    long k = q.getShape().get(1);
    NDArray mean = q.mean(new int[] {0});
    NDArray ent = mean.mul(mean.clip(1e-12f, 1f).log()).sum();
    return ent.add((float) Math.log(k));
  }
}
