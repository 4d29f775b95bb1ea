/**
 * Soft-centroid clustering (paper 002's "ABO_clusterer"): k learnable centres trained by Adam to
 * minimise the expected squared distance under a softmax assignment.
 */
package io.deepclust.cluster.soft;
