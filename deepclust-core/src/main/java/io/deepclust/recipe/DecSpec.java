package io.deepclust.recipe;

import io.deepclust.cluster.SoftAssignment;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.DecPhase;
import io.deepclust.train.Phase;
import io.deepclust.train.ReconstructionPhase;

/**
 * {@code type: dec}: DEC's clustering phase (Xie et al. 2016) and, with a {@code
 * reconstruction_loss}, IDEC's (Guo et al. 2017) and DCEC's ({@link DecPhase}). The model gets a
 * clustering head of k centres, initialised by k-means on the embedding when the phase starts; the
 * loss is {@code gamma · KL(P‖Q)} (+ the reconstruction loss); the target P is recomputed on the
 * whole training set every {@code update_interval} steps; the phase stops when fewer than {@code
 * tol} of the labels changed between two updates, or after {@code epochs}.
 *
 * @param name phase name (default {@code dec})
 * @param epochs the most epochs (required; 0 skips the phase). DEC-keras runs 20,000 steps of 256
 *     (73 epochs of 70,000)
 * @param k clusters (default 10)
 * @param alpha α of the kernel (default 1.0)
 * @param kernel {@code student_t} (default; DEC eq. 1) or {@code inverse} (paper 003's eq. 1)
 * @param updateInterval steps between target updates (default 140, as DEC-keras, IDEC, DCEC)
 * @param tol stop when fewer than this fraction of labels changed (default 0.001; 0 never stops)
 * @param gamma weight γ of the clustering loss (default 1.0; IDEC and DCEC use 0.1)
 * @param reconstructionLoss {@code none} (default: DEC, the decoder is frozen), {@code mse} (IDEC)
 *     or {@code bce}
 * @param kmeansInit k-means restarts for the initial centres (default 20, as DEC)
 * @param embedBatchSize images per forward when embedding the whole training set (default 1024)
 * @param gammaRampEpochs γ rises linearly from 0 over this many epochs (default 0: γ from the
 *     start; paper 003: "ramped up from 0 to 0.1")
 * @param separationWeight weight of the separation loss, within-cluster spread over between-centre
 *     distance (default 0: none; paper 003: 0.05)
 * @param separationRampEpochs its linear ramp from 0, in epochs (default 0)
 * @param balanceWeight weight of the balance regulariser KL(mean q ‖ uniform) against collapse
 *     (default 0: none)
 * @param tolUpdates consecutive updates below {@code tol} that stop the phase (default 1, DEC's;
 *     paper 003: "more than 5", 6)
 * @param silhouetteSample 0 (default: off), or the seeded sample size of the silhouette computed at
 *     every update; the best update's parameters (among those with all k clusters in use and not
 *     collapsed) are kept and the phase ends with them unless its final model scores as well (paper
 *     003: checkpoint at the best silhouette)
 * @param collapse collapse detection and recovery (default none)
 * @param endWith with {@code silhouette_sample}: {@code best_silhouette} (default, paper 003) ends
 *     with the best-silhouette update unless the final model scores as well; {@code
 *     final_unless_collapsed} keeps the final model unless it has collapsed (silhouette can prefer
 *     the worse clustering)
 * @param schedule learning-rate schedule (default {@code constant})
 * @param earlyStopping early stopping (default none)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before; DEC
 *     uses SGD lr 0.01 momentum 0.9, IDEC Adam lr 0.001)
 * @param augmentation this phase's augmentation of its training steps' images in place of {@code
 *     training.augmentation} ({@code {type: none}} for none here); default: the run's
 */
