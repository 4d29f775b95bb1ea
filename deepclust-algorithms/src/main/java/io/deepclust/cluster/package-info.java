/** Clusterers over embeddings (k-means with k-means++ restarts, ...). */
package io.deepclust.cluster;
