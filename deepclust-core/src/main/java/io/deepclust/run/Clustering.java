package io.deepclust.run;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.MethodSpec;
import io.deepclust.reduce.FittedReducer;

/**
 * One method's outcome on one set of embeddings.
 *
 * @param method the recipe's method
 * @param reducer the fitted reducer
 * @param features the reduced features the clusterer saw, {@code n x k}
 * @param clusters labels and centres
 */
record Clustering(
    MethodSpec method, FittedReducer reducer, FloatMatrix features, ClusterResult clusters) {}