public record DecSpec(
    String name,
    Integer epochs,
    Integer k,
    Double alpha,
    String kernel,
    Integer updateInterval,
    Double tol,
    Double gamma,
    String reconstructionLoss,
    Integer kmeansInit,
    Integer embedBatchSize,
    Double gammaRampEpochs,
    Double separationWeight,
    Double separationRampEpochs,
    Double balanceWeight,
    Integer tolUpdates,
    Integer silhouetteSample,
    CollapseSpec collapse,
    String endWith,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer,
    AugmentationSpec augmentation)
    implements PhaseSpec {

  /** Fills defaults; checks values. */
  public DecSpec {
    name = Checks.orDefault(name, "dec");
    schedule = PhaseSpec.checkCommon(name, epochs, schedule);
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 clusters, got " + k);
    alpha = Checks.orDefault(alpha, 1.0);
    Checks.require(
        alpha > 0 && Double.isFinite(alpha), "alpha", "use a finite alpha > 0, got " + alpha);
    kernel = Checks.orDefault(kernel, "student_t");
    Checks.require(
        kernel.equals("student_t") || kernel.equals("inverse"),
        "kernel",
        "'" + kernel + "' is not a kernel; use student_t (DEC) or inverse (paper 003)");
    updateInterval = Checks.orDefault(updateInterval, 140);
    Checks.require(updateInterval >= 1, "update_interval", "use at least 1 step");
    tol = Checks.orDefault(tol, 0.001);
    Checks.require(tol >= 0 && tol < 1, "tol", "use a fraction in [0, 1), got " + tol);
    gamma = Checks.orDefault(gamma, 1.0);
    Checks.require(
        gamma > 0 && Double.isFinite(gamma), "gamma", "use a finite weight > 0, got " + gamma);
    reconstructionLoss = Checks.orDefault(reconstructionLoss, "none");
    Checks.require(
        reconstructionLoss.equals("none")
            || reconstructionLoss.equals("mse")
            || reconstructionLoss.equals("bce"),
        "reconstruction_loss",
        "'" + reconstructionLoss + "' is not a reconstruction loss; use none (DEC), mse or bce");
    kmeansInit = Checks.orDefault(kmeansInit, 20);
    Checks.require(kmeansInit >= 1, "kmeans_init", "use at least 1 k-means run");
    embedBatchSize = Checks.orDefault(embedBatchSize, 1024);
    Checks.require(embedBatchSize >= 1, "embed_batch_size", "use at least 1 image");
    gammaRampEpochs = nonNegative(gammaRampEpochs, "gamma_ramp_epochs");
    separationWeight = nonNegative(separationWeight, "separation_weight");
    separationRampEpochs = nonNegative(separationRampEpochs, "separation_ramp_epochs");
    balanceWeight = nonNegative(balanceWeight, "balance_weight");
    tolUpdates = Checks.orDefault(tolUpdates, 1);
    Checks.require(tolUpdates >= 1, "tol_updates", "use at least 1 update, got " + tolUpdates);
    silhouetteSample = Checks.orDefault(silhouetteSample, 0);
    Checks.require(
        silhouetteSample == 0 || silhouetteSample >= 2,
        "silhouette_sample",
        "use 0 (off) or at least 2 images, got " + silhouetteSample);
    endWith = Checks.orDefault(endWith, "best_silhouette");
    Checks.require(
        endWith.equals("best_silhouette") || endWith.equals("final_unless_collapsed"),
        "end_with",
        "'"
            + endWith
            + "' is not a rule; use best_silhouette (paper 003) or final_unless_collapsed");
    Checks.require(
        endWith.equals("best_silhouette") || silhouetteSample > 0,
        "end_with",
        "final_unless_collapsed needs silhouette_sample > 0 (the fallback is the best-silhouette"
            + " update); set silhouette_sample or remove end_with");
    if (collapse != null) {
      Checks.require(
          collapse.minClusters() == null || collapse.minClusters() <= k,
          "collapse.min_clusters",
          collapse.minClusters() + " is more than k = " + k);
    }
  }

  private static Double nonNegative(Double v, String field) {
    v = Checks.orDefault(v, 0.0);
    Checks.require(v >= 0 && Double.isFinite(v), field, "use a finite value >= 0, got " + v);
    return v;
  }

  /**
   * Collapse detection and recovery of the joint phase ({@link DecPhase.Collapse}), checked at each
   * target update.
   *
   * @param maxShare a cluster holding more than this share of the images is a collapse (default
   *     0.5; 1 turns this rule off)
   * @param minClusters fewer clusters in use is a collapse (default: k, i.e. any empty cluster)
   * @param recovery {@code reinit} (default: centres re-initialised by k-means on the current
   *     embedding), {@code restore_best} (back to the best-silhouette update; needs {@code
   *     silhouette_sample}, else reinit) or {@code none} (report only)
   * @param maxRecoveries recoveries allowed in the phase (default 3)
   */
  public record CollapseSpec(
      Double maxShare, Integer minClusters, String recovery, Integer maxRecoveries) {
    /** Fills defaults; checks values. */
    public CollapseSpec {
      maxShare = Checks.orDefault(maxShare, 0.5);
      Checks.require(
          maxShare > 0 && maxShare <= 1, "max_share", "use a share in (0, 1], got " + maxShare);
      Checks.require(
          minClusters == null || minClusters >= 1, "min_clusters", "use at least 1 cluster");
      recovery = Checks.orDefault(recovery, "reinit");
      Checks.require(
          recovery.equals("reinit") || recovery.equals("restore_best") || recovery.equals("none"),
          "recovery",
          "'" + recovery + "' is not a recovery; use reinit, restore_best or none");
      maxRecoveries = Checks.orDefault(maxRecoveries, 3);
      Checks.require(maxRecoveries >= 0, "max_recoveries", "use 0 or more");
    }

    DecPhase.Collapse build(int k) {
      return new DecPhase.Collapse(
          maxShare,
          minClusters == null ? k : minClusters,
          DecPhase.Recovery.parse(recovery),
          maxRecoveries);
    }
  }

  @Override
  public HeadSpec head() {
    return new HeadSpec(k, alpha, SoftAssignment.Kernel.parse(kernel));
  }

  @Override
  public Phase create(Autoencoder autoencoder, ComponentContext context) {
    return new DecPhase(
        autoencoder,
        new DecPhase.Config(
            name,
            epochs,
            updateInterval,
            tol,
            gamma,
            reconstructionLoss.equals("none")
                ? null
                : ReconstructionPhase.LossKind.parse(reconstructionLoss),
            kmeansInit,
            embedBatchSize,
            new DecPhase.Joint(
                gammaRampEpochs,
                separationWeight,
                separationRampEpochs,
                balanceWeight,
                tolUpdates,
                silhouetteSample,
                collapse == null ? null : collapse.build(k),
                endWith.equals("final_unless_collapsed"))));
  }
}
