package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.util.Seeds;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * DEC's clustering phase (Xie, Girshick and Farhadi 2016, section 3.1) and IDEC's (Guo et al.
 * 2017), which adds the reconstruction loss: the encoder and the {@link ClusteringHead} minimise
 * {@code L = γ · KL(P ‖ Q) + L_r}, with L_r absent in DEC (then the decoder is frozen).
 *
 * <ul>
 *   <li>Start ({@link #beforeFirstEpoch}): the head's centres are k-means' (n_init runs, seeded) on
 *       the embedding of the phase's data, as DEC-keras and IDEC do.
 *   <li>Every {@code updateInterval} steps (140 in DEC, IDEC, DCEC), before the step: q of the
 *       <b>whole</b> data set with the current model (eval mode), the target distribution P from it
 *       ({@link SoftAssignment#targetDistribution}), and the labels argmax q. The fraction of
 *       labels changed since the previous update is published ({@link ClusterUpdate}); when it is
 *       below {@code tol} (after the first update) the phase stops ({@link #converged()}), as
 *       DEC-keras ({@code ite > 0 and delta_label < tol}).
 *   <li>Loss of a batch: {@code KL(P‖Q)} summed over clusters and averaged over the batch (Keras'
 *       {@code kld}, PyTorch's {@code kl_div(q.log(), p, reduction="batchmean")}), times γ, plus
 *       the reconstruction loss when configured.
 * </ul>
 *
 * <p>State (the step counter, P and the last labels) is saved in checkpoints, so a resumed run
 * continues exactly. The validation loss, when the loop has validation data, uses the target
 * distribution of each validation batch's own q (P is defined on the training set only).
 */
public final class DecPhase implements Phase {

  /**
   * @param name the phase name
   * @param epochs the most epochs (the phase may stop earlier on {@code tol})
   * @param updateInterval steps between target updates, at least 1
   * @param tol stop when fewer than this fraction of labels changed between two updates, in [0, 1);
   *     0 never stops early
   * @param gamma γ, the weight of the clustering loss, &gt; 0 (IDEC: 0.1; DEC: 1)
   * @param reconstruction the reconstruction loss added to it (IDEC, DCEC), or null for none (DEC:
   *     the decoder is frozen)
   * @param kmeansInit restarts of the k-means that initialises the centres (20 in DEC), at least 1
   * @param embedBatchSize images per forward when embedding the whole data, at least 1
   */
  public record Config(
      String name,
      int epochs,
      int updateInterval,
      double tol,
      double gamma,
      ReconstructionPhase.LossKind reconstruction,
      int kmeansInit,
      int embedBatchSize) {
    public Config {
      Objects.requireNonNull(name, "name");
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs of phase '" + name + "' must be >= 1");
      }
      if (updateInterval < 1) {
        throw new IllegalArgumentException(
            "update_interval of phase '" + name + "' must be >= 1, got " + updateInterval);
      }
      if (!(tol >= 0 && tol < 1)) {
        throw new IllegalArgumentException("tol of phase '" + name + "' must be in [0, 1)");
      }
      if (!(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException("gamma of phase '" + name + "' must be > 0");
      }
      if (kmeansInit < 1 || embedBatchSize < 1) {
        throw new IllegalArgumentException(
            "kmeans n_init and embed batch size of phase '" + name + "' must be >= 1");
      }
    }
  }

  private static final String STATE_MAGIC = "deepclust-dec-state-v1";

  private final Autoencoder autoencoder;
  private final ClusteringHead head;
  private final Config config;

  private long iteration;
  private float[] target;
  private int[] labels;
  private boolean converged;
  private double lastChange = Double.NaN;

  /**
   * @throws IllegalArgumentException if the autoencoder has no clustering head
   */
  public DecPhase(Autoencoder autoencoder, Config config) {
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.config = Objects.requireNonNull(config, "config");
    this.head = autoencoder.head();
    if (head == null) {
      throw new IllegalArgumentException(
          "phase '" + config.name() + "' trains a clustering head but the model has none");
    }
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

  @Override
  public void beforePhase(PhaseContext ctx) {
    head.freezeParameters(false);
    if (config.reconstruction() == null) {
      autoencoder.decoder().freezeParameters(true);
    }
  }

  @Override
  public void afterPhase(PhaseContext ctx) {
    head.freezeParameters(true);
    autoencoder.decoder().freezeParameters(false);
  }

  @Override
  public void beforeFirstEpoch(PhaseContext ctx) {
    FloatMatrix z = embed(ctx);
    KMeansConfig km =
        new KMeansConfig(
            head.k(),
            config.kmeansInit(),
            300,
            1e-4,
            Seeds.mix(ctx.seed(), "dec/" + config.name() + "/kmeans"),
            Runtime.getRuntime().availableProcessors());
    ClusterResult r = new KMeans(km).fit(z);
    head.setCentres(r.centers());
    labels = r.labels();
    iteration = 0;
    target = null;
    converged = false;
    ctx.notice(
        String.format(
            Locale.ROOT,
            "phase '%s': centres from k-means (n_init %d) on %d embeddings, inertia %.4g",
            config.name(),
            config.kmeansInit(),
            z.rows(),
            r.inertia()));
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("kmeans_inertia", r.inertia());
    ctx.publish(
        new ClusterUpdate(name(), 0, ctx.steps(), labels.clone(), head.k(), Double.NaN, values));
  }

  @Override
  public void beforeBatch(PhaseContext ctx, int batch) {
    if (iteration % config.updateInterval() == 0) {
      long start = System.nanoTime();
      FloatMatrix q = SoftAssignment.q(embed(ctx), head.centres(), head.alpha(), head.kernel());
      int[] now = SoftAssignment.argmax(q);
      target = SoftAssignment.targetDistribution(q).data();
      double change = labels == null ? Double.NaN : SoftAssignment.changedFraction(labels, now);
      labels = now;
      lastChange = change;
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("iteration", (double) iteration);
      // the cost of the whole-data-set update (embedding all images, q, P), for the log
      values.put("seconds", (System.nanoTime() - start) / 1e9);
      ctx.publish(
          new ClusterUpdate(
              name(), ctx.epoch(), ctx.steps(), now.clone(), head.k(), change, values));
      converged = iteration > 0 && change < config.tol();
    }
    iteration++;
  }

  @Override
  public boolean converged() {
    return converged;
  }

  @Override
  public String convergenceNote() {
    return String.format(
        Locale.ROOT,
        "phase '%s': %.4f%% of labels changed since the last update, below tol %.4f%%; stopping"
            + " after %d steps",
        config.name(),
        100 * lastChange,
        100 * config.tol(),
        iteration - 1);
  }

  @Override
  public NDArray loss(PhaseContext ctx, TrainBatch batch) {
    NDArray x = batch.images();
    NDArray z = ctx.forward(autoencoder.encoder(), x);
    NDArray q = ctx.forward(head, z);
    int b = batch.rows().length;
    int k = head.k();
    float[] p;
    if (ctx.training()) {
      if (target == null) {
        throw new IllegalStateException(
            "phase '" + config.name() + "': no target distribution (beforeBatch did not run)");
      }
      p = new float[b * k];
      int[] rows = batch.rows();
      for (int i = 0; i < b; i++) {
        System.arraycopy(target, rows[i] * k, p, i * k, k);
      }
    } else {
      p = SoftAssignment.targetDistribution(new FloatMatrix(b, k, q.toFloatArray())).data();
    }
    NDArray kl = Losses.klDivergence(ctx.manager().create(p, new Shape(b, k)), q);
    NDArray loss = kl.mul((float) config.gamma());
    if (config.reconstruction() != null) {
      NDArray y = ctx.forward(autoencoder.decoder(), z).reshape(x.getShape());
      NDArray lr =
          config.reconstruction() == ReconstructionPhase.LossKind.BCE
              ? Losses.binaryCrossEntropy(y, x)
              : Losses.meanSquaredError(y, x);
      loss = loss.add(lr);
    }
    return loss;
  }

  private FloatMatrix embed(PhaseContext ctx) {
    Embedder embedder =
        new Embedder(autoencoder.encoder(), ctx.data().imageShape(), config.embedBatchSize());
    return embedder.embed(ctx.manager(), ctx.data().images());
  }

  @Override
  public void saveState(DataOutputStream out) throws IOException {
    out.writeUTF(STATE_MAGIC);
    out.writeLong(iteration);
    out.writeInt(labels == null ? -1 : labels.length);
    if (labels != null) {
      for (int l : labels) {
        out.writeInt(l);
      }
    }
    out.writeInt(target == null ? -1 : target.length);
    if (target != null) {
      for (float v : target) {
        out.writeFloat(v);
      }
    }
    out.writeBoolean(converged);
    out.writeDouble(lastChange);
  }

  @Override
  public void loadState(DataInputStream in) throws IOException {
    StatefulOptimizer.checkMagic(in, STATE_MAGIC, "DEC phase state");
    iteration = in.readLong();
    int n = in.readInt();
    labels = n < 0 ? null : new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = in.readInt();
    }
    int m = in.readInt();
    target = m < 0 ? null : new float[m];
    for (int i = 0; i < m; i++) {
      target[i] = in.readFloat();
    }
    converged = in.readBoolean();
    lastChange = in.readDouble();
    if (target != null && labels != null && target.length != (long) labels.length * head.k()) {
      throw new IOException(
          "the saved target distribution has "
              + target.length
              + " values, not "
              + labels.length
              + " x "
              + head.k());
    }
  }
}
