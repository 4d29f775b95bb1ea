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
import io.deepclust.nn.TorchScalar;
import io.deepclust.util.Seeds;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Paper 004's joint training of an autoencoder with k-means in its embedding ("embedded
 * clustering", sections 2.2-2.3, after Song et al. 2013's AEC).
 *
 * <p>Loss of a batch B (eq. 4-5): {@code E1 + λ · 1/(2|B|) Σ_{n∈B} ‖h(x_n) − c*_n‖²}, with E1 the
 * binary cross-entropy reconstruction ({@link Reduction}) and c*_n the centre the image is assigned
 * to. The centres and the assignments are constants during an epoch (no gradient reaches them).
 *
 * <ul>
 *   <li>Start ({@link #beforeFirstEpoch}): centres by {@link Init} on the embedding of the phase's
 *       data (paper: "initialized randomly"; here {@link Init#RANDOM}: k distinct images'
 *       embeddings drawn with the run's seed), then every image is assigned to its nearest centre.
 *   <li>After each epoch t ({@link #afterEpoch}), with h_t the encoder after the epoch: every image
 *       is assigned to its nearest centre of epoch t − 1 (eq. 6), then each centre becomes the mean
 *       of its members' h_t (eq. 7): one Lloyd step ({@link #lloydStep}). The next epoch trains
 *       towards these centres with these assignments. An empty cluster follows {@link
 *       EmptyCluster}.
 *   <li>Each assignment is published ({@link ClusterUpdate}: labels, changed fraction, inertia,
 *       empty clusters) so the run logs ACC / NMI per epoch (the paper's Fig. 4).
 * </ul>
 *
 * <p>Centres and assignments are saved in checkpoints ({@link #saveState}), so a resumed run goes
 * on exactly. When the model has a {@link ClusteringHead} with the same k and d, its centres mirror
 * this phase's (they are not trained by gradient here). The validation loss, when the loop has
 * validation data, assigns each validation image to its nearest current centre.
 */
public final class EmbeddedKMeansPhase implements CentresPhase {

  /** How the centres start. */
  public enum Init {
    /**
     * The embeddings of k distinct images drawn uniformly without replacement with the run's seed
     * (Forgy's method): the paper's "initialized randomly", read as points of the data so that no
     * cluster starts empty.
     */
    RANDOM,
    /** scikit-learn k-means (k-means++, n_init restarts, seeded) on the embedding. */
    KMEANS;

    /** Parses {@code random} or {@code kmeans}. */
    public static Init parse(String text) {
      return switch (Objects.requireNonNull(text, "init").trim().toLowerCase(Locale.ROOT)) {
        case "random" -> RANDOM;
        case "kmeans" -> KMEANS;
        default ->
            throw new IllegalArgumentException(
                "unknown init '" + text + "'; use \"random\" or \"kmeans\"");
      };
    }
  }

  /** What a cluster that no image is nearest to gets in the centre update (eq. 7 divides by 0). */
  public enum EmptyCluster {
    /**
     * The centre stays where it was. Paper 004 states no rule; this is eq. 7 with no extra step,
     * the faithful reading (the centre may win members back as the embedding moves).
     */
    KEEP,
    /**
     * The centre moves onto the image farthest from its own centre (scikit-learn's relocation),
     * taken from a cluster that keeps at least one member; that image joins the empty cluster.
     */
    FARTHEST;

    /** Parses {@code keep} or {@code farthest}. */
    public static EmptyCluster parse(String text) {
      return switch (Objects.requireNonNull(text, "empty_cluster")
          .trim()
          .toLowerCase(Locale.ROOT)) {
        case "keep" -> KEEP;
        case "farthest" -> FARTHEST;
        default ->
            throw new IllegalArgumentException(
                "unknown empty_cluster '" + text + "'; use \"keep\" or \"farthest\"");
      };
    }
  }

  /** How the reconstruction loss E1 is reduced over pixels. */
  public enum Reduction {
    /** Mean over every pixel of the batch (torch {@code BCELoss(reduction="mean")}). */
    MEAN,
    /**
     * Summed over each image's C·H·W pixels, averaged over the batch: MatConvNet's scale (its
     * losses sum over all elements and {@code cnn_train} divides the gradient by the batch size),
     * which paper 004 used. λ then weighs the clustering term against a per-image cross-entropy.
     */
    SUM;

    /** Parses {@code mean} or {@code sum}. */
    public static Reduction parse(String text) {
      return switch (Objects.requireNonNull(text, "reduction").trim().toLowerCase(Locale.ROOT)) {
        case "mean" -> MEAN;
        case "sum" -> SUM;
        default ->
            throw new IllegalArgumentException(
                "unknown reconstruction reduction '" + text + "'; use \"mean\" or \"sum\"");
      };
    }
  }

  /**
   * @param name the phase name
   * @param epochs epochs, at least 1
   * @param k clusters, at least 2
   * @param lambda λ, the weight of the clustering term, &gt;= 0 and finite (paper: 0.2; 0 gives the
   *     plain autoencoder while still tracking the clusters)
   * @param init how the centres start
   * @param kmeansInit restarts of the k-means for {@link Init#KMEANS}, at least 1
   * @param emptyCluster the empty-cluster rule
   * @param reconstruction the reconstruction loss (paper: BCE)
   * @param reduction its reduction over pixels
   * @param embedBatchSize images per forward when embedding the whole data, at least 1
   */
  public record Config(
      String name,
      int epochs,
      int k,
      double lambda,
      Init init,
      int kmeansInit,
      EmptyCluster emptyCluster,
      ReconstructionPhase.LossKind reconstruction,
      Reduction reduction,
      int embedBatchSize) {
    public Config {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(init, "init");
      Objects.requireNonNull(emptyCluster, "emptyCluster");
      Objects.requireNonNull(reconstruction, "reconstruction");
      Objects.requireNonNull(reduction, "reduction");
      if (name.isBlank() || name.contains("/")) {
        throw new IllegalArgumentException(
            "phase name '" + name + "' must be non-empty and contain no '/'");
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs of phase '" + name + "' must be >= 1");
      }
      if (k < 2) {
        throw new IllegalArgumentException("k of phase '" + name + "' must be >= 2, got " + k);
      }
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException(
            "lambda of phase '" + name + "' must be >= 0 and finite, got " + lambda);
      }
      if (kmeansInit < 1 || embedBatchSize < 1) {
        throw new IllegalArgumentException(
            "kmeans n_init and embed batch size of phase '" + name + "' must be >= 1");
      }
    }

    /** Paper 004's settings: k 10, λ 0.2, random centres, keep empty centres, BCE summed. */
    public static Config paper004(String name, int epochs) {
      return new Config(
          name,
          epochs,
          10,
          0.2,
          Init.RANDOM,
          10,
          EmptyCluster.KEEP,
          ReconstructionPhase.LossKind.BCE,
          Reduction.SUM,
          1000);
    }
  }

  /**
   * One assignment-and-update step.
   *
   * @param labels each row's cluster after the step, values in {@code [0, k)}
   * @param centres {@code k x d}, the mean of each cluster's rows (or as {@link EmptyCluster} says)
   * @param inertia Σ ‖z_n − c_{label}‖² to the centres before the step (the clustering cost the
   *     epoch ended with, eq. 4 without λ/2N)
   * @param emptyClusters clusters no row was nearest to
   * @param relocated of those, the ones moved by {@link EmptyCluster#FARTHEST}
   */
  public record Step(
      int[] labels, FloatMatrix centres, double inertia, int emptyClusters, int relocated) {}

  private static final String STATE_MAGIC = "deepclust-embedded-kmeans-state-v1";

  private final Autoencoder autoencoder;
  private final Config config;
  private FloatMatrix centres;
  private int[] labels;

  public EmbeddedKMeansPhase(Autoencoder autoencoder, Config config) {
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.config = Objects.requireNonNull(config, "config");
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
  public FloatMatrix centres() {
    return centres == null ? null : centres.copy();
  }

  /** Each training image's current cluster (a copy), or null before the phase has started. */
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  /**
   * Assigns each row of {@code z} to its nearest centre (squared Euclidean, first centre on ties;
   * eq. 6) and moves each centre to the mean of its rows (eq. 7), in double precision.
   *
   * @param z {@code n x d} embeddings, n &gt;= 1
   * @param centres {@code k x d} current centres; not modified
   * @param rule what an empty cluster's centre becomes
   * @throws IllegalArgumentException if the widths differ or z is empty
   */
  public static Step lloydStep(FloatMatrix z, FloatMatrix centres, EmptyCluster rule) {
    int n = z.rows();
    int k = centres.rows();
    int d = centres.cols();
    if (z.cols() != d || n < 1) {
      throw new IllegalArgumentException(
          "embeddings " + n + " x " + z.cols() + " do not fit centres " + k + " x " + d);
    }
    float[] x = z.data();
    float[] c = centres.data();
    int[] labels = new int[n];
    double[] dist = new double[n];
    int[] counts = new int[k];
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      double bestD = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int f = 0; f < d; f++) {
          double diff = (double) x[i * d + f] - c[j * d + f];
          s += diff * diff;
        }
        if (s < bestD) {
          bestD = s;
          best = j;
        }
      }
      labels[i] = best;
      dist[i] = bestD;
      counts[best]++;
      inertia += bestD;
    }
    int empty = 0;
    for (int cnt : counts) {
      if (cnt == 0) {
        empty++;
      }
    }
    int relocated = 0;
    if (empty > 0 && rule == EmptyCluster.FARTHEST) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      // farthest first; the lower index first on ties, so the choice is reproducible
      Arrays.sort(
          order,
          (a, b) -> dist[a] != dist[b] ? Double.compare(dist[b], dist[a]) : Integer.compare(a, b));
      int next = 0;
      for (int j = 0; j < k; j++) {
        if (counts[j] != 0) {
          continue;
        }
        while (next < n && counts[labels[order[next]]] <= 1) {
          next++;
        }
        if (next == n) {
          break;
        }
        int i = order[next++];
        counts[labels[i]]--;
        labels[i] = j;
        counts[j] = 1;
        relocated++;
      }
    }
    double[] sums = new double[k * d];
    for (int i = 0; i < n; i++) {
      int l = labels[i];
      for (int f = 0; f < d; f++) {
        sums[l * d + f] += x[i * d + f];
      }
    }
    float[] out = new float[k * d];
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        out[j * d + f] = counts[j] == 0 ? c[j * d + f] : (float) (sums[j * d + f] / counts[j]);
      }
    }
    return new Step(labels, new FloatMatrix(k, d, out), inertia, empty, relocated);
  }

  @Override
  public void beforeFirstEpoch(PhaseContext ctx) {
    FloatMatrix z = embed(ctx);
    if (z.rows() < config.k()) {
      throw new IllegalArgumentException(
          "phase '"
              + config.name()
              + "': k = "
              + config.k()
              + " is more than the "
              + z.rows()
              + " training images; use a smaller k or more images");
    }
    String how;
    if (config.init() == Init.KMEANS) {
      KMeansConfig km =
          new KMeansConfig(
              config.k(),
              config.kmeansInit(),
              300,
              1e-4,
              Seeds.mix(ctx.seed(), "embedded_kmeans/" + config.name() + "/kmeans"),
              Runtime.getRuntime().availableProcessors());
      ClusterResult r = new KMeans(km).fit(z);
      centres = r.centers();
      how = "k-means (n_init " + config.kmeansInit() + ")";
    } else {
      centres =
          z.selectRows(
              distinctIndices(
                  z.rows(), config.k(), ctx.seed(), "embedded_kmeans/" + config.name() + "/init"));
      how = config.k() + " random images' embeddings";
    }
    labels = KMeans.predict(centres, z);
    mirrorHead();
    ctx.notice(
        String.format(
            Locale.ROOT,
            "phase '%s': centres from %s of %d x %d embeddings",
            config.name(),
            how,
            z.rows(),
            z.cols()));
    ctx.publish(
        new ClusterUpdate(
            name(), 0, ctx.steps(), labels.clone(), config.k(), Double.NaN, new LinkedHashMap<>()));
  }

  /** k distinct indices of [0, n), a seeded partial Fisher-Yates shuffle. */
  static int[] distinctIndices(int n, int k, long seed, String purpose) {
    SplittableRandom r = Seeds.stream(seed, purpose);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + r.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return Arrays.copyOf(idx, k);
  }

  @Override
  public void afterEpoch(PhaseContext ctx) {
    requireStarted();
    long start = System.nanoTime();
    FloatMatrix z = embed(ctx);
    Step s = lloydStep(z, centres, config.emptyCluster());
    double changed = SoftAssignment.changedFraction(labels, s.labels());
    labels = s.labels();
    centres = s.centres();
    mirrorHead();
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("inertia", s.inertia());
    values.put("cluster_loss", config.lambda() * s.inertia() / (2.0 * z.rows()));
    values.put("empty_clusters", (double) s.emptyClusters());
    values.put("relocated", (double) s.relocated());
    // the embedding of all images, assignment and centre update: the epoch's part besides steps
    values.put("seconds", (System.nanoTime() - start) / 1e9);
    ctx.publish(
        new ClusterUpdate(
            name(), ctx.epoch(), ctx.steps(), labels.clone(), config.k(), changed, values));
    if (s.emptyClusters() > 0) {
      ctx.notice(
          String.format(
              Locale.ROOT,
              "phase '%s' epoch %d: %d empty cluster(s); %s",
              config.name(),
              ctx.epoch(),
              s.emptyClusters(),
              config.emptyCluster() == EmptyCluster.KEEP
                  ? "their centres stay where they were"
                  : s.relocated() + " moved onto the farthest images"));
    }
  }

  @Override
  public NDArray loss(PhaseContext ctx, TrainBatch batch) {
    NDArray x = batch.images();
    int b = batch.rows().length;
    NDArray z = ctx.forward(autoencoder.encoder(), x);
    z = z.reshape(b, -1);
    NDArray y = ctx.forward(autoencoder.decoder(), z).reshape(x.getShape());
    NDArray rec =
        config.reconstruction() == ReconstructionPhase.LossKind.BCE
            ? Losses.binaryCrossEntropy(y, x)
            : Losses.meanSquaredError(y, x);
    if (config.reduction() == Reduction.SUM) {
      rec = rec.mul(TorchScalar.of(rec, (float) (x.size() / b)));
    }
    if (config.lambda() == 0) {
      return rec;
    }
    requireStarted();
    int d = centres.cols();
    if (z.getShape().get(1) != d) {
      throw new IllegalStateException(
          "phase '"
              + config.name()
              + "': embeddings of width "
              + z.getShape().get(1)
              + ", centres of "
              + d);
    }
    int[] assigned;
    if (ctx.training()) {
      assigned = new int[b];
      int[] rows = batch.rows();
      for (int i = 0; i < b; i++) {
        assigned[i] = labels[rows[i]];
      }
    } else {
      // validation images have no assignment of their own: the nearest current centre
      assigned = KMeans.predict(centres, new FloatMatrix(b, d, z.toFloatArray()));
    }
    float[] target = new float[b * d];
    float[] c = centres.data();
    for (int i = 0; i < b; i++) {
      System.arraycopy(c, assigned[i] * d, target, i * d, d);
    }
    NDArray diff = z.sub(ctx.manager().create(target, new Shape(b, d)));
    NDArray sq = diff.square().sum();
    NDArray cluster = sq.mul(TorchScalar.of(sq, config.lambda() / (2.0 * b)));
    return rec.add(cluster);
  }

  private void requireStarted() {
    if (centres == null || labels == null) {
      throw new IllegalStateException(
          "phase '" + config.name() + "' has no centres (beforeFirstEpoch did not run)");
    }
  }

  private void mirrorHead() {
    ClusteringHead head = autoencoder.head();
    if (head != null && head.k() == centres.rows() && head.dims() == centres.cols()) {
      head.setCentres(centres);
    }
  }

  private FloatMatrix embed(PhaseContext ctx) {
    Embedder embedder =
        new Embedder(autoencoder.encoder(), ctx.data().imageShape(), config.embedBatchSize());
    return embedder.embed(ctx.manager(), ctx.data().images());
  }

  @Override
  public void saveState(DataOutputStream out) throws IOException {
    out.writeUTF(STATE_MAGIC);
    boolean has = centres != null && labels != null;
    out.writeBoolean(has);
    if (!has) {
      return;
    }
    out.writeInt(centres.rows());
    out.writeInt(centres.cols());
    for (float v : centres.data()) {
      out.writeFloat(v);
    }
    out.writeInt(labels.length);
    for (int l : labels) {
      out.writeInt(l);
    }
  }

  @Override
  public void loadState(DataInputStream in) throws IOException {
    StatefulOptimizer.checkMagic(in, STATE_MAGIC, "embedded k-means phase state");
    if (!in.readBoolean()) {
      centres = null;
      labels = null;
      return;
    }
    int k = in.readInt();
    int d = in.readInt();
    if (k != config.k() || d < 1) {
      throw new IOException(
          "the saved state of phase '"
              + config.name()
              + "' has "
              + k
              + " centres of width "
              + d
              + " but the phase has k = "
              + config.k()
              + "; resume with the recipe the checkpoint was made with");
    }
    float[] c = new float[k * d];
    for (int i = 0; i < c.length; i++) {
      c[i] = in.readFloat();
    }
    int n = in.readInt();
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = in.readInt();
      if (l[i] < 0 || l[i] >= k) {
        throw new IOException("the saved state of phase '" + config.name() + "' has label " + l[i]);
      }
    }
    centres = new FloatMatrix(k, d, c);
    labels = l;
    mirrorHead();
  }
}
