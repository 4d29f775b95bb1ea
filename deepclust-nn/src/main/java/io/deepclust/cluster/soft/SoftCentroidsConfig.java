package io.deepclust.cluster.soft;

import java.util.Locale;
import java.util.Objects;

/**
 * Settings for {@link SoftCentroids}, paper 002's "ABO_clusterer" (Obaid 2025, sections 3.2 and 4).
 *
 * @param k number of clusters (learnable centres), at least 1 (at most the number of distinct
 *     samples, checked by fit)
 * @param epochs passes over the samples, at least 1 (0 is allowed too: the centres stay at their
 *     initialisation)
 * @param batchSize samples per Adam step, at least 1; the last batch of an epoch may be smaller
 *     (PyTorch's {@code DataLoader(drop_last=False)})
 * @param learningRate Adam's step size (torch.optim.Adam, betas 0.9/0.999, eps 1e-8), finite and
 *     &gt; 0
 * @param init {@code farthest} (the k distinct samples farthest from the mean sample, the paper's)
 *     or {@code kmeans++} (greedy k-means++ seeding, scikit-learn's)
 * @param seed seed of the per-epoch shuffles and of k-means++
 */
public record SoftCentroidsConfig(
    int k, int epochs, int batchSize, float learningRate, String init, long seed) {

  /** The paper's initialisation: the samples farthest from the mean. */
  public static final String INIT_FARTHEST = "farthest";

  /** k-means++ seeding. */
  public static final String INIT_KMEANS_PP = "kmeans++";

  /** Validates every field; messages name the field, the bad value and the allowed range. */
  public SoftCentroidsConfig {
    if (k < 1) {
      throw new IllegalArgumentException("soft-centroids k = " + k + " is invalid; use k >= 1");
    }
    if (epochs < 0) {
      throw new IllegalArgumentException(
          "soft-centroids epochs = " + epochs + " is invalid; use epochs >= 0 (paper: 200)");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "soft-centroids batchSize = " + batchSize + " is invalid; use >= 1 (paper: 32)");
    }
    if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "soft-centroids learningRate = "
              + learningRate
              + " is invalid; use a finite value > 0 (paper: 0.1)");
    }
    Objects.requireNonNull(init, "init");
    init = init.trim().toLowerCase(Locale.ROOT);
    if (!init.equals(INIT_FARTHEST) && !init.equals(INIT_KMEANS_PP)) {
      throw new IllegalArgumentException(
          "soft-centroids init = '" + init + "' is unknown; use 'farthest' or 'kmeans++'");
    }
  }

  /** The paper's: k 10, 200 epochs, batch 32, lr 0.1, farthest-point init, seed 0. */
  public static SoftCentroidsConfig defaults() {
    return new SoftCentroidsConfig(10, 200, 32, 0.1f, INIT_FARTHEST, 0L);
  }

  /** This configuration with {@code k} clusters. */
  public SoftCentroidsConfig withK(int newK) {
    return new SoftCentroidsConfig(newK, epochs, batchSize, learningRate, init, seed);
  }

  /** This configuration with {@code epochs} epochs. */
  public SoftCentroidsConfig withEpochs(int newEpochs) {
    return new SoftCentroidsConfig(k, newEpochs, batchSize, learningRate, init, seed);
  }

  /** This configuration with seed {@code seed}. */
  public SoftCentroidsConfig withSeed(long newSeed) {
    return new SoftCentroidsConfig(k, epochs, batchSize, learningRate, init, newSeed);
  }
}
