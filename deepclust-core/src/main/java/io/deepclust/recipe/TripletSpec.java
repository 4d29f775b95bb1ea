package io.deepclust.recipe;

import io.deepclust.nn.Autoencoder;
import io.deepclust.train.Phase;
import io.deepclust.train.TripletPhase;
import io.deepclust.train.triplet.TripletMiner;

/**
 * {@code type: triplet}: paper 001's unsupervised triplet fine-tuning of the encoder ({@link
 * TripletPhase}); the defaults are the paper's.
 *
 * @param name phase name (default {@code triplet})
 * @param epochs epochs (required; 0 skips the phase)
 * @param subsetSize images sampled (seeded) per epoch to mine triplets from (default 20000; at
 *     least 3)
 * @param margin triplet margin (default 1.0; positive)
 * @param mining {@code random_far} (default, the paper's: a random negative farther than {@code
 *     negative_threshold}) or {@code semi_hard} ({@code d(a,p) < d(a,n) < d(a,p) + margin})
 * @param negativeThreshold distance a random negative must exceed (default 0.5; at least 0)
 * @param forward {@code joint} (default: one forward of anchors, positives and negatives) or {@code
 *     separate} (three forwards)
 * @param l2Normalize normalise the embeddings before the loss (default false: the paper's encoder
 *     normalises itself)
 * @param embedBatchSize batch size of the mining embeddings (default 512)
 * @param maxTries random draws per anchor for a far negative (default 32)
 * @param schedule learning-rate schedule (default {@code constant})
 * @param earlyStopping early stopping (default none)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before)
 * @param augmentation this phase's augmentation of its training steps' images in place of {@code
 *     training.augmentation} ({@code {type: none}} for none here); default: the run's
 */
public record TripletSpec(
    String name,
    Integer epochs,
    Integer subsetSize,
    Double margin,
    String mining,
    Double negativeThreshold,
    String forward,
    Boolean l2Normalize,
    Integer embedBatchSize,
    Integer maxTries,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer,
    AugmentationSpec augmentation)
    implements PhaseSpec {

  /** Fills defaults; checks values. */
  public TripletSpec {
    name = Checks.orDefault(name, "triplet");
    schedule = PhaseSpec.checkCommon(name, epochs, schedule);
    subsetSize = Checks.orDefault(subsetSize, 20_000);
    Checks.require(subsetSize >= 3, "subset_size", "use at least 3 images, got " + subsetSize);
    margin = Checks.orDefault(margin, 1.0);
    Checks.require(
        margin > 0 && Double.isFinite(margin), "margin", "use a finite margin > 0, got " + margin);
    mining = Checks.orDefault(mining, "random_far");
    Checks.require(
        mining.equals("random_far") || mining.equals("semi_hard"),
        "mining",
        "'" + mining + "' is not a mining rule; use random_far (the paper's) or semi_hard");
    negativeThreshold = Checks.orDefault(negativeThreshold, 0.5);
    Checks.require(
        negativeThreshold >= 0 && Double.isFinite(negativeThreshold),
        "negative_threshold",
        "use a finite distance >= 0, got " + negativeThreshold);
    forward = Checks.orDefault(forward, "joint");
    Checks.require(
        forward.equals("joint") || forward.equals("separate"),
        "forward",
        "'" + forward + "' is not a forward mode; use joint or separate");
    l2Normalize = Checks.orDefault(l2Normalize, false);
    embedBatchSize = Checks.orDefault(embedBatchSize, 512);
    Checks.require(embedBatchSize >= 1, "embed_batch_size", "use at least 1 image");
    maxTries = Checks.orDefault(maxTries, 32);
    Checks.require(maxTries >= 1, "max_tries", "use at least 1 draw");
  }

  @Override
  public Phase create(Autoencoder autoencoder, ComponentContext context) {
    TripletMiner.Config miner =
        new TripletMiner.Config(
            TripletMiner.NegativeMining.parse(mining),
            negativeThreshold.floatValue(),
            margin.floatValue(),
            maxTries);
    return new TripletPhase(
        autoencoder,
        new TripletPhase.Config(
            name,
            epochs,
            subsetSize,
            margin.floatValue(),
            miner,
            TripletPhase.Forward.parse(forward),
            l2Normalize,
            embedBatchSize));
  }

  @Override
  public long imagesPerEpoch(int trainingImages) {
    return Math.min(subsetSize, trainingImages);
  }
}
