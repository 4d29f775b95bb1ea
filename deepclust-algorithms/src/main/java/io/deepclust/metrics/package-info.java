/**
 * Clustering quality: external (ACC, NMI, ARI, AMI, purity) and internal (silhouette,
 * Davies-Bouldin, Calinski-Harabasz) metrics with scikit-learn semantics. No DJL dependency.
 */
package io.deepclust.metrics;
