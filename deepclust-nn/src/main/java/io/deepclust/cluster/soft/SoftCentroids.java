package io.deepclust.cluster.soft;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.deepclust.cluster.ClusterModel;
import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.linalg.RowKey;
import io.deepclust.train.AdamConfig;
import io.deepclust.train.AdamOptimizer;
import io.deepclust.train.Progress;
import io.deepclust.util.Seeds;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;

/**
 * Soft-centroid clustering, paper 002's "ABO_clusterer" (Obaid 2025, "Custom Autoencoder and
 * Clustering on MNIST Dataset using ABO_clusterer", sections 3.2 and 4): {@code k x d} learnable
 * centres c, trained by torch.optim.Adam on mini-batches to minimise the expected squared distance
 * under a softmax assignment.
 *
 * <p>Per batch of B samples x_i:
 *
 * <pre>
 * D_ij = ||x_i - c_j||^2                      (B x k)
 * q_ij = softmax_j(-D_ij)                     (soft assignment, rows sum to 1)
 * loss = (1/B) sum_i sum_j q_ij D_ij          (mean expected distance)
 * </pre>
 *
 * Centres start at the k distinct samples farthest from the mean sample (the paper's; or
 * k-means++), the samples are reshuffled every epoch (seeded), and labels are the argmax of q, i.e.
 * the nearest centre ({@link KMeans#predict}, first centre on ties).
 *
 * <p>Two backends compute the same thing. {@link Backend#JAVA} (the default) evaluates the batch
 * and its exact gradient {@code dL/dc_j = (2/B) sum_i q_ij (1 + L_i - D_ij)(c_j - x_i)} (L_i =
 * sum_j q_ij D_ij) and torch.optim.Adam's update in plain float32 Java; {@link Backend#LIBTORCH}
 * runs the same forward pass through DJL's autograd and {@link AdamOptimizer}. Both are checked
 * against a PyTorch run ({@code tools/fixtures/gen_soft_centroids.py}). The Java backend exists for
 * speed: a step is ~40k multiply-adds (B 32, k 10, d 64), far less than the ~15 native calls of the
 * libtorch step cost in JNI overhead, and the paper's 200 epochs over 60,000 samples are 375,000
 * steps.
 *
 * <p>Not thread-safe: {@link #fit} stores the fitted centres and loss history in this object.
 */
public final class SoftCentroids implements Clusterer {

  /** Where the training steps run. */
  public enum Backend {
    /** Hand-derived gradient and Adam in float32 Java (fast; the default). */
    JAVA,
    /** DJL autograd on libtorch (CPU) with {@link AdamOptimizer}. */
    LIBTORCH
  }

  // torch.optim.Adam's defaults, which the paper keeps (it sets only lr)
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final SoftCentroidsConfig config;
  private final Backend backend;
  private final Progress.Mode progressMode;
  private final PrintStream progressOut;
  private FloatMatrix centers;
  private double[] lossPerEpoch = new double[0];
  private double imagesPerSecond;
  private ObjIntConsumer<NDManager> epochHook;

  /** The Java backend, progress on standard error in the detected mode. */
  public SoftCentroids(SoftCentroidsConfig config) {
    this(config, Backend.JAVA, Progress.Mode.detect(), System.err);
  }

  /**
   * @param backend where the steps run
   * @param progressMode how progress (epoch, loss, images/s, ETA) is shown
   * @param progressOut where progress goes
   */
  public SoftCentroids(
      SoftCentroidsConfig config,
      Backend backend,
      Progress.Mode progressMode,
      PrintStream progressOut) {
    this.config = Objects.requireNonNull(config, "config");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.progressMode = Objects.requireNonNull(progressMode, "progressMode");
    this.progressOut = Objects.requireNonNull(progressOut, "progressOut");
  }

  public SoftCentroidsConfig config() {
    return config;
  }

  public Backend backend() {
    return backend;
  }

  /**
   * Initialises the centres ({@link SoftCentroidsConfig#init()}) and trains them on the rows of
   * {@code x}.
   *
   * @param x {@code n x d} samples; not modified
   * @return nearest-centre labels, the {@code k x d} centres, inertia (sum of squared distances to
   *     the assigned centre), iterations = epochs, bestRun 0
   * @throws IllegalArgumentException if x has no rows or columns, non-finite values, fewer than k
   *     rows or fewer than k distinct rows
   */
  @Override
  public ClusterResult fit(FloatMatrix x) {
    checkInput(x);
    return fit(x, initialCenters(x));
  }

