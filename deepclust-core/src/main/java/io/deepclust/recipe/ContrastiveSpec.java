package io.deepclust.recipe;

import io.deepclust.nn.Autoencoder;
import io.deepclust.train.ContrastivePhase;
import io.deepclust.train.Phase;
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.triplet.PseudoLabelMiner;

/**
 * {@code type: contrastive}: paper 003's contrastive refinement ({@link ContrastivePhase}): the
 * enhanced triplet loss {@code w · max(0, (1+β) d(a,p) − (1−β) d(a,n) + margin)} on triplets mined
 * in each batch from pseudo-labels of the current embedding (k-means, or {@code pseudo_labels}),
 * with the reconstruction loss kept. The paper leaves the source of positives, the β schedule, the
 * violated-triplet weight and the reconstruction weight open; each is a field here.
 *
 * @param name phase name (default {@code contrastive})
 * @param epochs epochs (required; 0 skips the phase)
 * @param batchSize images per step of this phase (default 0: {@code training.batch_size}; paper:
 *     64)
 * @param k pseudo-label clusters (default 10; with {@code pseudo_labels}, its clusterer's k, and a
 *     different value here is an error)
 * @param kmeansInit k-means restarts per pseudo-label refresh (default 5; not allowed with {@code
 *     pseudo_labels}, whose clusterer has its own {@code n_init})
 * @param refreshEvery epochs between pseudo-label refreshes (default 1: each epoch)
 * @param margin the first epoch's margin (default 1.0, the paper's)
 * @param marginStep added to the margin each epoch (default 0.015; paper: 0.01-0.02)
 * @param beta the first epoch's β (default 0.15; paper: 0.1-0.2)
 * @param betaStep added to β each epoch (default 0.01; paper: "gradually increased")
 * @param betaMax the largest β (default 0.5; below 1)
 * @param violatedWeight weight of triplets whose negative is nearer than the positive (default 2.0;
 *     the others weigh 1; paper: "more weight to difficult triplets")
 * @param positive {@code random} (default: a random image of the anchor's pseudo-label in the
 *     batch) or {@code hardest} (the farthest)
 * @param negative {@code semi_hard} (default, the paper's, with the hardest as fallback) or {@code
 *     hardest}
 * @param reconstructionLoss {@code mse} (default: kept, as the paper), {@code bce} or {@code none}
 *     (the decoder is frozen)
 * @param reconstructionWeight weight of the reconstruction loss (default 1.0)
 * @param embedBatchSize images per forward when embedding for k-means (default 1024)
 * @param pseudoLabels a reducer and clusterer that make the pseudo-labels in place of k-means
 *     (default none: k-means with {@code k} and {@code kmeans_init}); e.g. {@code {reduce: {type:
 *     umap, n_components: 10, min_dist: 0}, cluster: {type: gmm, k: 10, n_init: 5}}}
 * @param schedule learning-rate schedule (default {@code constant})
 * @param earlyStopping early stopping (default none)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before)
 * @param augmentation this phase's augmentation of its training steps' images in place of {@code
 *     training.augmentation} ({@code {type: none}} for none here); default: the run's
 */
