package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;

/** Groups the rows of an {@code n x d} matrix into clusters. */
public interface Clusterer {

  /**
   * Clusters the rows of {@code x}.
   *
   * @param x {@code n x d} samples, one per row; not modified
   * @return labels (length n, values in {@code [0, k)}), centres ({@code k x d}) and diagnostics
   * @throws IllegalArgumentException if {@code x} cannot be clustered (too few rows, non-finite
   *     values, ...); the message says what to change
   */
  ClusterResult fit(FloatMatrix x);

  /**
   * Clusters the rows of {@code x} and keeps what labels new rows by this clusterer's own rule (the
   * nearest centre for k-means, the most probable component for a Gaussian mixture).
   *
   * @param x {@code n x d} samples, one per row; not modified
   * @return the fit and its prediction rule
   * @throws IllegalArgumentException as {@link #fit}
   */
  default Fitted fitPredictor(FloatMatrix x) {
    ClusterResult r = fit(x);
    return new Fitted(r, r::predict, null, new ClusterModel.NearestCentre(r.centers()));
  }

  /**
   * The loss per epoch of the last fit, for clusterers trained epoch by epoch (e.g. soft
   * centroids); empty for the others.
   */
  default double[] lossHistory() {
    return new double[0];
  }

  /**
   * A line about the last fit worth a run's log beyond its k and inertia (e.g. how k was chosen),
   * or "" (the default) for none.
   */
  default String lastSummary() {
    return "";
  }

  /**
   * A fitted clusterer.
   *
   * @param result labels of the fitted rows, centres and diagnostics
   * @param predict labels of new rows ({@code m x d}, the fitted d), length m
   * @param predictProba cluster probabilities of new rows, {@code m x k} with rows summing to 1, or
   *     null for a hard clusterer (k-means)
   * @param model the fitted parameters with the same prediction rule, for a model bundle; null when
   *     the clusterer cannot be stored
   */
  record Fitted(
      ClusterResult result,
      java.util.function.Function<FloatMatrix, int[]> predict,
      java.util.function.Function<FloatMatrix, FloatMatrix> predictProba,
      ClusterModel model) {

    /** A fit whose clusterer cannot be stored in a model bundle. */
    public Fitted(
        ClusterResult result,
        java.util.function.Function<FloatMatrix, int[]> predict,
        java.util.function.Function<FloatMatrix, FloatMatrix> predictProba) {
      this(result, predict, predictProba, null);
    }

    /** A fit that labels new rows by {@code model}'s rule. */
    public static Fitted of(ClusterResult result, ClusterModel model) {
      return new Fitted(result, model::predict, model::predictProba, model);
    }
  }
}
