package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import java.util.Objects;

/**
 * What a fitted clusterer keeps to label new rows: its parameters (centres, mixture parameters) and
 * its prediction rule, as plain data that a model bundle stores ({@code io.deepclust.bundle}) and
 * loads again. Labelling with a model equals labelling with the clusterer that fitted it.
 */
public sealed interface ClusterModel {

  /** Number of clusters k. */
  int k();

  /** Dimension d of the rows labelled. */
  int dims();

  /**
   * The cluster of each row.
   *
   * @param x {@code m x d} rows, d = {@link #dims()}
   * @return labels in {@code [0, k)}, length m
   * @throws IllegalArgumentException if x has not d columns
   */
  int[] predict(FloatMatrix x);

  /**
   * Cluster probabilities of each row, or null for a hard clusterer (k-means).
   *
   * @param x {@code m x d} rows
   * @return {@code m x k}, rows summing to 1, or null
   * @throws IllegalArgumentException if x has not d columns
   */
  FloatMatrix predictProba(FloatMatrix x);

  /**
   * k-means: the nearest centre (squared Euclidean, first centre on ties; scikit-learn's {@code
   * KMeans.predict}). Hard.
   *
   * @param centres {@code k x d}
   */
  record NearestCentre(FloatMatrix centres) implements ClusterModel {
    public NearestCentre {
      Objects.requireNonNull(centres, "centres");
    }

    @Override
    public int k() {
      return centres.rows();
    }

    @Override
    public int dims() {
      return centres.cols();
    }

    @Override
    public int[] predict(FloatMatrix x) {
      checkDims(x, dims(), "k-means centres");
      return KMeans.predict(centres, x);
    }

    @Override
    public FloatMatrix predictProba(FloatMatrix x) {
      return null;
    }
  }

  /**
   * Paper 002's soft centroids: the nearest centre, and probabilities {@code q_ij =
   * softmax_j(-||x_i - c_j||^2)} ({@link SoftAssignment#softmaxOfNegativeSquaredDistances}).
   *
   * @param centres {@code k x d}
   */
  record SoftCentroids(FloatMatrix centres) implements ClusterModel {
    public SoftCentroids {
      Objects.requireNonNull(centres, "centres");
    }

    @Override
    public int k() {
      return centres.rows();
    }

    @Override
    public int dims() {
      return centres.cols();
    }

    @Override
    public int[] predict(FloatMatrix x) {
      checkDims(x, dims(), "soft-centroid centres");
      return KMeans.predict(centres, x);
    }

    @Override
    public FloatMatrix predictProba(FloatMatrix x) {
      checkDims(x, dims(), "soft-centroid centres");
      return SoftAssignment.softmaxOfNegativeSquaredDistances(centres, x);
    }
  }

  /**
   * A Gaussian mixture: the most probable component and the responsibilities (scikit-learn's {@code
   * predict} / {@code predict_proba}).
   *
   * @param mixture the fitted parameters
   */
  record Mixture(GaussianMixtureModel mixture) implements ClusterModel {
    public Mixture {
      Objects.requireNonNull(mixture, "mixture");
    }

    @Override
    public int k() {
      return mixture.k();
    }

    @Override
    public int dims() {
      return mixture.dims();
    }

    @Override
    public int[] predict(FloatMatrix x) {
      return mixture.predict(x);
    }

    @Override
    public FloatMatrix predictProba(FloatMatrix x) {
      return mixture.predictProba(x);
    }
  }

  /**
   * A trained clustering head (DEC, IDEC, DCEC): argmax of the soft assignment q, and q itself
   * ({@link SoftAssignment#q}).
   *
   * @param centres {@code k x d} trained centres μ
   * @param alpha the kernel's α &gt; 0
   * @param kernel the kernel
   */
  record Head(FloatMatrix centres, double alpha, SoftAssignment.Kernel kernel)
      implements ClusterModel {
    public Head {
      Objects.requireNonNull(centres, "centres");
      Objects.requireNonNull(kernel, "kernel");
      SoftAssignment.checkAlpha(alpha);
    }

    @Override
    public int k() {
      return centres.rows();
    }

    @Override
    public int dims() {
      return centres.cols();
    }

    @Override
    public int[] predict(FloatMatrix x) {
      return SoftAssignment.argmax(predictProba(x));
    }

    @Override
    public FloatMatrix predictProba(FloatMatrix x) {
      checkDims(x, dims(), "clustering head's centres");
      return SoftAssignment.q(x, centres, alpha, kernel);
    }
  }

  private static void checkDims(FloatMatrix x, int d, String what) {
    Objects.requireNonNull(x, "x");
    if (x.cols() != d) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " are "
              + d
              + "-dimensional but the rows given have "
              + x.cols()
              + " columns; give rows reduced as when the clusterer was fitted");
    }
  }
}
