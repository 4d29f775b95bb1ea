package io.deepclust.metrics;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Internal clustering metrics (features and labels only), numerically matching scikit-learn 1.2.1
 * ({@code sklearn.metrics.cluster._unsupervised}) with Euclidean distances. All accumulate in
 * double. Each needs {@code 2 <= distinct labels <= n - 1}, else {@link IllegalArgumentException}.
 */
public final class InternalMetrics {
  private InternalMetrics() {}

  /**
   * Mean silhouette coefficient (Rousseeuw 1987) over all points, {@code s_i = (b_i - a_i) /
   * max(a_i, b_i)} with a_i the mean distance to the other members of i's cluster and b_i the
   * lowest mean distance to another cluster; points of singleton clusters score 0. Exact (all
   * pairs), multi-threaded, memory O(threads x block x n + n) (block from {@link
   * PairwiseDistanceKernel#rowsPerCall}, about 64 MB per thread), never n x n.
   *
   * @param x {@code n x d} points
   * @param labels n cluster ids (arbitrary ints)
   */
  public static double silhouette(FloatMatrix x, int[] labels) {
    return silhouette(x, labels, SilhouetteOptions.defaults());
  }

  /** {@link #silhouette(FloatMatrix, int[])} with sampling, threads and kernel options. */
  public static double silhouette(FloatMatrix x, int[] labels, SilhouetteOptions options) {
    Objects.requireNonNull(options, "options");
    requireShapes(x, labels, "silhouette");
    if (options.sampleSize() > 0 && options.sampleSize() < x.rows()) {
      int[] subset = sampleWithoutReplacement(x.rows(), options.sampleSize(), options.seed());
      int[] subLabels = new int[subset.length];
      for (int i = 0; i < subset.length; i++) {
        subLabels[i] = labels[subset[i]];
      }
      x = x.selectRows(subset);
      labels = subLabels;
    }
    LabelCoding coding = LabelCoding.of(labels, "labels");
    requireLabelCount(coding.k(), labels.length, "silhouette");
    double[] scores = silhouetteSamples(x, coding, options);
    double sum = 0;
    for (double s : scores) {
      sum += s;
    }
    return sum / scores.length;
  }

