package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * k-means with greedy k-means++ seeding and Lloyd iterations, following scikit-learn 1.2's {@code
 * KMeans(algorithm="lloyd")} step for step:
 *
 * <ol>
 *   <li>The data are centred on their column means (a copy) so that the expansion {@code ||x||^2 -
 *       2 x.c + ||c||^2} loses little precision; centres are shifted back at the end.
 *   <li>Each of {@code nInit} restarts seeds with greedy k-means++ (Arthur &amp; Vassilvitskii,
 *       "k-means++: the advantages of careful seeding", SODA 2007): the first centre uniformly,
 *       each further one by drawing {@code 2 + floor(ln k)} candidates with probability
 *       proportional to the squared distance to the nearest chosen centre and keeping the candidate
 *       that minimises the resulting potential.
 *   <li>Lloyd iterations: assign every sample to its nearest centre, move each centre to the mean
 *       of its samples. A cluster left empty takes the sample farthest from its own (previous)
 *       centre, farthest first, removed from that sample's cluster (sklearn's {@code
 *       _relocate_empty_clusters_dense}); if every sample sits exactly on its centre (more clusters
 *       than distinct points) nothing is relocated and the empty centre falls back to the data
 *       mean, as in sklearn. Stop when the labels do not change, or when the squared Frobenius norm
 *       of the centre shift is at most {@code tol * mean(var(X, axis=0))}, or after {@code maxIter}
 *       iterations; in the last two cases one more assignment makes labels match centres. The
 *       assignment uses Hamerly's distance bounds ({@link HamerlyAssigner}) and centre sums are
 *       updated only for samples that changed cluster: both give Lloyd's iterates (up to float
 *       rounding in near-ties) at a fraction of the {@code n k d} cost per iteration.
 *   <li>The restart with the lowest inertia wins; a later restart replaces an earlier one only if
 *       its inertia is strictly lower and its partition differs (sklearn's rule, so that rounding
 *       noise does not pick between identical partitions).
 * </ol>
 *
 * <p>Restarts run in parallel on {@code threads} workers. Restart r draws only from {@code
 * Seeds.stream(seed, "kmeans/restart/" + r)} and the winner is chosen in restart order, so the
 * result is bit-for-bit the same for any thread count. The random streams differ from numpy's, so
 * individual restarts differ from sklearn's; the optimum reached is what tests compare.
 */
public final class KMeans implements Clusterer {
  private final KMeansConfig config;

