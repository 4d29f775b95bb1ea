/**
 * Triplet mining on embedding matrices: nearest-neighbour positives and distance-rule negatives
 * (Triplet-CNN-AE, paper 001, phase 2), used by {@code io.deepclust.train.TripletPhase}.
 */
package io.deepclust.train.triplet;
