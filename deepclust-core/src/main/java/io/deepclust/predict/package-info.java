/**
 * Using a trained run on new images: {@link io.deepclust.predict.TrainedModel} loads a run's model
 * bundle (checked: version, checksums, shapes) and embeds images; {@link
 * io.deepclust.predict.Prediction} assigns them to each method's fitted clusters and scores them.
 */
package io.deepclust.predict;
