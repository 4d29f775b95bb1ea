package io.deepclust.train;

import ai.djl.ndarray.NDArray;

/**
 * One mini-batch handed to {@link Phase#loss}.
 *
 * @param images (B, C, H, W), values in [0, 1], owned by the step's sub-manager
 * @param rows the row of each image in the phase's {@link BatchSource} (so a phase can look up
 *     per-sample values it computed in {@link Phase#beforeEpoch}, e.g. DEC's target distribution)
 * @param index the batch number within the epoch, from 0
 */
public record TrainBatch(NDArray images, int[] rows, int index) {}