  /**
   * Davies-Bouldin index (Davies and Bouldin 1979): mean over clusters of the worst {@code (S_i +
   * S_j) / ||c_i - c_j||}, with S the mean distance of members to their centroid. Lower is better;
   * 0 when all scatters or all centroid distances are ~0 (sklearn's {@code allclose} test).
   */
  public static double daviesBouldin(FloatMatrix x, int[] labels) {
    requireShapes(x, labels, "daviesBouldin");
    LabelCoding coding = LabelCoding.of(labels, "labels");
    int k = coding.k();
    requireLabelCount(k, labels.length, "daviesBouldin");
    int d = x.cols();
    double[][] centroids = centroids(x, coding);
    double[] scatter = new double[k];
    float[] data = x.data();
    for (int i = 0; i < x.rows(); i++) {
      double[] c = centroids[coding.codes[i]];
      double s = 0;
      int off = i * d;
      for (int j = 0; j < d; j++) {
        double diff = data[off + j] - c[j];
        s += diff * diff;
      }
      scatter[coding.codes[i]] += Math.sqrt(s);
    }
    boolean scattersZero = true;
    for (int c = 0; c < k; c++) {
      scatter[c] /= coding.sizes[c];
      scattersZero &= Math.abs(scatter[c]) <= 1e-8;
    }
    double[][] centroidDist = new double[k][k];
    boolean centroidsZero = true;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          double diff = centroids[a][j] - centroids[b][j];
          s += diff * diff;
        }
        centroidDist[a][b] = Math.sqrt(s);
        centroidsZero &= centroidDist[a][b] <= 1e-8;
      }
    }
    if (scattersZero || centroidsZero) {
      return 0.0;
    }
    double sum = 0;
    for (int a = 0; a < k; a++) {
      double worst = Double.NEGATIVE_INFINITY;
      for (int b = 0; b < k; b++) {
        // sklearn sets zero centroid distances (incl. the diagonal) to inf, i.e. ratio 0.
        double ratio =
            centroidDist[a][b] == 0 ? 0.0 : (scatter[a] + scatter[b]) / centroidDist[a][b];
        worst = Math.max(worst, ratio);
      }
      sum += worst;
    }
    return sum / k;
  }

  /**
   * Calinski-Harabasz index (variance ratio criterion, Calinski and Harabasz 1974): {@code [B / (k
   * - 1)] / [W / (n - k)]} with B the between-cluster and W the within-cluster sum of squares.
   * Higher is better; 1.0 when W is 0 (sklearn's convention).
   */
  public static double calinskiHarabasz(FloatMatrix x, int[] labels) {
    requireShapes(x, labels, "calinskiHarabasz");
    LabelCoding coding = LabelCoding.of(labels, "labels");
    int k = coding.k();
    int n = x.rows();
    requireLabelCount(k, n, "calinskiHarabasz");
    int d = x.cols();
    double[][] centroids = centroids(x, coding);
    double[] mean = new double[d];
    float[] data = x.data();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += data[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    double extra = 0;
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = centroids[c][j] - mean[j];
        s += diff * diff;
      }
      extra += coding.sizes[c] * s;
    }
    double intra = 0;
    for (int i = 0; i < n; i++) {
      double[] c = centroids[coding.codes[i]];
      for (int j = 0; j < d; j++) {
        double diff = data[i * d + j] - c[j];
        intra += diff * diff;
      }
    }
    return intra == 0.0 ? 1.0 : extra * (n - k) / (intra * (k - 1.0));
  }

  // ---------------------------------------------------------------------------------------------

  /** Per-point silhouettes; rows are processed in blocks by a pool of workers. */
  private static double[] silhouetteSamples(
      FloatMatrix x, LabelCoding coding, SilhouetteOptions options) {
    int n = x.rows();
    PairwiseDistanceKernel kernel = options.kernel();
    int wanted = options.effectiveThreads();
    // At least ~4 blocks per thread so that workers finish together.
    int balanced = Math.max(4, (n + 4 * wanted - 1) / (4 * wanted));
    int block = Math.max(1, Math.min(Math.min(n, balanced), kernel.rowsPerCall(n, x.cols())));
    int blocks = (n + block - 1) / block;
    double[] scores = new double[n];
    // One distance buffer (block x n floats, up to ~64 MB) per worker, not per block.
    WorkerPool.run(
        blocks,
        wanted,
        "silhouette",
        () -> new Scratch(new float[block * n], new double[coding.k()]),
        (scratch, b) -> {
          int start = b * block;
          int end = Math.min(n, start + block);
          kernel.squaredDistances(x, start, end, x, scratch.dist);
          for (int i = start; i < end; i++) {
            scores[i] =
                silhouetteOfRow(scratch.dist, (i - start) * n, n, i, coding, scratch.clusterSums);
          }
        });
    return scores;
  }

  private record Scratch(float[] dist, double[] clusterSums) {}

  /** s_i from one row of squared distances, exactly as sklearn's _silhouette_reduce. */
  private static double silhouetteOfRow(
      float[] dist, int off, int n, int i, LabelCoding coding, double[] clusterSums) {
    int[] codes = coding.codes;
    Arrays.fill(clusterSums, 0.0);
    for (int j = 0; j < n; j++) {
      clusterSums[codes[j]] += Math.sqrt(dist[off + j]);
    }
    int own = codes[i];
    int ownSize = coding.sizes[own];
    if (ownSize == 1) {
      return 0.0; // sklearn: 0/0 -> nan -> 0 for singletons
    }
    double a = clusterSums[own] / (ownSize - 1);
    double b = Double.POSITIVE_INFINITY;
    for (int c = 0; c < clusterSums.length; c++) {
      if (c != own) {
        b = Math.min(b, clusterSums[c] / coding.sizes[c]);
      }
    }
    double denom = Math.max(a, b);
    return denom == 0 ? 0.0 : (b - a) / denom;
  }

  private static double[][] centroids(FloatMatrix x, LabelCoding coding) {
    int d = x.cols();
    double[][] c = new double[coding.k()][d];
    float[] data = x.data();
    for (int i = 0; i < x.rows(); i++) {
      double[] ci = c[coding.codes[i]];
      int off = i * d;
      for (int j = 0; j < d; j++) {
        ci[j] += data[off + j];
      }
    }
    for (int k = 0; k < c.length; k++) {
      for (int j = 0; j < d; j++) {
        c[k][j] /= coding.sizes[k];
      }
    }
    return c;
  }

  /** {@code size} distinct indices of 0..n-1, ascending, by a seeded partial Fisher-Yates. */
  static int[] sampleWithoutReplacement(int n, int size, long seed) {
    SplittableRandom random = Seeds.stream(seed, "silhouette-sample");
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    int[] subset = Arrays.copyOf(perm, size);
    Arrays.sort(subset);
    return subset;
  }

  private static void requireShapes(FloatMatrix x, int[] labels, String metric) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(labels, "labels");
    if (x.rows() != labels.length) {
      throw new IllegalArgumentException(
          metric
              + ": x has "
              + x.rows()
              + " rows but labels has "
              + labels.length
              + " entries; give one label per row of x");
    }
  }

  private static void requireLabelCount(int k, int n, String metric) {
    if (k < 2 || k > n - 1) {
      throw new IllegalArgumentException(
          metric
              + ": number of distinct labels is "
              + k
              + " for "
              + n
              + " samples; valid values are 2 to n_samples - 1 (inclusive)"
              + (k < 2
                  ? " - all points are in one cluster, so the metric is undefined"
                  : " - every point is its own cluster, so the metric is undefined"));
    }
  }
}
