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
 * @param schedule learning-rate schedule (default {@code constant})
 * @param earlyStopping early stopping (default none)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before; DEC
 *     uses SGD lr 0.01 momentum 0.9, IDEC Adam lr 0.001)
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
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer)
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
            embedBatchSize));
  }
}
