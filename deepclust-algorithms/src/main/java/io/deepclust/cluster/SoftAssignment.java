package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import java.util.Locale;
import java.util.Objects;

/**
 * The soft cluster assignment of a clustering head and DEC's target distribution, in plain Java
 * (the training phase computes the same with libtorch; these are the reference and the
 * whole-data-set versions).
 *
 * <p>Sources: Xie, Girshick and Farhadi, "Unsupervised Deep Embedding for Clustering Analysis",
 * ICML 2016, eq. 1 (q) and eq. 3 (p); paper 003 (../shared/papers/003_*.txt), eq. 1, which writes
 * the kernel with exponent -1 and α = 2.
 */
public final class SoftAssignment {
  private SoftAssignment() {}

  /** How the similarity of an embedding z to a centre μ falls with the distance. */
  public enum Kernel {
    /**
     * Student's t with α degrees of freedom, DEC eq. 1: {@code (1 + ‖z − μ‖²/α)^(−(α+1)/2)}; α = 1
     * in DEC, IDEC and DCEC.
     */
    STUDENT_T,
    /** Paper 003's eq. 1 as written: {@code (1 + ‖z − μ‖²/α)^(−1)}, whatever α. */
    INVERSE;

    /** Parses "student_t" or "inverse" (any case). */
    public static Kernel parse(String text) {
      String s = Objects.requireNonNull(text, "kernel").trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "student_t" -> STUDENT_T;
        case "inverse" -> INVERSE;
        default ->
            throw new IllegalArgumentException(
                "unknown kernel '" + text + "'; use student_t (DEC) or inverse (paper 003)");
      };
    }

    /** The exponent applied to {@code 1 + ‖z − μ‖²/α}. */
    public double exponent(double alpha) {
      return this == STUDENT_T ? -(alpha + 1) / 2 : -1;
    }

    /** The name used in recipes. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Soft assignments q (eq. 1): {@code q_ij = K(z_i, μ_j) / Σ_j' K(z_i, μ_j')}.
   *
   * @param z {@code n x d} embeddings
   * @param centres {@code k x d} cluster centres μ
   * @param alpha α &gt; 0
   * @param kernel the kernel K
   * @return {@code n x k}, rows summing to 1
   * @throws IllegalArgumentException if the widths differ or α is not positive and finite
   */
  public static FloatMatrix q(FloatMatrix z, FloatMatrix centres, double alpha, Kernel kernel) {
    checkAlpha(alpha);
    if (z.cols() != centres.cols()) {
      throw new IllegalArgumentException(
          "embeddings have " + z.cols() + " columns but the centres " + centres.cols());
    }
    int n = z.rows();
    int k = centres.rows();
    int d = z.cols();
    double exponent = kernel.exponent(alpha);
    float[] out = new float[n * k];
    double[] kv = new double[k];
    float[] zd = z.data();
    float[] cd = centres.data();
    for (int i = 0; i < n; i++) {
      int zo = i * d;
      double sum = 0;
      for (int j = 0; j < k; j++) {
        int co = j * d;
        double dist = 0;
        for (int c = 0; c < d; c++) {
          double diff = (double) zd[zo + c] - cd[co + c];
          dist += diff * diff;
        }
        kv[j] = Math.pow(1 + dist / alpha, exponent);
        sum += kv[j];
      }
      for (int j = 0; j < k; j++) {
        out[i * k + j] = (float) (kv[j] / sum);
      }
    }
    return new FloatMatrix(n, k, out);
  }

  /**
   * DEC's auxiliary target distribution (eq. 3): {@code p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² /
   * f_j')} with the soft cluster frequencies {@code f_j = Σ_i q_ij}, over all rows of q (DEC
   * computes it on the whole training set, not per batch).
   *
   * @param q {@code n x k} soft assignments, rows summing to 1
   * @return {@code n x k}, rows summing to 1
   * @throws IllegalArgumentException if q has a negative or non-finite value
   */
  public static FloatMatrix targetDistribution(FloatMatrix q) {
    int n = q.rows();
    int k = q.cols();
    float[] qd = q.data();
    double[] f = new double[k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        float v = qd[i * k + j];
        if (!(v >= 0) || Float.isInfinite(v)) {
          throw new IllegalArgumentException("q[" + i + "][" + j + "] = " + v + " is not >= 0");
        }
        f[j] += v;
      }
    }
    float[] out = new float[n * k];
    double[] w = new double[k];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = 0; j < k; j++) {
        double v = qd[i * k + j];
        // an unused cluster (f_j = 0) gets no target mass rather than 0/0
        w[j] = f[j] > 0 ? v * v / f[j] : 0;
        sum += w[j];
      }
      for (int j = 0; j < k; j++) {
        out[i * k + j] = sum > 0 ? (float) (w[j] / sum) : 1f / k;
      }
    }
    return new FloatMatrix(n, k, out);
  }

  /**
   * The most probable cluster of each row (first on ties).
   *
   * @param q {@code n x k} soft assignments
   * @return length n, values in {@code [0, k)}
   */
  public static int[] argmax(FloatMatrix q) {
    int n = q.rows();
    int k = q.cols();
    float[] qd = q.data();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (qd[i * k + j] > qd[i * k + best]) {
          best = j;
        }
      }
      labels[i] = best;
    }
    return labels;
  }

  /**
   * The fraction of positions where two labelings differ, DEC's stopping criterion ("less than tol
   * of points changed cluster assignment between two consecutive iterations").
   *
   * @throws IllegalArgumentException if the lengths differ or are 0
   */
  public static double changedFraction(int[] previous, int[] current) {
    if (previous.length != current.length || current.length == 0) {
      throw new IllegalArgumentException(
          "labelings of length " + previous.length + " and " + current.length);
    }
    int changed = 0;
    for (int i = 0; i < current.length; i++) {
      if (previous[i] != current[i]) {
        changed++;
      }
    }
    return (double) changed / current.length;
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be > 0 and finite, got " + alpha);
    }
  }

  /**
   * Paper 002's soft assignment {@code q_ij = softmax_j(-||x_i - c_j||^2)}, computed in double
   * (shifted by the smallest distance, so no underflow to 0/0).
   *
   * @param centers {@code k x d}
   * @param x {@code m x d}
   * @return {@code m x k}, rows sum to 1
   * @throws IllegalArgumentException if the dimensions differ
   */
  public static FloatMatrix softmaxOfNegativeSquaredDistances(FloatMatrix centers, FloatMatrix x) {
    Objects.requireNonNull(centers, "centers");
    Objects.requireNonNull(x, "x");
    int k = centers.rows();
    int d = centers.cols();
    if (x.cols() != d) {
      throw new IllegalArgumentException(
          "samples have " + x.cols() + " columns but the centres have " + d);
    }
    int m = x.rows();
    float[] out = new float[m * k];
    float[] xd = x.data();
    float[] cd = centers.data();
    double[] dist = new double[k];
    for (int i = 0; i < m; i++) {
      double min = Double.POSITIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int f = 0; f < d; f++) {
          double diff = (double) xd[i * d + f] - cd[j * d + f];
          s += diff * diff;
        }
        dist[j] = s;
        min = Math.min(min, s);
      }
      double z = 0;
      for (int j = 0; j < k; j++) {
        dist[j] = Math.exp(min - dist[j]);
        z += dist[j];
      }
      for (int j = 0; j < k; j++) {
        out[i * k + j] = (float) (dist[j] / z);
      }
    }
    return new FloatMatrix(m, k, out);
  }
}
