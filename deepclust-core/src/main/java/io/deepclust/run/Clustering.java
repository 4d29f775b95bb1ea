package io.deepclust.run;

import io.deepclust.cluster.ClusterModel;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.MethodSpec;
import io.deepclust.reduce.FittedReducer;

/**
 * One method's outcome: fitted on the embeddings of its {@code fit_on} images, applied to those of
 * its {@code predict_on} images.
 *
 * @param method the recipe's method
 * @param reducer the fitted reducer
 * @param fit the clusterer's fit (labels of the fitted images, centres, inertia)
 * @param features the reduced features of the predicted images, {@code n x k}
 * @param labels the cluster of each predicted image, length n
 * @param lossHistory the clusterer's loss per epoch, empty for clusterers not trained by epochs
 * @param probabilities cluster probabilities of the predicted images ({@code n x k}), or null for a
 *     hard clusterer
 * @param model the fitted clusterer's parameters, stored in the model bundle; null when the
 *     clusterer cannot be stored
 */
record Clustering(
    MethodSpec method,
    FittedReducer reducer,
    ClusterResult fit,
    FloatMatrix features,
    int[] labels,
    double[] lossHistory,
    FloatMatrix probabilities,
    ClusterModel model) {}