public record ContrastiveSpec(
    String name,
    Integer epochs,
    Integer batchSize,
    Integer k,
    Integer kmeansInit,
    Integer refreshEvery,
    Double margin,
    Double marginStep,
    Double beta,
    Double betaStep,
    Double betaMax,
    Double violatedWeight,
    String positive,
    String negative,
    String reconstructionLoss,
    Double reconstructionWeight,
    Integer embedBatchSize,
    PseudoLabelSpec pseudoLabels,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer,
    AugmentationSpec augmentation)
    implements PhaseSpec {

  /** Fills defaults; checks values. */
  public ContrastiveSpec {
    name = Checks.orDefault(name, "contrastive");
    schedule = PhaseSpec.checkCommon(name, epochs, schedule);
    batchSize = Checks.orDefault(batchSize, 0);
    Checks.require(batchSize >= 0, "batch_size", "use 0 (the run's) or a positive size");
    if (pseudoLabels == null) {
      k = Checks.orDefault(k, 10);
      Checks.require(k >= 2, "k", "use at least 2 pseudo-label clusters, got " + k);
      kmeansInit = Checks.orDefault(kmeansInit, 5);
      Checks.require(kmeansInit >= 1, "kmeans_init", "use at least 1 k-means run");
    } else {
      // one number of clusters, said once: the pseudo-label clusterer's
      Checks.require(
          k == null || k == pseudoLabels.k(),
          "k",
          k
              + " differs from pseudo_labels.cluster.k "
              + pseudoLabels.k()
              + " (the clusterer's default when it names none); the clusterer's k is the"
              + " phase's: set pseudo_labels.cluster.k and leave this k out");
      k = pseudoLabels.k();
      Checks.require(
          kmeansInit == null,
          "kmeans_init",
          "pseudo_labels replaces the phase's k-means; set the restarts in pseudo_labels.cluster"
              + " (n_init) instead");
    }
    refreshEvery = Checks.orDefault(refreshEvery, 1);
    Checks.require(refreshEvery >= 1, "refresh_every", "use at least 1 epoch");
    margin = Checks.orDefault(margin, 1.0);
    Checks.require(margin > 0 && Double.isFinite(margin), "margin", "use a finite margin > 0");
    marginStep = Checks.orDefault(marginStep, 0.015);
    Checks.require(
        marginStep >= 0 && Double.isFinite(marginStep), "margin_step", "use a finite step >= 0");
    beta = Checks.orDefault(beta, 0.15);
    Checks.require(beta >= 0 && beta < 1, "beta", "use a beta in [0, 1), got " + beta);
    betaStep = Checks.orDefault(betaStep, 0.01);
    Checks.require(
        betaStep >= 0 && Double.isFinite(betaStep), "beta_step", "use a finite step >= 0");
    betaMax = Checks.orDefault(betaMax, Math.max(0.5, beta));
    Checks.require(
        betaMax >= beta && betaMax < 1, "beta_max", "use a value in [beta, 1), got " + betaMax);
    violatedWeight = Checks.orDefault(violatedWeight, 2.0);
    Checks.require(
        violatedWeight >= 1 && Double.isFinite(violatedWeight),
        "violated_weight",
        "use a finite weight >= 1 (1: all triplets weigh the same), got " + violatedWeight);
    positive = Checks.orDefault(positive, "random");
    Checks.require(
        positive.equals("random") || positive.equals("hardest"),
        "positive",
        "'" + positive + "' is not a positive rule; use random or hardest");
    negative = Checks.orDefault(negative, "semi_hard");
    Checks.require(
        negative.equals("semi_hard") || negative.equals("hardest"),
        "negative",
        "'" + negative + "' is not a negative rule; use semi_hard or hardest");
    reconstructionLoss = Checks.orDefault(reconstructionLoss, "mse");
    Checks.require(
        reconstructionLoss.equals("none")
            || reconstructionLoss.equals("mse")
            || reconstructionLoss.equals("bce"),
        "reconstruction_loss",
        "'" + reconstructionLoss + "' is not a reconstruction loss; use mse, bce or none");
    reconstructionWeight = Checks.orDefault(reconstructionWeight, 1.0);
    Checks.require(
        reconstructionWeight >= 0 && Double.isFinite(reconstructionWeight),
        "reconstruction_weight",
        "use a finite weight >= 0");
    embedBatchSize = Checks.orDefault(embedBatchSize, 1024);
    Checks.require(embedBatchSize >= 1, "embed_batch_size", "use at least 1 image");
  }

  @Override
  public Phase create(Autoencoder autoencoder, ComponentContext context) {
    return new ContrastivePhase(
        autoencoder,
        new ContrastivePhase.Config(
            name,
            epochs,
            batchSize,
            k,
            kmeansInit == null ? 1 : kmeansInit, // unused when pseudo_labels labels
            refreshEvery,
            margin,
            marginStep,
            beta,
            betaStep,
            betaMax,
            violatedWeight,
            PseudoLabelMiner.PositiveRule.parse(positive),
            PseudoLabelMiner.NegativeRule.parse(negative),
            reconstructionLoss.equals("none")
                ? null
                : ReconstructionPhase.LossKind.parse(reconstructionLoss),
            reconstructionWeight,
            embedBatchSize,
            pseudoLabels == null ? null : pseudoLabels.build()));
  }

  @Override
  public void checkFits(int rows, int dims) {
    if (pseudoLabels != null) {
      try {
        pseudoLabels.checkFits(rows, dims);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pseudo_labels." + e.getMessage(), e);
      }
    }
  }
}