  /**
   * Trains the centres from {@code initialCenters} on the rows of {@code x}, shuffled every epoch
   * from the config's seed.
   *
   * @param initialCenters {@code k x d} starting centres; not modified
   * @throws IllegalArgumentException as {@link #fit(FloatMatrix)}, or if initialCenters is not
   *     {@code k x d} or not finite
   */
  public ClusterResult fit(FloatMatrix x, FloatMatrix initialCenters) {
    checkInput(x);
    SplittableRandom rng = Seeds.stream(config.seed(), "soft-centroids/shuffle");
    int n = x.rows();
    return fit(
        x,
        initialCenters,
        epoch -> {
          // a fresh permutation per epoch, as torch's RandomSampler draws randperm(n) each epoch
          int[] order = new int[n];
          for (int i = 0; i < n; i++) {
            order[i] = i;
          }
          for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
          return order;
        });
  }

  /** Training with the sample order of each epoch given (a permutation of the rows). */
  ClusterResult fit(FloatMatrix x, FloatMatrix initialCenters, IntFunction<int[]> orderOfEpoch) {
    checkInput(x);
    Objects.requireNonNull(initialCenters, "initialCenters");
    if (initialCenters.rows() != config.k() || initialCenters.cols() != x.cols()) {
      throw new IllegalArgumentException(
          "soft-centroids initial centres are "
              + initialCenters.rows()
              + " x "
              + initialCenters.cols()
              + " but k x d = "
              + config.k()
              + " x "
              + x.cols()
              + "; give one centre per cluster with the samples' dimension");
    }
    requireFinite(initialCenters, "soft-centroids initial centres");
    float[] c = initialCenters.data().clone();
    double[] losses = new double[config.epochs()];
    long start = System.nanoTime();
    try (Progress progress =
        Progress.start("soft-centroids", config.epochs(), progressMode, progressOut)) {
      EpochListener listener =
          (epoch, loss) -> {
            losses[epoch] = loss;
            if (!Double.isFinite(loss)) {
              throw new IllegalStateException(
                  "soft-centroids diverged: epoch "
                      + (epoch + 1)
                      + " loss is "
                      + loss
                      + "; lower learningRate (now "
                      + config.learningRate()
                      + ") or scale the embeddings");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = seconds > 0 ? (epoch + 1.0) * x.rows() / seconds : 0;
            progress.update(
                epoch + 1, String.format(Locale.ROOT, "loss %.5g %.0f img/s", loss, rate));
          };
      if (backend == Backend.JAVA) {
        trainJava(x, c, orderOfEpoch, listener);
      } else {
        trainLibtorch(x, c, orderOfEpoch, listener);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    imagesPerSecond = seconds > 0 ? (double) config.epochs() * x.rows() / seconds : 0;
    lossPerEpoch = losses;
    centers = new FloatMatrix(config.k(), x.cols(), c);
    int[] labels = KMeans.predict(centers, x);
    return new ClusterResult(labels, centers.copy(), inertia(x, centers, labels), losses.length, 0);
  }

  private interface EpochListener {
    void epochEnd(int epoch, double loss);
  }

  /**
   * The fitted {@code k x d} centres (a copy).
   *
   * @throws IllegalStateException before {@link #fit}
   */
  public FloatMatrix centers() {
    return fitted().copy();
  }

  /**
   * The training loss of each epoch of the last fit: the mean over samples of {@code sum_j q_ij
   * D_ij} as the centres moved during the epoch (batch losses weighted by batch size), length
   * epochs.
   */
  public double[] lossPerEpoch() {
    return lossPerEpoch.clone();
  }

  /** The fit, with the soft assignment as probabilities of new rows. */
  @Override
  public Fitted fitPredictor(FloatMatrix x) {
    ClusterResult r = fit(x);
    return Fitted.of(r, new ClusterModel.SoftCentroids(centers()));
  }

  /** {@link #lossPerEpoch()}. */
  @Override
  public double[] lossHistory() {
    return lossPerEpoch();
  }

  /** Samples per second over the whole last fit (epochs x n / seconds), 0 before it. */
  public double imagesPerSecond() {
    return imagesPerSecond;
  }

  /**
   * Nearest fitted centre of each row, the argmax of {@link #predictProba}.
   *
   * @param x {@code m x d} samples
   * @return labels in {@code [0, k)}, length m
   * @throws IllegalStateException before {@link #fit}
   */
  public int[] predict(FloatMatrix x) {
    return KMeans.predict(fitted(), x);
  }

  /**
   * The soft assignment {@code q_ij = softmax_j(-||x_i - c_j||^2)} to the fitted centres.
   *
   * @param x {@code m x d} samples with the fitted centres' d
   * @return {@code m x k}, rows sum to 1
   * @throws IllegalStateException before {@link #fit}
   * @throws IllegalArgumentException if x's dimension differs from the centres'
   */
  public FloatMatrix predictProba(FloatMatrix x) {
    return softAssignment(fitted(), x);
  }

  /**
   * {@code q_ij = softmax_j(-||x_i - c_j||^2)}, computed in double.
   *
   * @param centers {@code k x d}
   * @param x {@code m x d}
   * @return {@code m x k}, rows sum to 1
   * @throws IllegalArgumentException if the dimensions differ
   */
  public static FloatMatrix softAssignment(FloatMatrix centers, FloatMatrix x) {
    return SoftAssignment.softmaxOfNegativeSquaredDistances(centers, x);
  }

  /**
   * The starting centres for {@code x} by {@link SoftCentroidsConfig#init()}.
   *
   * @throws IllegalArgumentException as {@link #fit(FloatMatrix)}
   */
  public FloatMatrix initialCenters(FloatMatrix x) {
    checkInput(x);
    return config.init().equals(SoftCentroidsConfig.INIT_FARTHEST)
        ? farthestFromMean(x, config.k())
        : kmeansPlusPlus(x, config.k(), config.seed());
  }

  /**
   * The paper's initialisation: the k distinct rows farthest (squared Euclidean) from the mean row,
   * farthest first; equal distances keep the lower row index first, and a row equal to one already
   * taken is skipped.
   *
   * @return {@code k x d} copies of rows of x
   * @throws IllegalArgumentException if x has fewer than k distinct rows
   */
  public static FloatMatrix farthestFromMean(FloatMatrix x, int k) {
    int n = x.rows();
    int d = x.cols();
    float[] xd = x.data();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        mean[f] += xd[i * d + f];
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= n;
    }
    double[] dist = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int f = 0; f < d; f++) {
        double diff = xd[i * d + f] - mean[f];
        s += diff * diff;
      }
      dist[i] = s;
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(dist[b], dist[a])); // stable: lower index first
    float[] out = new float[k * d];
    Set<RowKey> taken = new HashSet<>();
    int got = 0;
    for (int t = 0; t < n && got < k; t++) {
      int i = order[t];
      if (taken.add(new RowKey(xd, i * d, d))) {
        System.arraycopy(xd, i * d, out, got * d, d);
        got++;
      }
    }
    if (got < k) {
      throw tooFewDistinct(k, got);
    }
    return new FloatMatrix(k, d, out);
  }

