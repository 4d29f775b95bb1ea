package io.deepclust.recipe;

import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.soft.SoftCentroids;
import io.deepclust.cluster.soft.SoftCentroidsConfig;
import java.util.Locale;

/**
 * {@code type: soft_centroids}: paper 002's "ABO_clusterer" ({@link SoftCentroids}): k learnable
 * centres trained by Adam to minimise the mean expected squared distance under {@code
 * softmax(-distance)}; labels are the nearest centre.
 *
 * @param k number of clusters (default 10; at least 2)
 * @param epochs passes over the clustered embeddings (default 200, the paper's; at least 1)
 * @param batchSize samples per Adam step (default 32)
 * @param lr Adam's learning rate (default 0.1)
 * @param init {@code farthest} (the k distinct samples farthest from the mean, the paper's; the
 *     default) or {@code kmeans++}
 */
public record SoftCentroidsSpec(
    Integer k, Integer epochs, Integer batchSize, Double lr, String init) implements ClustererSpec {

  /** Fills defaults; checks ranges. */
  public SoftCentroidsSpec {
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 clusters, got " + k);
    epochs = Checks.orDefault(epochs, 200);
    Checks.require(epochs >= 1, "epochs", "use at least 1 epoch (paper: 200), got " + epochs);
    batchSize = Checks.orDefault(batchSize, 32);
    Checks.require(batchSize >= 1, "batch_size", "use a positive batch size, got " + batchSize);
    lr = Checks.orDefault(lr, 0.1);
    Checks.require(
        lr > 0 && lr <= Float.MAX_VALUE,
        "lr",
        "use a positive learning rate (paper: 0.1), got " + lr);
    init =
        Checks.orDefault(init, SoftCentroidsConfig.INIT_FARTHEST).trim().toLowerCase(Locale.ROOT);
    Checks.require(
        init.equals(SoftCentroidsConfig.INIT_FARTHEST)
            || init.equals(SoftCentroidsConfig.INIT_KMEANS_PP),
        "init",
        "'" + init + "' is not an initialisation; use farthest or kmeans++");
  }

  @Override
  public Clusterer build(ComponentContext context) {
    return new SoftCentroids(
        new SoftCentroidsConfig(k, epochs, batchSize, lr.floatValue(), init, context.seed()));
  }
}
