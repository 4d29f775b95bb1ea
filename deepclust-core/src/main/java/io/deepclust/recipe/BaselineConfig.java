package io.deepclust.recipe;

import io.deepclust.data.Split;
import java.util.Objects;

/**
 * Settings of the k-means baselines of paper 001 (section V-B): k-means on raw pixels and on PCA
 * features.
 *
 * @param dataset registry name, e.g. {@code mnist}
 * @param split which images (the paper: the 10k test set)
 * @param subset 0 for all images, else a seeded stratified sample
 * @param pcaComponents PCA dimensions of the second baseline (the paper: 50)
 * @param k number of clusters
 * @param nInit k-means restarts (k-means++ each); best inertia wins
 * @param seed fixes the subset, k-means++ and silhouette sampling
 * @param silhouetteSample 0 for the exact silhouette on all points, else a seeded sample size
 * @param threads worker threads, 0 for all processors
 */
public record BaselineConfig(
    String dataset,
    Split split,
    int subset,
    int pcaComponents,
    int k,
    int nInit,
    long seed,
    int silhouetteSample,
    int threads) {
  public BaselineConfig {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(split, "split");
    Recipe.require(subset >= 0, "subset", "use 0 for all images or a positive count");
    Recipe.require(pcaComponents >= 1, "pca", "use at least 1 PCA component");
    Recipe.require(k >= 2, "k", "use at least 2 clusters");
    Recipe.require(nInit >= 1, "n-init", "use at least 1 k-means restart");
    Recipe.require(silhouetteSample >= 0, "silhouette-sample", "use 0 (all) or a count");
    Recipe.require(threads >= 0, "threads", "use 0 (all processors) or a count");
  }

  /** The paper's setting: MNIST test set, PCA-50, k = 10, 10 restarts, seed 0. */
  public static BaselineConfig defaults() {
    return new BaselineConfig("mnist", Split.TEST, 0, 50, 10, 10, 0, 0, 0);
  }
}