  /**
   * Greedy k-means++ seeding (scikit-learn's {@code _kmeans_plusplus}: 2 + ln k candidates per
   * centre, the one lowering the potential most wins), from {@code Seeds.stream(seed,
   * "soft-centroids/kmeans++")}.
   *
   * @return {@code k x d} copies of k distinct rows of x
   * @throws IllegalArgumentException if x has fewer than k distinct rows
   */
  public static FloatMatrix kmeansPlusPlus(FloatMatrix x, int k, long seed) {
    int n = x.rows();
    int d = x.cols();
    int distinct = distinctRows(x, k);
    if (distinct < k) {
      throw tooFewDistinct(k, distinct);
    }
    SplittableRandom rng = Seeds.stream(seed, "soft-centroids/kmeans++");
    float[] xd = x.data();
    float[] out = new float[k * d];
    int trials = 2 + (int) Math.log(k);
    int first = rng.nextInt(n);
    System.arraycopy(xd, first * d, out, 0, d);
    double[] closest = distancesToRow(x, first);
    double potential = Arrays.stream(closest).sum();
    double[] cumulative = new double[n];
    for (int c = 1; c < k; c++) {
      double running = 0;
      for (int i = 0; i < n; i++) {
        running += closest[i];
        cumulative[i] = running;
      }
      double bestPotential = Double.POSITIVE_INFINITY;
      double[] best = null;
      int bestRow = -1;
      for (int t = 0; t < trials; t++) {
        int cand = searchLeft(cumulative, rng.nextDouble() * potential);
        while (closest[cand] == 0 && cand + 1 < n) {
          cand++; // a row already taken (weight 0) can only be hit at a cumulative boundary
        }
        double[] dist = distancesToRow(x, cand);
        double pot = 0;
        for (int i = 0; i < n; i++) {
          dist[i] = Math.min(dist[i], closest[i]);
          pot += dist[i];
        }
        if (pot < bestPotential && closest[cand] > 0) {
          bestPotential = pot;
          best = dist;
          bestRow = cand;
        }
      }
      if (best == null) { // every draw hit a taken row (float edge case): the farthest row instead
        bestRow = 0;
        for (int i = 1; i < n; i++) {
          if (closest[i] > closest[bestRow]) {
            bestRow = i;
          }
        }
        best = distancesToRow(x, bestRow);
        bestPotential = 0;
        for (int i = 0; i < n; i++) {
          best[i] = Math.min(best[i], closest[i]);
          bestPotential += best[i];
        }
      }
      potential = bestPotential;
      closest = best;
      System.arraycopy(xd, bestRow * d, out, c * d, d);
    }
    return new FloatMatrix(k, d, out);
  }

