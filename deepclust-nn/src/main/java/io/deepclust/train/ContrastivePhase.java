package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.TorchScalar;
import io.deepclust.train.triplet.PseudoLabelMiner;
import io.deepclust.util.Seeds;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Paper 003's contrastive refinement (sections III-D, IV-B, IX-C): the encoder is trained with the
 * enhanced triplet loss of eq. 3 on triplets mined inside each mini-batch from pseudo-labels, with
 * the reconstruction loss kept.
 *
 * <ul>
 *   <li>Pseudo-labels ({@link #beforeEpoch}): the paper trains without labels but does not say
 *       where positives come from; by default they are k-means' labels ({@code k} clusters, {@code
 *       kmeansInit} restarts, seeded per epoch) on the embedding of the phase's data with the
 *       current encoder (eval mode), refreshed every {@code refreshEvery} epochs (1: each epoch). A
 *       {@link PseudoLabeler} may take k-means' place (e.g. UMAP then a Gaussian mixture, N2D's
 *       clusterer). Each refresh is published as a {@link ClusterUpdate} (so {@code
 *       cluster_updates.csv} shows their ACC when labels exist).
 *   <li>Mining ({@link PseudoLabelMiner}): in every batch, each image is an anchor, its positive
 *       another image of its pseudo-label (random, or the hardest), its negative a semi-hard image
 *       of another pseudo-label (d(a,p) &lt; d(a,n) &lt; d(a,p) + margin) with the hardest as
 *       fallback, from the batch's own embeddings in training mode (detached for the choice).
 *   <li>Loss: {@link Losses#enhancedTriplet} with the epoch's margin {@code margin + marginStep ·
 *       (e − 1)} and β {@code min(betaMax, beta + betaStep · (e − 1))}; weight {@code
 *       violatedWeight} for triplets whose order is violated (d(a,n) &lt; d(a,p), the "difficult"
 *       ones), 1 for the rest; plus {@code reconstructionWeight} times the reconstruction loss of
 *       the batch (none: the decoder is frozen). A batch without a triplet contributes its
 *       reconstruction loss only.
 *   <li>Validation loss: the reconstruction term only (pseudo-labels exist for the training images
 *       only).
 * </ul>
 *
 * <p>The phase may train with its own batch size ({@link #trainData}; paper 003: 64). Its state
 * (the pseudo-labels in use) is saved in checkpoints, so a resumed run continues exactly.
 */
public final class ContrastivePhase implements Phase {

  /**
   * @param name the phase name
   * @param epochs epochs to train, at least 1
   * @param batchSize images per step of this phase, or 0 for the run's batch size (paper: 64)
   * @param k pseudo-label clusters, at least 2 (10)
   * @param kmeansInit k-means restarts per refresh, at least 1
   * @param refreshEvery epochs between pseudo-label refreshes, at least 1 (1: every epoch)
   * @param margin the margin of the first epoch, &gt; 0 (paper: 1.0)
   * @param marginStep added to the margin each epoch, &gt;= 0 (paper: 0.01-0.02)
   * @param beta β of the first epoch, in [0, 1) (paper: 0.1-0.2)
   * @param betaStep added to β each epoch, &gt;= 0 ("gradually increased")
   * @param betaMax the largest β, in [beta, 1)
   * @param violatedWeight weight of triplets with d(a,n) &lt; d(a,p), &gt;= 1 (others weigh 1)
   * @param positive how positives are chosen
   * @param negative how negatives are chosen
   * @param reconstruction the reconstruction loss kept, or null for none (the decoder is frozen)
   * @param reconstructionWeight its weight, &gt;= 0
   * @param embedBatchSize images per forward when embedding the data for k-means, at least 1
   * @param pseudoLabeler what labels the embedding at each refresh, or null for k-means with {@code
   *     k} clusters and {@code kmeansInit} restarts; its labels must lie in {@code [0, k)}
   */
  public record Config(
      String name,
      int epochs,
      int batchSize,
      int k,
      int kmeansInit,
      int refreshEvery,
      double margin,
      double marginStep,
      double beta,
      double betaStep,
      double betaMax,
      double violatedWeight,
      PseudoLabelMiner.PositiveRule positive,
      PseudoLabelMiner.NegativeRule negative,
      ReconstructionPhase.LossKind reconstruction,
      double reconstructionWeight,
      int embedBatchSize,
      PseudoLabeler pseudoLabeler) {
    public Config {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(positive, "positive");
      Objects.requireNonNull(negative, "negative");
      String p = "phase '" + name + "': ";
      require(epochs >= 1, p + "epochs must be >= 1, got " + epochs);
      require(batchSize >= 0, p + "batch size must be >= 0 (0: the run's), got " + batchSize);
      require(k >= 2, p + "k must be >= 2, got " + k);
      require(kmeansInit >= 1 && embedBatchSize >= 1, p + "kmeans_init and embed batch >= 1");
      require(refreshEvery >= 1, p + "refresh_every must be >= 1 epoch, got " + refreshEvery);
      require(margin > 0 && Double.isFinite(margin), p + "margin must be > 0, got " + margin);
      require(marginStep >= 0 && Double.isFinite(marginStep), p + "margin_step must be >= 0");
      require(beta >= 0 && beta < 1, p + "beta must be in [0, 1), got " + beta);
      require(betaStep >= 0 && Double.isFinite(betaStep), p + "beta_step must be >= 0");
      require(
          betaMax >= beta && betaMax < 1,
          p + "beta_max must be in [beta, 1), got " + betaMax + " with beta " + beta);
      require(
          violatedWeight >= 1 && Double.isFinite(violatedWeight),
          p + "violated_weight must be >= 1, got " + violatedWeight);
      require(
          reconstructionWeight >= 0 && Double.isFinite(reconstructionWeight),
          p + "reconstruction_weight must be >= 0, got " + reconstructionWeight);
    }

    /** The margin of epoch {@code e} (from 1). */
    public double marginAt(int e) {
      return margin + marginStep * (e - 1);
    }

    /** β of epoch {@code e} (from 1). */
    public double betaAt(int e) {
      return Math.min(betaMax, beta + betaStep * (e - 1));
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * Labels the embedding of the phase's images at a pseudo-label refresh, in place of k-means.
   * Implementations may be slow (UMAP): {@code refreshEvery} sets how often they run.
   */
  @FunctionalInterface
  public interface PseudoLabeler {

    /**
     * @param z {@code n x d} embeddings of the phase's images, in data order; not modified
     * @param seed this refresh's seed (derived from the run's seed, the phase and the epoch)
     * @return labels (length n, in {@code [0, k)} of the phase's config) and diagnostics
     * @throws IllegalArgumentException if {@code z} cannot be clustered
     */
    ClusterResult label(FloatMatrix z, long seed);
  }

  private static final String STATE_MAGIC = "deepclust-contrastive-state-v1";

  private final Autoencoder autoencoder;
  private final Config config;
  private final PseudoLabelMiner miner;
  private int[] labels;
  private int labelsEpoch;
  private long triplets;
  private long fallbacks;

  public ContrastivePhase(Autoencoder autoencoder, Config config) {
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.config = Objects.requireNonNull(config, "config");
    this.miner = new PseudoLabelMiner(config.positive(), config.negative());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public int epochs() {
    return config.epochs();
  }

  public Config config() {
    return config;
  }

  /** The pseudo-labels in use (one per image of the phase's data), or null before the first. */
  public int[] pseudoLabels() {
    return labels == null ? null : labels.clone();
  }

  @Override
  public BatchSource trainData(BatchSource runData) {
    return config.batchSize() == 0 || config.batchSize() == runData.config().batchSize()
        ? runData
        : runData.withBatchSize(config.batchSize());
  }

  @Override
  public void beforePhase(PhaseContext ctx) {
    if (config.reconstruction() == null) {
      autoencoder.decoder().freezeParameters(true);
    }
  }

  @Override
  public void afterPhase(PhaseContext ctx) {
    autoencoder.decoder().freezeParameters(false);
  }

  @Override
  public void beforeEpoch(PhaseContext ctx) {
    int e = ctx.epoch();
    triplets = 0;
    fallbacks = 0;
    if (labels != null && (e - 1) % config.refreshEvery() != 0) {
      return;
    }
    Embedder embedder =
        new Embedder(autoencoder.encoder(), ctx.data().imageShape(), config.embedBatchSize());
    FloatMatrix z = embedder.embed(ctx.manager(), ctx.data().images());
    long started = System.nanoTime();
    ClusterResult r;
    if (config.pseudoLabeler() == null) {
      KMeansConfig km =
          new KMeansConfig(
              config.k(),
              config.kmeansInit(),
              300,
              1e-4,
              Seeds.mix(ctx.seed(), "contrastive/" + config.name() + "/kmeans/" + e),
              Runtime.getRuntime().availableProcessors());
      r = new KMeans(km).fit(z);
    } else {
      r =
          config
              .pseudoLabeler()
              .label(z, Seeds.mix(ctx.seed(), "contrastive/" + config.name() + "/pseudo/" + e));
      requireLabels(r.labels(), z.rows());
    }
    int[] now = r.labels();
    // a fresh k-means numbers its clusters arbitrarily: a label changed when it differs after the
    // best one-to-one matching of the two labelings (1 - their Hungarian accuracy)
    double change = labels == null ? Double.NaN : 1 - ExternalMetrics.accuracy(labels, now);
    labels = now;
    labelsEpoch = e;
    Map<String, Double> values = new LinkedHashMap<>();
    if (config.pseudoLabeler() == null) {
      values.put("kmeans_inertia", r.inertia());
    }
    values.put("seconds", (System.nanoTime() - started) / 1e9);
    values.put("margin", config.marginAt(e));
    values.put("beta", config.betaAt(e));
    ctx.publish(new ClusterUpdate(name(), e, ctx.steps(), now.clone(), config.k(), change, values));
  }

  private void requireLabels(int[] got, int n) {
    if (got.length != n) {
      throw new IllegalStateException(
          "phase '"
              + config.name()
              + "': the pseudo-labeler gave "
              + got.length
              + " labels for "
              + n
              + " images");
    }
    for (int l : got) {
      if (l < 0 || l >= config.k()) {
        throw new IllegalStateException(
            "phase '"
                + config.name()
                + "': the pseudo-labeler gave label "
                + l
                + ", outside [0, "
                + config.k()
                + ")");
      }
    }
  }

  @Override
  public void afterEpoch(PhaseContext ctx) {
    ctx.notice(
        String.format(
            Locale.ROOT,
            "phase '%s' epoch %d: margin %.4f, beta %.4f, %d triplets, %d semi-hard fallbacks to"
                + " the hardest negative (pseudo-labels of epoch %d)",
            config.name(),
            ctx.epoch(),
            config.marginAt(ctx.epoch()),
            config.betaAt(ctx.epoch()),
            triplets,
            fallbacks,
            labelsEpoch));
  }

  @Override
  public NDArray loss(PhaseContext ctx, TrainBatch batch) {
    NDArray x = batch.images();
    NDArray z = ctx.forward(autoencoder.encoder(), x);
    int b = batch.rows().length;
    z = z.reshape(b, -1);
    NDArray loss = null;
    if (ctx.training()) {
      if (labels == null || labels.length != ctx.data().size()) {
        throw new IllegalStateException(
            "phase '" + config.name() + "' has no pseudo-labels (beforeEpoch did not run)");
      }
      int d = Math.toIntExact(z.getShape().get(1));
      int[] batchLabels = new int[b];
      for (int i = 0; i < b; i++) {
        batchLabels[i] = labels[batch.rows()[i]];
      }
      int e = ctx.epoch();
      float margin = (float) config.marginAt(e);
      PseudoLabelMiner.Mined m =
          miner.mine(
              z.toFloatArray(),
              b,
              d,
              batchLabels,
              margin,
              Seeds.stream(
                  ctx.seed(), "contrastive/" + config.name() + "/" + e + "/" + ctx.batch()));
      triplets += m.size();
      fallbacks += m.hardestFallbacks();
      if (m.size() > 0) {
        int t = m.size();
        float[] w = new float[t];
        for (int i = 0; i < t; i++) {
          w[i] =
              m.negativeDistance()[i] < m.positiveDistance()[i]
                  ? (float) config.violatedWeight()
                  : 1f;
        }
        NDArray za = select(ctx, z, m.anchors(), b);
        NDArray zp = select(ctx, z, m.positives(), b);
        NDArray zn = select(ctx, z, m.negatives(), b);
        loss =
            Losses.enhancedTriplet(
                za,
                zp,
                zn,
                margin,
                (float) config.betaAt(e),
                ctx.manager().create(w, new Shape(t)));
      }
    }
    if (config.reconstruction() != null) {
      NDArray y = ctx.forward(autoencoder.decoder(), z).reshape(x.getShape());
      NDArray lr =
          config.reconstruction() == ReconstructionPhase.LossKind.BCE
              ? Losses.binaryCrossEntropy(y, x)
              : Losses.meanSquaredError(y, x);
      lr = lr.mul(TorchScalar.of(lr, config.reconstructionWeight()));
      loss = loss == null ? lr : loss.add(lr);
    }
    if (loss == null) {
      // no triplet and no reconstruction: a zero that keeps the graph (and a gradient of 0)
      NDArray s = z.sum();
      loss = s.mul(TorchScalar.of(s, 0));
    }
    return loss;
  }

  /** Rows {@code idx} of z (b, d) as a differentiable (t, d) array: a 0/1 selection product. */
  private static NDArray select(PhaseContext ctx, NDArray z, int[] idx, int b) {
    float[] s = new float[idx.length * b];
    for (int i = 0; i < idx.length; i++) {
      s[i * b + idx[i]] = 1f;
    }
    return ctx.manager().create(s, new Shape(idx.length, b)).matMul(z);
  }

  @Override
  public void saveState(DataOutputStream out) throws IOException {
    out.writeUTF(STATE_MAGIC);
    out.writeInt(labelsEpoch);
    out.writeInt(labels == null ? -1 : labels.length);
    if (labels != null) {
      for (int l : labels) {
        out.writeInt(l);
      }
    }
  }

  @Override
  public void loadState(DataInputStream in) throws IOException {
    StatefulOptimizer.checkMagic(in, STATE_MAGIC, "contrastive phase state");
    labelsEpoch = in.readInt();
    int n = in.readInt();
    labels = n < 0 ? null : new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = in.readInt();
      if (labels[i] < 0 || labels[i] >= config.k()) {
        throw new IOException(
            "the saved pseudo-label " + labels[i] + " is outside [0, " + config.k() + ")");
      }
    }
  }
}
