/**
 * Clusterers over embeddings: k-means with k-means++ restarts ({@link io.deepclust.cluster.KMeans})
 * and Gaussian mixtures fitted by EM ({@link io.deepclust.cluster.GaussianMixture}), both with
 * scikit-learn's semantics.
 */
package io.deepclust.cluster;
