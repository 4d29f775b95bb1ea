package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/**
 * Output of {@link Tsne#fit}.
 *
 * @param embedding the map, n x 2, centred at the origin
 * @param klDivergence KL(P || Q) of the final map, with Q's normaliser Z from the Barnes-Hut
 *     approximation (as bhtsne and scikit-learn report it); P is the symmetrised sparse input
 *     affinity, summed over its non-zeros only
 * @param learningRate the learning rate used (resolved from 'auto')
 * @param neighbours nearest neighbours per point used for P
 * @param iterations gradient-descent iterations run
 */
public record TsneResult(
    FloatMatrix embedding,
    double klDivergence,
    double learningRate,
    int neighbours,
    int iterations) {}
