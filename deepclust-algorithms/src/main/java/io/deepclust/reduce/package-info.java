/** Dimensionality reduction of embeddings (PCA, t-SNE). */
package io.deepclust.reduce;
