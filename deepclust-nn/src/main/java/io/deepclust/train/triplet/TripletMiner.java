package io.deepclust.train.triplet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Mines one triplet per row of an embedding matrix with the rules of Triplet-CNN-AE (paper 001,
 * section III-C, phase 2):
 *
 * <ul>
 *   <li><b>anchor</b>: every row, visited in a seeded random order ({@link Triplets#anchorOrder});
 *   <li><b>positive</b>: the nearest neighbour in Euclidean distance other than the anchor's own
 *       row (an exact duplicate in another row is a valid positive; ties go to the lowest row);
 *   <li><b>negative</b>, {@link NegativeMining#RANDOM_FAR} (the paper's rule): a uniformly random
 *       row with d(a, n) &gt; {@code negativeThreshold} (0.5). Up to {@code maxTries} random draws
 *       are tried first; if none qualifies, the whole distance row (which the nearest-neighbour
 *       search has at hand anyway) is scanned and a qualifying row is drawn uniformly, so a
 *       negative violates the rule only when <em>no</em> row satisfies it; then it is the farthest
 *       row (counted in {@link Triplets#belowThreshold}). This replaces "the farthest of the tries"
 *       of a pure rejection sampler: same distribution when a qualifier exists, and exact
 *       otherwise;
 *   <li><b>negative</b>, {@link NegativeMining#SEMI_HARD} (the improvement the paper suggests in
 *       its limitations): a uniformly random row in the band d(a, p) &lt; d(a, n) &lt; d(a, p) +
 *       margin (FaceNet's semi-hard negatives); anchors with an empty band use RANDOM_FAR (counted
 *       in {@link Triplets#semiHardFallbacks}).
 * </ul>
 *
 * The negative is never the anchor nor its positive (a triplet with n = p has a constant loss and
 * no gradient).
 *
 * <p>Search: anchors are processed in blocks of rows; each block's Gram products with all points
 * are one matrix product on the engine (PyTorch's sgemm; measured ~3-4x faster than tight,
 * multi-threaded Java loops on the project's CPU), giving squared distances ||a||^2 + ||b||^2 -
 * 2ab; the n x n matrix is never held at once (a block holds at most 2^24 floats). Each distance
 * row is then scanned in Java, anchors in parallel.
 *
 * <p>Exactness and determinism: the float expansion above carries a rounding error bounded by
 * {@code 2 (d + 8) 2^-23 (||a||^2 + max ||b||^2)}. Every decision that lies within that bound of a
 * boundary (the minimum, the threshold, the band edges, the maximum) is re-decided with the exact
 * double-precision distance, so the result equals that of a brute-force double-precision search and
 * does not depend on the BLAS, the device or the thread count. Randomness per anchor comes from its
 * own stream derived from (seed, anchor row): same seed, same triplets.
 */
public final class TripletMiner {
  /** Upper bound on floats in one block of distance rows (64 MiB). */
  private static final int BLOCK_FLOATS = 1 << 24;

  /** How negatives are chosen. */
  public enum NegativeMining {
    /** A random row farther than the threshold (paper 001). */
    RANDOM_FAR,
    /** A random row with d(a,p) &lt; d(a,n) &lt; d(a,p) + margin, else RANDOM_FAR. */
    SEMI_HARD;

    /** Parses "random_far" or "semi_hard" (any case, '-' or '_'). */
    public static NegativeMining parse(String text) {
      String s = Objects.requireNonNull(text, "negativeMining").trim().toLowerCase(Locale.ROOT);
      return switch (s.replace('-', '_')) {
        case "random_far" -> RANDOM_FAR;
        case "semi_hard" -> SEMI_HARD;
        default ->
            throw new IllegalArgumentException(
                "unknown negativeMining '" + text + "'; use \"random_far\" or \"semi_hard\"");
      };
    }
  }

  /**
   * Mining rules.
   *
   * @param negativeMining how negatives are chosen
   * @param negativeThreshold RANDOM_FAR: negatives satisfy d(a, n) &gt; this; paper: 0.5 (on
   *     L2-normalised embeddings, where distances lie in [0, 2]); &gt;= 0
   * @param margin SEMI_HARD: width of the band above d(a, p); use the triplet loss margin (1.0)
   * @param maxTries RANDOM_FAR: random draws before the full-row scan, at least 1
   */
  public record Config(
      NegativeMining negativeMining, float negativeThreshold, float margin, int maxTries) {
    public Config {
      Objects.requireNonNull(negativeMining, "negativeMining");
      if (!(negativeThreshold >= 0f) || Float.isInfinite(negativeThreshold)) {
        throw new IllegalArgumentException(
            "negativeThreshold must be a finite number >= 0, got "
                + negativeThreshold
                + "; the paper uses 0.5");
      }
      if (!(margin > 0f) || Float.isInfinite(margin)) {
        throw new IllegalArgumentException(
            "margin must be a finite number > 0, got " + margin + "; the paper uses 1.0");
      }
      if (maxTries < 1) {
        throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
      }
    }

    /** RANDOM_FAR, threshold 0.5, margin 1.0, 32 tries (paper 001). */
    public static Config defaults() {
      return new Config(NegativeMining.RANDOM_FAR, 0.5f, 1.0f, 32);
    }

    /** These rules with another negative mining. */
    public Config withNegativeMining(NegativeMining mining) {
      return new Config(mining, negativeThreshold, margin, maxTries);
    }
  }

  private final Config config;
  private final int blockFloats;

  public TripletMiner(Config config) {
    this(config, BLOCK_FLOATS);
  }

  /** For tests: blocks of at most {@code blockFloats} distances, to exercise many blocks. */
  TripletMiner(Config config, int blockFloats) {
    this.config = Objects.requireNonNull(config, "config");
    this.blockFloats = blockFloats;
  }

  public Config config() {
    return config;
  }

  /** {@link #mine(NDManager, FloatMatrix, long)} in a temporary manager on the default device. */
  public Triplets mine(FloatMatrix embeddings, long seed) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return mine(manager, embeddings, seed);
    }
  }

  /**
   * Mines one triplet per row of {@code embeddings}.
   *
   * @param parent the engine arrays of the search live in a sub-manager of it, closed on return
   * @param embeddings n x d, n &gt;= 3, finite values (L2-normalised or not)
   * @param seed fixes the anchor order and the negatives
   */
  public Triplets mine(NDManager parent, FloatMatrix embeddings, long seed) {
    Objects.requireNonNull(embeddings, "embeddings");
    int n = embeddings.rows();
    int d = embeddings.cols();
    if (n < 3) {
      throw new IllegalArgumentException(
          "triplet mining needs at least 3 embeddings (an anchor, a positive and a distinct"
              + " negative), got "
              + n);
    }
    if (d < 1) {
      throw new IllegalArgumentException("embeddings have no columns; d must be at least 1");
    }
    float[] x = embeddings.data();
    float[] sq = new float[n];
    float maxSq = 0f;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        float v = x[i * d + k];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "embedding row "
                  + i
                  + ", column "
                  + k
                  + " is "
                  + v
                  + "; triplet mining needs finite embeddings (did training diverge?)");
        }
        s += (double) v * v;
      }
      sq[i] = (float) s;
      maxSq = Math.max(maxSq, sq[i]);
    }
    Search search = new Search(x, n, d, sq, maxSq, Seeds.mix(seed, "triplet/negatives"));
    int blockRows = Math.max(1, Math.min(n, blockFloats / n));
    ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[n]);
    try (NDManager scope = parent.newSubManager()) {
      // the transpose is a strided view: the product runs as sgemm with a transposed operand
      NDArray pointsT = scope.create(FloatBuffer.wrap(x), new Shape(n, d)).transpose();
      for (int i0 = 0; i0 < n; i0 += blockRows) {
        int rows = Math.min(blockRows, n - i0);
        float[] gram;
        try (NDManager step = scope.newSubManager()) {
          // created in the step scope so that the product (attached to its first operand) is too
          NDArray block = step.create(FloatBuffer.wrap(x, i0 * d, rows * d), new Shape(rows, d));
          gram = block.matMul(pointsT).toFloatArray();
        }
        final int first = i0;
        IntStream.range(0, rows)
            .parallel()
            .forEach(r -> search.anchor(first + r, gram, r * n, scratch.get()));
      }
    }
    return new Triplets(
        permutation(n, Seeds.stream(seed, "triplet/anchors")),
        search.positive,
        search.negative,
        search.positiveDistance,
        search.negativeDistance,
        count(search.belowThreshold),
        count(search.semiHardFallback));
  }

  /** The per-anchor scans over one distance row; every anchor writes only its own slots. */
  private final class Search {
    final float[] x;
    final int n;
    final int d;
    final float[] sq;
    final double tolFactor;
    final float maxSq;
    final long negativeSeed;
    final int[] positive;
    final int[] negative;
    final float[] positiveDistance;
    final float[] negativeDistance;
    final boolean[] belowThreshold;
    final boolean[] semiHardFallback;

    Search(float[] x, int n, int d, float[] sq, float maxSq, long negativeSeed) {
      this.x = x;
      this.n = n;
      this.d = d;
      this.sq = sq;
      this.maxSq = maxSq;
      this.negativeSeed = negativeSeed;
      // |float(||a||^2 + ||b||^2 - 2ab) - exact| <= (d + O(1)) u (||a||^2 + ||b||^2 + 2|a||b|),
      // u = 2^-24; doubled again for safety
      this.tolFactor = 2.0 * (d + 8) * 0x1p-23;
      positive = new int[n];
      negative = new int[n];
      positiveDistance = new float[n];
      negativeDistance = new float[n];
      belowThreshold = new boolean[n];
      semiHardFallback = new boolean[n];
    }

    /**
     * Mines anchor {@code a} from its Gram row {@code g[off .. off + n)}, which it turns into
     * approximate squared distances; NaN marks rows that may not be chosen. {@code scratch} is a
     * buffer of n ints owned by the calling thread.
     */
    void anchor(int a, float[] g, int off, int[] scratch) {
      float sqa = sq[a];
      // distances and their minimum in one pass, skipping the anchor's own row
      float min = Float.POSITIVE_INFINITY;
      for (int j = 0; j < a; j++) {
        float v = sqa + sq[j] - 2f * g[off + j];
        g[off + j] = v;
        min = v < min ? v : min;
      }
      for (int j = a + 1; j < n; j++) {
        float v = sqa + sq[j] - 2f * g[off + j];
        g[off + j] = v;
        min = v < min ? v : min;
      }
      g[off + a] = Float.NaN;
      float tol = (float) (tolFactor * (sqa + maxSq));

      // positive: exact nearest among the rows within 2 tol of the approximate minimum
      float limit = min + 2f * tol;
      int p = -1;
      double pSq = Double.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (g[off + j] <= limit) {
          double e = exactSq(a, j);
          if (e < pSq) {
            pSq = e;
            p = j;
          }
        }
      }
      g[off + p] = Float.NaN;
      positive[a] = p;
      positiveDistance[a] = (float) Math.sqrt(pSq);

      SplittableRandom rnd = new SplittableRandom(mix64(negativeSeed + a * 0x9E3779B97F4A7C15L));
      int neg = -1;
      if (config.negativeMining() == NegativeMining.SEMI_HARD) {
        double upper = Math.sqrt(pSq) + config.margin();
        int count = collect(a, g, off, tol, pSq, upper * upper, scratch);
        if (count > 0) {
          neg = scratch[rnd.nextInt(count)];
        } else {
          semiHardFallback[a] = true;
        }
      }
      if (neg < 0) {
        neg = randomFar(a, g, off, tol, rnd, scratch);
      }
      negative[a] = neg;
      negativeDistance[a] = (float) Math.sqrt(exactSq(a, neg));
    }

    private int randomFar(int a, float[] g, int off, float tol, SplittableRandom rnd, int[] buf) {
      double t = config.negativeThreshold();
      double tSq = t * t;
      float sure = (float) (tSq + tol);
      float unsure = (float) (tSq - tol);
      for (int k = 0; k < config.maxTries(); k++) {
        int j = rnd.nextInt(n);
        float v = g[off + j];
        if (v > sure || (v >= unsure && exactSq(a, j) > tSq)) {
          return j;
        }
      }
      int count = collect(a, g, off, tol, tSq, Double.POSITIVE_INFINITY, buf);
      if (count > 0) {
        return buf[rnd.nextInt(count)];
      }
      belowThreshold[a] = true;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        float v = g[off + j];
        if (v > max) {
          max = v;
        }
      }
      float floor = max - 2f * tol;
      int far = -1;
      double farSq = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (g[off + j] >= floor) {
          double e = exactSq(a, j);
          if (e > farSq) {
            farSq = e;
            far = j;
          }
        }
      }
      return far;
    }

    /**
     * Writes to {@code out} the rows j (ascending) with lowSq &lt; exact d(a, j)^2 &lt; highSq and
     * returns their number. Approximate distances decide unless they lie within tol of a bound;
     * NaN-marked rows fail every comparison and are skipped.
     */
    private int collect(
        int a, float[] g, int off, float tol, double lowSq, double highSq, int[] out) {
      float lowSure = (float) (lowSq + tol);
      float lowUnsure = (float) (lowSq - tol);
      float highSure = (float) (highSq - tol);
      float highUnsure = (float) (highSq + tol);
      int c = 0;
      for (int j = 0; j < n; j++) {
        float v = g[off + j];
        // branch-free for the bulk (membership is unpredictable); the rare near-bound rows
        // take the exact path
        out[c] = j;
        c += (v > lowSure & v < highSure) ? 1 : 0;
        if ((v >= lowUnsure & v <= lowSure) | (v >= highSure & v <= highUnsure)) {
          double e = exactSq(a, j);
          if (e > lowSq && e < highSq) {
            out[c++] = j;
          }
        }
      }
      return c;
    }

    double exactSq(int a, int j) {
      double s = 0;
      int ia = a * d;
      int ib = j * d;
      for (int k = 0; k < d; k++) {
        double diff = (double) x[ia + k] - x[ib + k];
        s += diff * diff;
      }
      return s;
    }
  }

  private static int[] permutation(int n, SplittableRandom rnd) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static int count(boolean[] flags) {
    int c = 0;
    for (boolean f : flags) {
      if (f) {
        c++;
      }
    }
    return c;
  }

  /** SplitMix64's finaliser: unrelated seeds for consecutive anchors. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