  public KMeans(KMeansConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public KMeansConfig config() {
    return config;
  }

  @Override
  public ClusterResult fit(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int d = x.cols();
    int k = config.k();
    if (d < 1) {
      throw new IllegalArgumentException("k-means input has 0 columns; give at least 1 feature");
    }
    if (k > n) {
      throw new IllegalArgumentException(
          "k-means k = "
              + k
              + " exceeds the number of samples n = "
              + n
              + "; choose k <= "
              + n
              + " or supply more samples");
    }
    requireFinite(x, "k-means input");
    Data data = Data.of(x);
    double tolerance = config.tol() == 0 ? 0 : config.tol() * data.meanVariance;

    Run[] runs = new Run[config.nInit()];
    WorkerPool.run(
        runs.length, config.threads(), "kmeans", r -> runs[r] = runOnce(data, k, tolerance, r));

    Run best = null;
    int bestIndex = -1;
    for (int r = 0; r < runs.length; r++) {
      Run run = runs[r];
      if (best == null
          || (run.inertia < best.inertia && !sameClustering(run.labels, best.labels, k))) {
        best = run;
        bestIndex = r;
      }
    }
    float[] centers = new float[k * d];
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        centers[j * d + f] = (float) (best.centers[j * d + f] + data.mean[f]);
      }
    }
    return new ClusterResult(
        best.labels, new FloatMatrix(k, d, centers), best.inertia, best.iterations, bestIndex);
  }

  /**
   * Nearest-centre labels of the rows of {@code x}: {@code argmin_j ||x_i - c_j||^2}, first centre
   * on ties.
   *
   * @param centers {@code k x d} centres
   * @param x {@code m x d} samples
   * @return labels, length m
   */
  public static int[] predict(FloatMatrix centers, FloatMatrix x) {
    Objects.requireNonNull(centers, "centers");
    Objects.requireNonNull(x, "x");
    int k = centers.rows();
    int d = centers.cols();
    if (k < 1) {
      throw new IllegalArgumentException("predict needs at least one centre, got 0 rows");
    }
    if (x.cols() != d) {
      throw new IllegalArgumentException(
          "predict input has " + x.cols() + " columns but the centres have " + d);
    }
    // Distances are translation invariant: shifting by the centres' mean keeps the expansion
    // ||x||^2 - 2x.c + ||c||^2 accurate even for data far from the origin.
    double[] shift = new double[d];
    float[] c = centers.data();
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        shift[f] += c[j * d + f];
      }
    }
    for (int f = 0; f < d; f++) {
      shift[f] /= k;
    }
    float[] cs = new float[k * d];
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        cs[j * d + f] = (float) (c[j * d + f] - shift[f]);
      }
    }
    double[] cNorm = DotKernel.squaredNorms(cs, k, d);
    int m = x.rows();
    int[] labels = new int[m];
    int block = 1024;
    float[] shifted = new float[block * d];
    float[] xd = x.data();
    for (int start = 0; start < m; start += block) {
      int rows = Math.min(block, m - start);
      for (int i = 0; i < rows; i++) {
        int src = (start + i) * d;
        for (int f = 0; f < d; f++) {
          shifted[i * d + f] = (float) (xd[src + f] - shift[f]);
        }
      }
      int[] blockLabels = new int[rows];
      DotKernel.assign(shifted, d, 0, rows, cs, cNorm, k, blockLabels);
      System.arraycopy(blockLabels, 0, labels, start, rows);
    }
    return labels;
  }

  /** One restart: k-means++ seeding then Lloyd iterations, in centred coordinates. */
  private Run runOnce(Data data, int k, double tolerance, int restart) {
    SplittableRandom rng = Seeds.stream(config.seed(), "kmeans/restart/" + restart);
    double[] centers = kmeansPlusPlus(data, k, rng);
    return lloyd(data, centers, k, config.maxIter(), tolerance);
  }

  /**
   * Greedy k-means++ (sklearn's {@code _kmeans_plusplus}): returns {@code k x d} centres (double,
   * centred coordinates) copied from data rows.
   */
  static double[] kmeansPlusPlus(Data data, int k, SplittableRandom rng) {
    int n = data.n;
    int d = data.d;
    float[] x = data.x;
    double[] centers = new double[k * d];
    int trials = 2 + (int) Math.log(k);

    int first = rng.nextInt(n);
    copyRow(x, first, d, centers, 0);
    double[] closest = new double[n];
    distancesTo(data, new int[] {first}, new double[][] {closest});
    double potential = sum(closest);

    double[] cumulative = new double[n];
    int[] candidates = new int[trials];
    double[][] candidateDist = new double[trials][n];
    for (int c = 1; c < k; c++) {
      double running = 0;
      for (int i = 0; i < n; i++) {
        running += closest[i];
        cumulative[i] = running;
      }
      for (int t = 0; t < trials; t++) {
        double target = rng.nextDouble() * potential;
        candidates[t] = Math.min(searchLeft(cumulative, target), n - 1);
      }
      distancesTo(data, candidates, candidateDist);
      int bestTrial = 0;
      double bestPotential = Double.POSITIVE_INFINITY;
      for (int t = 0; t < trials; t++) {
        double[] dist = candidateDist[t];
        double pot = 0;
        for (int i = 0; i < n; i++) {
          double v = Math.min(closest[i], dist[i]);
          dist[i] = v;
          pot += v;
        }
        if (pot < bestPotential) {
          bestPotential = pot;
          bestTrial = t;
        }
      }
      potential = bestPotential;
      System.arraycopy(candidateDist[bestTrial], 0, closest, 0, n);
      copyRow(x, candidates[bestTrial], d, centers, c * d);
    }
    return centers;
  }

  /** {@code out[t][i] = ||x_i - x_{rows[t]}||^2}, clipped at 0 like sklearn. */
  private static void distancesTo(Data data, int[] rows, double[][] out) {
    int d = data.d;
    int m = rows.length;
    float[] c = new float[m * d];
    double[] cNorm = new double[m];
    for (int t = 0; t < m; t++) {
      System.arraycopy(data.x, rows[t] * d, c, t * d, d);
      cNorm[t] = data.norms[rows[t]];
    }
    float[] dots = new float[4 * m];
    for (int i = 0; i < data.n; i += 4) {
      int block = Math.min(4, data.n - i);
      DotKernel.dots(data.x, i * d, block, d, c, m, dots);
      for (int r = 0; r < block; r++) {
        double xn = data.norms[i + r];
        for (int t = 0; t < m; t++) {
          out[t][i + r] = Math.max(0.0, xn + cNorm[t] - 2.0 * dots[r * m + t]);
        }
      }
    }
  }

  /** Lloyd iterations from {@code centers} (modified), sklearn's {@code _kmeans_single_lloyd}. */
  static Run lloyd(Data data, double[] centers, int k, int maxIter, double tolerance) {
    int n = data.n;
    int d = data.d;
    float[] x = data.x;
    int[] labels = new int[n];
    int[] labelsOld = new int[n];
    Arrays.fill(labels, -1);
    Arrays.fill(labelsOld, -1);
    // Per-cluster sums and counts of the samples as labelled in summedLabels, kept across
    // iterations; sums/weights are this iteration's copies, which relocation may alter.
    double[] labelSums = new double[k * d];
    double[] labelCounts = new double[k];
    int[] summedLabels = new int[n];
    Arrays.fill(summedLabels, -1);
    double[] sums = new double[k * d];
    double[] weights = new double[k];
    float[] centersF = new float[k * d];
    HamerlyAssigner assigner = new HamerlyAssigner(x, data.norms, n, d, k);
    boolean strict = false;
    int iteration = 0;
    for (; iteration < maxIter; iteration++) {
      toFloat(centers, centersF);
      assigner.assign(centersF, labels);

      updateClusterSums(x, n, d, labels, summedLabels, labelSums, labelCounts);
      System.arraycopy(labelSums, 0, sums, 0, k * d);
      System.arraycopy(labelCounts, 0, weights, 0, k);
      relocateEmptyClusters(data, centers, sums, weights, labels, k);

      double shift = 0;
      for (int j = 0; j < k; j++) {
        double scale = weights[j] > 0 ? 1.0 / weights[j] : 0.0;
        for (int f = 0; f < d; f++) {
          double updated = sums[j * d + f] * scale;
          double delta = updated - centers[j * d + f];
          shift += delta * delta;
          centers[j * d + f] = updated;
        }
      }

      if (Arrays.equals(labels, labelsOld)) {
        strict = true;
        break;
      }
      if (shift <= tolerance) {
        break;
      }
      System.arraycopy(labels, 0, labelsOld, 0, n);
    }
    // sklearn reports i + 1 for the loop variable i, which ends at maxIter - 1 without a break.
    int iterations = Math.min(iteration + 1, maxIter);
    if (!strict) {
      toFloat(centers, centersF);
      assigner.assign(centersF, labels);
    }
    return new Run(labels, centers, inertia(data, centers, labels), iterations);
  }

  /**
   * Brings per-cluster sums and counts in line with {@code labels}. When few samples changed
   * cluster (the usual case after the first iterations) only they are moved, which costs {@code
   * changed * d} instead of {@code n * d}; otherwise the sums are rebuilt. Either way the sums are
   * exact to double rounding, far below the float precision of the data.
   */
  private static void updateClusterSums(
      float[] x, int n, int d, int[] labels, int[] summedLabels, double[] sums, double[] counts) {
    int changed = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] != summedLabels[i]) {
        changed++;
      }
    }
    if (changed == 0) {
      return;
    }
    if (changed > n / 4) {
      Arrays.fill(sums, 0);
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        addRow(x, i * d, sums, labels[i] * d, d, 1.0);
        counts[labels[i]] += 1;
      }
    } else {
      for (int i = 0; i < n; i++) {
        int from = summedLabels[i];
        int to = labels[i];
        if (from != to) {
          addRow(x, i * d, sums, from * d, d, -1.0);
          addRow(x, i * d, sums, to * d, d, 1.0);
          counts[from] -= 1;
          counts[to] += 1;
        }
      }
    }
    System.arraycopy(labels, 0, summedLabels, 0, n);
  }

  private static void addRow(float[] x, int xo, double[] sums, int so, int d, double sign) {
    for (int f = 0; f < d; f++) {
      sums[so + f] += sign * x[xo + f];
    }
  }

  /**
   * sklearn's {@code _relocate_empty_clusters_dense}: each empty cluster takes one of the samples
   * farthest from their (previous) centre, farthest first (ties: lower index first).
   */
  private static void relocateEmptyClusters(
      Data data, double[] centersOld, double[] sums, double[] weights, int[] labels, int k) {
    int empty = 0;
    for (int j = 0; j < k; j++) {
      if (weights[j] == 0) {
        empty++;
      }
    }
    if (empty == 0) {
      return;
    }
    int n = data.n;
    int d = data.d;
    float[] x = data.x;
    double[] dist = new double[n];
    double max = 0;
    for (int i = 0; i < n; i++) {
      dist[i] = squaredDistance(x, i * d, centersOld, labels[i] * d, d);
      max = Math.max(max, dist[i]);
    }
    if (max == 0) {
      // More clusters than distinct points: relocating cannot help.
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : compareFarthest(dist, a, b));
    int next = 0;
    for (int j = 0; j < k; j++) {
      if (weights[j] != 0) {
        continue;
      }
      int far = order[next++];
      int old = labels[far];
      for (int f = 0; f < d; f++) {
        double v = x[far * d + f];
        sums[old * d + f] -= v;
        sums[j * d + f] = v;
      }
      weights[j] = 1;
      weights[old] -= 1;
    }
  }

  private static int compareFarthest(double[] dist, int a, int b) {
    int byDistance = Double.compare(dist[b], dist[a]);
    return byDistance != 0 ? byDistance : Integer.compare(a, b);
  }

  /** Sum of squared distances of samples to their assigned centres, computed directly. */
  private static double inertia(Data data, double[] centers, int[] labels) {
    double total = 0;
    for (int i = 0; i < data.n; i++) {
      total += squaredDistance(data.x, i * data.d, centers, labels[i] * data.d, data.d);
    }
    return total;
  }

  /** {@code ||x[xo..] - c[co..]||^2} in double; four accumulators to hide add latency. */
  static double squaredDistance(float[] x, int xo, double[] c, int co, int d) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int f = 0;
    for (; f + 3 < d; f += 4) {
      double e0 = x[xo + f] - c[co + f];
      double e1 = x[xo + f + 1] - c[co + f + 1];
      double e2 = x[xo + f + 2] - c[co + f + 2];
      double e3 = x[xo + f + 3] - c[co + f + 3];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    for (; f < d; f++) {
      double e = x[xo + f] - c[co + f];
      s0 += e * e;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** As {@link #squaredDistance(float[], int, double[], int, int)} for float centres. */
  static double squaredDistance(float[] x, int xo, float[] c, int co, int d) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int f = 0;
    for (; f + 3 < d; f += 4) {
      double e0 = (double) x[xo + f] - c[co + f];
      double e1 = (double) x[xo + f + 1] - c[co + f + 1];
      double e2 = (double) x[xo + f + 2] - c[co + f + 2];
      double e3 = (double) x[xo + f + 3] - c[co + f + 3];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    for (; f < d; f++) {
      double e = (double) x[xo + f] - c[co + f];
      s0 += e * e;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** sklearn's {@code _is_same_clustering}: does one labelling map onto the other? */
  static boolean sameClustering(int[] a, int[] b, int k) {
    int[] mapping = new int[k];
    Arrays.fill(mapping, -1);
    for (int i = 0; i < a.length; i++) {
      if (mapping[a[i]] == -1) {
        mapping[a[i]] = b[i];
      } else if (mapping[a[i]] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /** numpy's {@code searchsorted(a, v, side="left")}: first index with {@code a[i] >= v}. */
  private static int searchLeft(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
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

  private static void copyRow(float[] x, int row, int d, double[] dst, int dstOffset) {
    for (int f = 0; f < d; f++) {
      dst[dstOffset + f] = x[row * d + f];
    }
  }

  private static void toFloat(double[] src, float[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = (float) src[i];
    }
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e;
    }
    return s;
  }

  static void requireFinite(FloatMatrix x, String what) {
    float[] v = x.data();
    int d = x.cols();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(
            what
                + " has a non-finite value ("
                + v[i]
                + ") at row "
                + (i / d)
                + ", column "
                + (i % d)
                + "; remove or impute NaN/Inf values first");
      }
    }
  }

  /** Column-centred float copy of the data, row norms and the mean feature variance. */
  static final class Data {
    final int n;
    final int d;
    final float[] x;
    final double[] mean;
    final double[] norms;
    final double meanVariance;

    private Data(int n, int d, float[] x, double[] mean, double[] norms, double meanVariance) {
      this.n = n;
      this.d = d;
      this.x = x;
      this.mean = mean;
      this.norms = norms;
      this.meanVariance = meanVariance;
    }

    static Data of(FloatMatrix m) {
      int n = m.rows();
      int d = m.cols();
      float[] src = m.data();
      double[] mean = new double[d];
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < d; f++) {
          mean[f] += src[i * d + f];
        }
      }
      for (int f = 0; f < d; f++) {
        mean[f] /= n;
      }
      float[] x = new float[n * d];
      double[] norms = new double[n];
      double sumSquares = 0;
      for (int i = 0; i < n; i++) {
        double norm = 0;
        for (int f = 0; f < d; f++) {
          double centred = src[i * d + f] - mean[f];
          sumSquares += centred * centred;
          float v = (float) centred;
          x[i * d + f] = v;
          norm += (double) v * v;
        }
        norms[i] = norm;
      }
      // np.mean(np.var(X, axis=0)) = sum of squared deviations / (n * d)
      return new Data(n, d, x, mean, norms, sumSquares / ((double) n * d));
    }
  }

  /** The outcome of one restart, in centred coordinates. */
  record Run(int[] labels, double[] centers, double inertia, int iterations) {}
}
