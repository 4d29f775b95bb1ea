package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.InternalMetrics;
import io.deepclust.metrics.SilhouetteOptions;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.nn.TorchScalar;
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
 * <p>Paper 003's joint clustering adds ({@link Joint}, all off by default): ramped γ, a ramped
 * separation loss and a balance regulariser, a convergence rule over consecutive updates, the
 * best-silhouette parameters kept and restored at the end, and collapse detection with recovery.
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
      int embedBatchSize,
      Joint joint) {
    /**
     * DEC / IDEC: γ constant, no separation or balance loss, stop at the first update below tol.
     */
    public Config(
        String name,
        int epochs,
        int updateInterval,
        double tol,
        double gamma,
        ReconstructionPhase.LossKind reconstruction,
        int kmeansInit,
        int embedBatchSize) {
      this(
          name,
          epochs,
          updateInterval,
          tol,
          gamma,
          reconstruction,
          kmeansInit,
          embedBatchSize,
          Joint.NONE);
    }

    public Config {
      Objects.requireNonNull(joint, "joint");
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

  /** How a detected collapse is answered. */
  public enum Recovery {
    /** Detect and report only. */
    NONE,
    /** Re-initialise the centres by k-means on the current embedding (a new seed each time). */
    REINIT,
    /**
     * Go back to the parameters of the best update so far (best silhouette, not collapsed); by
     * {@link #REINIT} when there is none yet.
     */
    RESTORE_BEST;

    /** Parses "none", "reinit" or "restore_best" (any case, '-' or '_'). */
    public static Recovery parse(String text) {
      String s = Objects.requireNonNull(text, "recovery").trim().toLowerCase(Locale.ROOT);
      return switch (s.replace('-', '_')) {
        case "none" -> NONE;
        case "reinit" -> REINIT;
        case "restore_best" -> RESTORE_BEST;
        default ->
            throw new IllegalArgumentException(
                "unknown collapse recovery '" + text + "'; use none, reinit or restore_best");
      };
    }
  }

  /**
   * Collapse detection and recovery, checked at every target update: the labels argmax q have
   * collapsed when the largest cluster holds more than {@code maxShare} of the images or fewer than
   * {@code minClusters} clusters are in use (empty clusters).
   *
   * @param maxShare the largest allowed share of one cluster, in (0, 1] (1: never by share)
   * @param minClusters the fewest clusters that must be in use, in [1, k]
   * @param recovery the answer to a collapse
   * @param maxRecoveries recoveries allowed in the phase, &gt;= 0; later collapses are reported
   */
  public record Collapse(double maxShare, int minClusters, Recovery recovery, int maxRecoveries) {
    public Collapse {
      Objects.requireNonNull(recovery, "recovery");
      if (!(maxShare > 0 && maxShare <= 1)) {
        throw new IllegalArgumentException("collapse max_share must be in (0, 1], got " + maxShare);
      }
      if (minClusters < 1 || maxRecoveries < 0) {
        throw new IllegalArgumentException(
            "collapse min_clusters must be >= 1 and max_recoveries >= 0");
      }
    }

    /** Whether labels with these cluster sizes have collapsed. */
    public boolean collapsed(int[] sizes, int n) {
      int used = 0;
      int max = 0;
      for (int s : sizes) {
        used += s > 0 ? 1 : 0;
        max = Math.max(max, s);
      }
      return used < minClusters || (n > 0 && (double) max / n > maxShare);
    }
  }

  /**
   * The joint-clustering extensions of paper 003 (section IV-B, VIII-C, IX): all off in {@link
   * #NONE}, which is DEC / IDEC.
   *
   * @param gammaRampEpochs γ rises linearly from 0 to γ over this many epochs of the phase (by
   *     step: γ_t = γ · min(1, t / (rampEpochs · batchesPerEpoch)), t the step in the phase from
   *     0); 0: γ from the start (paper 003: "ramped up from 0 to 0.1")
   * @param separationWeight weight of {@link Losses#separation} (within-cluster spread, each
   *     image's squared distance to the centre of its label at the last update, over between-centre
   *     distance), &gt;= 0; 0: none (paper 003: 0.05)
   * @param separationRampEpochs its linear ramp from 0, as {@code gammaRampEpochs}
   * @param balanceWeight weight of {@link Losses#balance} (KL of the batch's mean q to uniform),
   *     &gt;= 0; 0: none
   * @param tolUpdates the phase stops when fewer than tol of the labels changed at this many
   *     consecutive updates, &gt;= 1 (DEC: 1; paper 003: "for more than 5 consecutive update
   *     intervals", 6)
   * @param silhouetteSample 0: off; else at each update the silhouette of the labels on a fixed
   *     seeded sample of this many embeddings is computed, and the parameters of the best update
   *     that has not collapsed (all k clusters in use, and the collapse rule when set) are kept and
   *     restored when the phase ends (paper 003: "models were saved based on silhouette score")
   * @param collapse collapse detection and recovery, or null for none
   * @param restoreOnlyOnCollapse with {@code silhouetteSample} &gt; 0: false (paper 003) ends with
   *     the best-silhouette update unless the final model has not collapsed and scores at least as
   *     well; true keeps the final model whenever it has not collapsed, the best update being only
   *     the fallback for a collapse (silhouette can prefer a worse clustering: see RESULTS)
   */
  public record Joint(
      double gammaRampEpochs,
      double separationWeight,
      double separationRampEpochs,
      double balanceWeight,
      int tolUpdates,
      int silhouetteSample,
      Collapse collapse,
      boolean restoreOnlyOnCollapse) {
    /** DEC and IDEC: nothing added. */
    public static final Joint NONE = new Joint(0, 0, 0, 0, 1, 0, null);

    /** The paper-003 end rule ({@code restoreOnlyOnCollapse} false). */
    public Joint(
        double gammaRampEpochs,
        double separationWeight,
        double separationRampEpochs,
        double balanceWeight,
        int tolUpdates,
        int silhouetteSample,
        Collapse collapse) {
      this(
          gammaRampEpochs,
          separationWeight,
          separationRampEpochs,
          balanceWeight,
          tolUpdates,
          silhouetteSample,
          collapse,
          false);
    }

    public Joint {
      for (double v :
          new double[] {gammaRampEpochs, separationWeight, separationRampEpochs, balanceWeight}) {
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException(
              "ramps and loss weights of the joint phase must be finite and >= 0, got " + v);
        }
      }
      if (tolUpdates < 1) {
        throw new IllegalArgumentException("tol_updates must be >= 1, got " + tolUpdates);
      }
      if (silhouetteSample < 0 || silhouetteSample == 1) {
        throw new IllegalArgumentException(
            "silhouette_sample must be 0 (off) or >= 2, got " + silhouetteSample);
      }
    }

    /** The linear ramp factor in [0, 1] at step {@code t} of the phase. */
    static double ramp(double epochs, long t, int batchesPerEpoch) {
      return epochs <= 0 ? 1.0 : Math.min(1.0, t / (epochs * batchesPerEpoch));
    }
  }

  private static final String STATE_MAGIC = "deepclust-dec-state-v2";
  private static final String STATE_MAGIC_V1 = "deepclust-dec-state-v1";

  private final Autoencoder autoencoder;
  private final ClusteringHead head;
  private final Config config;

  private long iteration;
  private float[] target;
  private int[] labels;
  private boolean converged;
  private double lastChange = Double.NaN;
  private int belowTol;
  private int recoveries;
  private int collapses;
  private boolean endedWithBest;
  private double bestSilhouette = Double.NaN;
  private long bestIteration = -1;
  private Map<String, float[]> best;
  private boolean endRestored;

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
    finish(ctx);
    head.freezeParameters(true);
    autoencoder.decoder().freezeParameters(false);
  }

  @Override
  public void beforeFirstEpoch(PhaseContext ctx) {
    FloatMatrix z = embed(ctx);
    ClusterResult r = kmeans(z, Seeds.mix(ctx.seed(), "dec/" + config.name() + "/kmeans"));
    head.setCentres(r.centers());
    labels = r.labels();
    iteration = 0;
    target = null;
    converged = false;
    belowTol = 0;
    recoveries = 0;
    collapses = 0;
    endedWithBest = false;
    bestSilhouette = Double.NaN;
    bestIteration = -1;
    best = null;
    endRestored = false;
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

  private ClusterResult kmeans(FloatMatrix z, long seed) {
    KMeansConfig km =
        new KMeansConfig(
            head.k(),
            config.kmeansInit(),
            300,
            1e-4,
            seed,
            Runtime.getRuntime().availableProcessors());
    return new KMeans(km).fit(z);
  }

  @Override
  public void beforeBatch(PhaseContext ctx, int batch) {
    if (iteration % config.updateInterval() == 0) {
      update(ctx);
    }
    iteration++;
  }

  /** A target update: q, P and labels of the whole data; collapse check; best silhouette. */
  private void update(PhaseContext ctx) {
    long start = System.nanoTime();
    Joint j = config.joint();
    FloatMatrix z = embed(ctx);
    FloatMatrix q = SoftAssignment.q(z, head.centres(), head.alpha(), head.kernel());
    int[] now = SoftAssignment.argmax(q);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("iteration", (double) iteration);
    int[] sizes = sizes(now);
    if (j.collapse() != null && j.collapse().collapsed(sizes, now.length)) {
      values.put("collapsed", 1.0);
      collapses++;
      if (j.collapse().recovery() != Recovery.NONE && recoveries < j.collapse().maxRecoveries()) {
        String how = recover(ctx, z, sizes, now.length);
        recoveries++;
        values.put("collapse_recovery", (double) recoveries);
        z = embed(ctx);
        q = SoftAssignment.q(z, head.centres(), head.alpha(), head.kernel());
        now = SoftAssignment.argmax(q);
        sizes = sizes(now);
        ctx.notice(
            String.format(
                Locale.ROOT,
                "phase '%s': collapse recovery %d at step %d of the phase: %s; now %d/%d clusters"
                    + " in use, largest %.1f%%",
                config.name(),
                recoveries,
                iteration,
                how,
                inUse(sizes),
                head.k(),
                100.0 * max(sizes) / now.length));
        // the change count starts again after a recovery
        belowTol = 0;
        labels = null;
      }
    }
    target = SoftAssignment.targetDistribution(q).data();
    double change = labels == null ? Double.NaN : SoftAssignment.changedFraction(labels, now);
    labels = now;
    lastChange = change;
    if (j.silhouetteSample() > 0) {
      double sil = silhouette(ctx, z, now);
      values.put("silhouette", sil);
      boolean healthy =
          inUse(sizes) == head.k()
              && (j.collapse() == null || !j.collapse().collapsed(sizes, now.length));
      if (healthy && !Double.isNaN(sil) && !(sil <= bestSilhouette)) {
        bestSilhouette = sil;
        bestIteration = iteration;
        best = snapshot(ctx);
        values.put("best", 1.0);
      }
    }
    // the cost of the whole-data-set update (embedding all images, q, P), for the log
    values.put("seconds", (System.nanoTime() - start) / 1e9);
    ctx.publish(
        new ClusterUpdate(name(), ctx.epoch(), ctx.steps(), now.clone(), head.k(), change, values));
    belowTol = change < config.tol() ? belowTol + 1 : 0;
    converged = iteration > 0 && belowTol >= j.tolUpdates();
  }

  private String recover(PhaseContext ctx, FloatMatrix z, int[] sizes, int n) {
    String found =
        String.format(
            Locale.ROOT,
            "%d/%d clusters in use, largest %.1f%%",
            inUse(sizes),
            head.k(),
            100.0 * max(sizes) / n);
    if (config.joint().collapse().recovery() == Recovery.RESTORE_BEST && best != null) {
      restore(ctx, best);
      return String.format(
          Locale.ROOT,
          "%s; restored the parameters of step %d (silhouette %.4f)",
          found,
          bestIteration,
          bestSilhouette);
    }
    ClusterResult r =
        kmeans(z, Seeds.mix(ctx.seed(), "dec/" + config.name() + "/reinit/" + (recoveries + 1)));
    head.setCentres(r.centers());
    return found + "; centres re-initialised by k-means on the current embedding";
  }

  private double silhouette(PhaseContext ctx, FloatMatrix z, int[] now) {
    if (inUse(sizes(now)) < 2) {
      return Double.NaN;
    }
    SilhouetteOptions o =
        SilhouetteOptions.defaults()
            .withSample(
                config.joint().silhouetteSample(),
                Seeds.mix(ctx.seed(), "dec/" + config.name() + "/silhouette"));
    try {
      return InternalMetrics.silhouette(z, now, o);
    } catch (IllegalArgumentException e) {
      // the sample holds a single cluster
      return Double.NaN;
    }
  }

  private int[] sizes(int[] l) {
    int[] s = new int[head.k()];
    for (int v : l) {
      s[v]++;
    }
    return s;
  }

  private static int inUse(int[] sizes) {
    int u = 0;
    for (int s : sizes) {
      u += s > 0 ? 1 : 0;
    }
    return u;
  }

  private static int max(int[] sizes) {
    int m = 0;
    for (int s : sizes) {
      m = Math.max(m, s);
    }
    return m;
  }

  /** The model's parameters (encoder, decoder, head) by name. */
  private static Map<String, float[]> snapshot(PhaseContext ctx) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : ctx.model().getParameters()) {
      out.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return out;
  }

  private static void restore(PhaseContext ctx, Map<String, float[]> values) {
    for (Pair<String, Parameter> p : ctx.model().getParameters()) {
      float[] v = values.get(p.getKey());
      if (v != null) {
        NDArray target = p.getValue().getArray();
        ctx.manager().create(v, target.getShape()).copyTo(target);
      }
    }
  }

  /**
   * At the end of the phase, when the best silhouette is tracked: goes back to the best update's
   * parameters unless the final model has not collapsed and scores at least as well, then publishes
   * the labels the phase ends with. Runs once.
   */
  private void finish(PhaseContext ctx) {
    if (endRestored) {
      return;
    }
    endRestored = true;
    Joint j = config.joint();
    if (best == null && (converged || iteration == 0)) {
      return;
    }
    FloatMatrix z = embed(ctx);
    int[] now = headLabels(z);
    if (best == null) {
      publishEnd(ctx, now);
      return;
    }
    int[] sizes = sizes(now);
    boolean collapsed =
        inUse(sizes) < head.k()
            || (j.collapse() != null && j.collapse().collapsed(sizes, now.length));
    if (!collapsed && j.restoreOnlyOnCollapse()) {
      if (!converged) {
        publishEnd(ctx, now);
      }
      ctx.notice(
          String.format(
              Locale.ROOT,
              "phase '%s': ends with its final parameters (not collapsed; restore only on"
                  + " collapse, best silhouette %.4f was at step %d)",
              config.name(),
              bestSilhouette,
              bestIteration));
      return;
    }
    double finalSilhouette = collapsed ? Double.NaN : silhouette(ctx, z, now);
    if (!collapsed && finalSilhouette >= bestSilhouette) {
      if (!converged) {
        publishEnd(ctx, now);
      }
      return;
    }
    restore(ctx, best);
    endedWithBest = true;
    z = embed(ctx);
    now = headLabels(z);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("iteration", (double) iteration);
    values.put("restored_best", (double) bestIteration);
    values.put("silhouette", bestSilhouette);
    ctx.notice(
        String.format(
            Locale.ROOT,
            "phase '%s': ends with the parameters of step %d of the phase (best silhouette %.4f on"
                + " %d clusters in use)%s",
            config.name(),
            bestIteration,
            bestSilhouette,
            inUse(sizes(now)),
            collapsed ? "; the last labels had collapsed" : ""));
    publishLabels(ctx, now, values);
    labels = now;
  }

  /**
   * Publishes the labels of the phase's final parameters when it ran steps after its last target
   * update (it stopped at its epoch cap, not on tol), so that {@code cluster_updates.csv} ends
   * where the phase ends (before any early-stopping restore, which runs after this). Marked {@code
   * end = 1}; the labels of the last update are kept.
   */
  private void publishEnd(PhaseContext ctx, int[] now) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("iteration", (double) iteration);
    values.put("end", 1.0);
    publishLabels(ctx, now, values);
  }

  /** The head's hard labels of embeddings {@code z}: argmax of q. */
  private int[] headLabels(FloatMatrix z) {
    return SoftAssignment.argmax(SoftAssignment.q(z, head.centres(), head.alpha(), head.kernel()));
  }

  /** A {@link ClusterUpdate} at the current step, its change measured against the last labels. */
  private void publishLabels(PhaseContext ctx, int[] now, Map<String, Double> values) {
    double change = labels == null ? Double.NaN : SoftAssignment.changedFraction(labels, now);
    ctx.publish(
        new ClusterUpdate(name(), ctx.epoch(), ctx.steps(), now.clone(), head.k(), change, values));
  }

  @Override
  public void afterEpoch(PhaseContext ctx) {
    if (converged || ctx.epoch() == config.epochs()) {
      finish(ctx);
    }
  }

  /** Target updates at which the collapse rule found the labels collapsed. */
  public int collapsesDetected() {
    return collapses;
  }

  /** Whether the phase ended by going back to its best-silhouette update's parameters. */
  public boolean endedWithBest() {
    return endedWithBest;
  }

  /** The phase step (from 0) of the best-silhouette update, -1 if none. */
  public long bestStep() {
    return bestIteration;
  }

  /** Collapse recoveries made so far in the phase. */
  public int recoveries() {
    return recoveries;
  }

  /** The best silhouette of a healthy update so far (NaN when not tracked or none yet). */
  public double bestSilhouette() {
    return bestSilhouette;
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
    Joint j = config.joint();
    long t = Math.max(0, iteration - 1);
    int perEpoch = ctx.data().batchesPerEpoch();
    NDArray loss =
        kl.mul(TorchScalar.of(kl, config.gamma() * Joint.ramp(j.gammaRampEpochs(), t, perEpoch)));
    if (j.separationWeight() > 0) {
      NDArray mu =
          ctx.parameterStore().getValue(head.centresParameter(), z.getDevice(), ctx.training());
      double w = j.separationWeight() * Joint.ramp(j.separationRampEpochs(), t, perEpoch);
      // hard weights: the spread of each image around its own cluster's centre. Soft q (flat
      // under the heavy-tailed kernel) would pull every image towards the mean of all centres,
      // i.e. towards a collapse
      int[] hard = new int[b];
      if (ctx.training()) {
        for (int i = 0; i < b; i++) {
          hard[i] = labels[batch.rows()[i]];
        }
      } else {
        hard = SoftAssignment.argmax(new FloatMatrix(b, k, q.toFloatArray()));
      }
      float[] onehot = new float[b * k];
      for (int i = 0; i < b; i++) {
        onehot[i * k + hard[i]] = 1f;
      }
      NDArray weights = ctx.manager().create(onehot, new Shape(b, k));
      NDArray sep = Losses.separation(z, weights, mu);
      loss = loss.add(sep.mul(TorchScalar.of(sep, w)));
    }
    if (j.balanceWeight() > 0) {
      NDArray bal = Losses.balance(q);
      loss = loss.add(bal.mul(TorchScalar.of(bal, j.balanceWeight())));
    }
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
    out.writeInt(belowTol);
    out.writeInt(recoveries);
    out.writeInt(collapses);
    out.writeBoolean(endedWithBest);
    out.writeDouble(bestSilhouette);
    out.writeLong(bestIteration);
    out.writeBoolean(endRestored);
    out.writeInt(best == null ? -1 : best.size());
    if (best != null) {
      for (Map.Entry<String, float[]> e : best.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float v : e.getValue()) {
          out.writeFloat(v);
        }
      }
    }
  }

  @Override
  public void loadState(DataInputStream in) throws IOException {
    String magic = in.readUTF();
    if (!magic.equals(STATE_MAGIC) && !magic.equals(STATE_MAGIC_V1)) {
      throw new IOException(
          "not a DEC phase state (found '" + magic + "', expected '" + STATE_MAGIC + "')");
    }
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
    belowTol = converged ? config.joint().tolUpdates() : 0;
    recoveries = 0;
    collapses = 0;
    endedWithBest = false;
    bestSilhouette = Double.NaN;
    bestIteration = -1;
    best = null;
    endRestored = false;
    if (magic.equals(STATE_MAGIC)) {
      belowTol = in.readInt();
      recoveries = in.readInt();
      collapses = in.readInt();
      endedWithBest = in.readBoolean();
      bestSilhouette = in.readDouble();
      bestIteration = in.readLong();
      endRestored = in.readBoolean();
      int count = in.readInt();
      if (count >= 0) {
        best = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
          String key = in.readUTF();
          float[] v = new float[in.readInt()];
          for (int c = 0; c < v.length; c++) {
            v[c] = in.readFloat();
          }
          best.put(key, v);
        }
      }
    }
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