  // ---------------------------------------------------------------- Java backend

  private void trainJava(FloatMatrix x, float[] c, IntFunction<int[]> orders, EpochListener l) {
    int n = x.rows();
    int d = x.cols();
    int k = config.k();
    int bs = config.batchSize();
    float[] xd = x.data();
    float[] dist = new float[bs * k];
    float[] q = new float[bs * k];
    float[] grad = new float[k * d];
    float[] m = new float[k * d];
    float[] v = new float[k * d];
    int step = 0;
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      int[] order = checkedOrder(orders.apply(epoch), n, epoch);
      double weighted = 0;
      for (int s = 0; s < n; s += bs) {
        int b = Math.min(bs, n - s);
        double lossSum = 0;
        Arrays.fill(grad, 0f);
        for (int i = 0; i < b; i++) {
          int xo = order[s + i] * d;
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < k; j++) {
            float dij = squaredDistance(xd, xo, c, j * d, d);
            dist[i * k + j] = dij;
            max = Math.max(max, -dij);
          }
          float z = 0;
          for (int j = 0; j < k; j++) {
            float e = (float) Math.exp(-dist[i * k + j] - max);
            q[i * k + j] = e;
            z += e;
          }
          float li = 0;
          for (int j = 0; j < k; j++) {
            q[i * k + j] /= z;
            li += q[i * k + j] * dist[i * k + j];
          }
          lossSum += li;
          // dL/dc_j = (2/B) q_ij (1 + L_i - D_ij) (c_j - x_i)
          for (int j = 0; j < k; j++) {
            float g = 2f * q[i * k + j] * (1f + li - dist[i * k + j]) / b;
            int co = j * d;
            for (int f = 0; f < d; f++) {
              grad[co + f] += g * (c[co + f] - xd[xo + f]);
            }
          }
        }
        step++;
        adamStep(c, grad, m, v, step);
        weighted += lossSum; // batch mean x batch size
      }
      l.epochEnd(epoch, weighted / n);
    }
  }

  /** One torch.optim.Adam step (amsgrad off, no weight decay), in float32 as torch's CPU kernel. */
  private void adamStep(float[] w, float[] g, float[] m, float[] v, int step) {
    double bc1 = 1 - Math.pow(BETA1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(BETA2, step));
    float stepSize = (float) (config.learningRate() / bc1);
    float bc2 = (float) bc2Sqrt;
    float oneMinusB1 = 1f - BETA1;
    float oneMinusB2 = 1f - BETA2;
    for (int i = 0; i < w.length; i++) {
      float gi = g[i];
      m[i] = BETA1 * m[i] + oneMinusB1 * gi;
      v[i] = BETA2 * v[i] + oneMinusB2 * gi * gi;
      float denom = (float) Math.sqrt(v[i]) / bc2 + EPS;
      w[i] -= stepSize * m[i] / denom;
    }
  }

  private static float squaredDistance(float[] x, int xo, float[] c, int co, int d) {
    // four partial sums: shorter dependency chains than one running sum
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int f = 0;
    for (; f + 3 < d; f += 4) {
      float a0 = x[xo + f] - c[co + f];
      float a1 = x[xo + f + 1] - c[co + f + 1];
      float a2 = x[xo + f + 2] - c[co + f + 2];
      float a3 = x[xo + f + 3] - c[co + f + 3];
      s0 += a0 * a0;
      s1 += a1 * a1;
      s2 += a2 * a2;
      s3 += a3 * a3;
    }
    for (; f < d; f++) {
      float a = x[xo + f] - c[co + f];
      s0 += a * a;
    }
    return (s0 + s1) + (s2 + s3);
  }

  // ---------------------------------------------------------------- libtorch backend

  private void trainLibtorch(FloatMatrix x, float[] c, IntFunction<int[]> orders, EpochListener l) {
    int n = x.rows();
    int d = x.cols();
    int k = config.k();
    int bs = config.batchSize();
    float[] xd = x.data();
    AdamOptimizer adam =
        new AdamOptimizer(new AdamConfig(config.learningRate(), BETA1, BETA2, EPS, 0f));
    try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
      root.setName("soft-centroids");
      NDArray centres = root.create(c, new Shape(k, d));
      centres.setRequiresGradient(true);
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        int[] order = checkedOrder(orders.apply(epoch), n, epoch);
        double weighted = 0;
        for (int s = 0; s < n; s += bs) {
          int b = Math.min(bs, n - s);
          float[] batch = new float[b * d];
          for (int i = 0; i < b; i++) {
            System.arraycopy(xd, order[s + i] * d, batch, i * d, d);
          }
          try (NDManager step = root.newSubManager()) {
            NDArray xb = step.create(batch, new Shape(b, d));
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              // start from the batch so every intermediate lands in the step's scope
              NDArray dist = xb.expandDims(1).sub(centres).square().sum(new int[] {2});
              NDArray q = dist.neg().softmax(1);
              NDArray mean = q.mul(dist).sum(new int[] {1}).mean();
              gc.backward(mean);
              loss = mean.getFloat();
            }
            NDArray grad = centres.getGradient();
            grad.attach(step);
            adam.update("centers", centres, grad);
            weighted += (double) loss * b;
          }
        }
        l.epochEnd(epoch, weighted / n);
        if (epochHook != null) {
          epochHook.accept(root, epoch);
        }
      }
      System.arraycopy(centres.toFloatArray(), 0, c, 0, k * d);
    }
  }

  /** Called after each libtorch epoch with the backend's root manager (tests count its arrays). */
  void setEpochHook(ObjIntConsumer<NDManager> hook) {
    this.epochHook = hook;
  }

  // ---------------------------------------------------------------- checks and helpers

  private FloatMatrix fitted() {
    if (centers == null) {
      throw new IllegalStateException("soft-centroids is not fitted yet; call fit first");
    }
    return centers;
  }

  private void checkInput(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int k = config.k();
    if (n == 0) {
      throw new IllegalArgumentException(
          "soft-centroids input has no samples (0 rows); give at least k = " + k + " rows");
    }
    if (x.cols() < 1) {
      throw new IllegalArgumentException(
          "soft-centroids input has 0 columns; give at least 1 feature");
    }
    if (k > n) {
      throw new IllegalArgumentException(
          "soft-centroids k = "
              + k
              + " exceeds the number of samples n = "
              + n
              + "; choose k <= "
              + n
              + " or supply more samples");
    }
    requireFinite(x, "soft-centroids input");
  }

  private static void requireFinite(FloatMatrix x, String what) {
    float[] a = x.data();
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(
            what
                + " has a non-finite value ("
                + a[i]
                + ") at row "
                + i / x.cols()
                + ", column "
                + i % x.cols()
                + "; remove or fix such rows first");
      }
    }
  }

  private static int[] checkedOrder(int[] order, int n, int epoch) {
    if (order == null || order.length != n) {
      throw new IllegalArgumentException(
          "the sample order of epoch " + epoch + " must be a permutation of the " + n + " rows");
    }
    return order;
  }

  private static IllegalArgumentException tooFewDistinct(int k, int distinct) {
    return new IllegalArgumentException(
        "soft-centroids k = "
            + k
            + " but the samples hold only "
            + distinct
            + " distinct points; choose k <= "
            + distinct
            + " or supply more varied samples");
  }

  /** Distinct rows of x, counting stops at {@code limit}. */
  private static int distinctRows(FloatMatrix x, int limit) {
    Set<RowKey> seen = new HashSet<>();
    for (int i = 0; i < x.rows() && seen.size() < limit; i++) {
      seen.add(RowKey.of(x, i));
    }
    return seen.size();
  }

  private static double[] distancesToRow(FloatMatrix x, int row) {
    int n = x.rows();
    int d = x.cols();
    float[] xd = x.data();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int f = 0; f < d; f++) {
        double diff = (double) xd[i * d + f] - xd[row * d + f];
        s += diff * diff;
      }
      out[i] = s;
    }
    return out;
  }

  /** First index with {@code a[i] > v} (numpy searchsorted side=left on a cumulative sum). */
  private static int searchLeft(double[] a, double v) {
    int lo = 0;
    int hi = a.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double inertia(FloatMatrix x, FloatMatrix c, int[] labels) {
    int d = x.cols();
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int f = 0; f < d; f++) {
        double diff = (double) x.data()[i * d + f] - c.data()[labels[i] * d + f];
        sum += diff * diff;
      }
    }
    return sum;
  }
}
