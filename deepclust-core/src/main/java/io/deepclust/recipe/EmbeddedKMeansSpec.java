package io.deepclust.recipe;

import io.deepclust.nn.Autoencoder;
import io.deepclust.train.EmbeddedKMeansPhase;
import io.deepclust.train.Phase;
import io.deepclust.train.ReconstructionPhase;

/**
 * {@code type: embedded_kmeans}: paper 004's joint training of the autoencoder with k-means in its
 * embedding ({@link EmbeddedKMeansPhase}): loss = reconstruction + λ · 1/(2N) Σ‖h(x) − c*‖²,
 * centres and assignments fixed during an epoch and updated by one Lloyd step after it. The
 * defaults are the paper's.
 *
 * @param name phase name (default {@code embedded_kmeans})
 * @param epochs epochs (required; 0 skips the phase; the paper: 500)
 * @param k clusters (default 10; at least 2)
 * @param lambda λ, the clustering term's weight (default 0.2, the paper's; at least 0)
 * @param init {@code random} (default: the embeddings of k distinct images drawn with the seed, the
 *     paper's "initialized randomly") or {@code kmeans} (k-means++ with {@code n_init} restarts on
 *     the embedding)
 * @param nInit restarts of the {@code kmeans} initialisation (default 10; at least 1)
 * @param emptyCluster {@code keep} (default: an empty cluster's centre stays, the paper's eq. 7
 *     with no extra rule) or {@code farthest} (it moves onto the image farthest from its centre)
 * @param loss the reconstruction loss, {@code bce} (default, the paper's) or {@code mse}
 * @param reduction {@code sum} (default: over each image's pixels, averaged over the batch, the
 *     scale of MatConvNet, which the paper used) or {@code mean} (over every pixel, torch's)
 * @param embedBatchSize images per forward when the whole data is embedded (default 1000)
 * @param schedule learning-rate schedule (default {@code constant})
 * @param earlyStopping early stopping (default none)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before)
 * @param augmentation this phase's augmentation of its training steps' images in place of {@code
 *     training.augmentation} ({@code {type: none}} for none here); default: the run's
 */
public record EmbeddedKMeansSpec(
    String name,
    Integer epochs,
    Integer k,
    Double lambda,
    String init,
    Integer nInit,
    String emptyCluster,
    String loss,
    String reduction,
    Integer embedBatchSize,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer,
    AugmentationSpec augmentation)
    implements PhaseSpec {

  /** Fills defaults; checks values. */
  public EmbeddedKMeansSpec {
    name = Checks.orDefault(name, "embedded_kmeans");
    schedule = PhaseSpec.checkCommon(name, epochs, schedule);
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 clusters, got " + k);
    lambda = Checks.orDefault(lambda, 0.2);
    Checks.require(
        lambda >= 0 && Double.isFinite(lambda),
        "lambda",
        "use a finite weight >= 0 (the paper's 0.2), got " + lambda);
    init = Checks.orDefault(init, "random");
    Checks.require(
        init.equals("random") || init.equals("kmeans"),
        "init",
        "'" + init + "' is not an initialisation; use random (the paper's) or kmeans");
    nInit = Checks.orDefault(nInit, 10);
    Checks.require(nInit >= 1, "n_init", "use at least 1 restart, got " + nInit);
    emptyCluster = Checks.orDefault(emptyCluster, "keep");
    Checks.require(
        emptyCluster.equals("keep") || emptyCluster.equals("farthest"),
        "empty_cluster",
        "'" + emptyCluster + "' is not an empty-cluster rule; use keep or farthest");
    loss = Checks.orDefault(loss, "bce");
    Checks.require(
        loss.equals("bce") || loss.equals("mse"),
        "loss",
        "'" + loss + "' is not a reconstruction loss; use bce or mse");
    reduction = Checks.orDefault(reduction, "sum");
    Checks.require(
        reduction.equals("sum") || reduction.equals("mean"),
        "reduction",
        "'" + reduction + "' is not a reduction; use sum (per image) or mean (per pixel)");
    embedBatchSize = Checks.orDefault(embedBatchSize, 1000);
    Checks.require(embedBatchSize >= 1, "embed_batch_size", "use at least 1 image");
  }

  @Override
  public Phase create(Autoencoder autoencoder, ComponentContext context) {
    return new EmbeddedKMeansPhase(
        autoencoder,
        new EmbeddedKMeansPhase.Config(
            name,
            epochs,
            k,
            lambda,
            EmbeddedKMeansPhase.Init.parse(init),
            nInit,
            EmbeddedKMeansPhase.EmptyCluster.parse(emptyCluster),
            ReconstructionPhase.LossKind.parse(loss),
            EmbeddedKMeansPhase.Reduction.parse(reduction),
            embedBatchSize));
  }
}
