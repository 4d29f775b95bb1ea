package io.deepclust.metrics;

import java.util.Objects;

/**
 * What {@link Evaluation#of} computes.
 *
 * @param silhouette silhouette settings (sampling, threads, kernel); must not be null
 * @param internal whether to compute the internal metrics (silhouette, Davies-Bouldin,
 *     Calinski-Harabasz) when features are given
 */
public record EvaluationOptions(SilhouetteOptions silhouette, boolean internal) {

  public EvaluationOptions {
    Objects.requireNonNull(
        silhouette, "EvaluationOptions.silhouette is null; use SilhouetteOptions.defaults()");
  }

  /** Exact silhouette on all points, all metrics. */
  public static EvaluationOptions defaults() {
    return new EvaluationOptions(SilhouetteOptions.defaults(), true);
  }

  /** A copy with a seeded silhouette subset of {@code sampleSize} points (0 = all). */
  public EvaluationOptions withSilhouetteSample(int sampleSize, long seed) {
    return new EvaluationOptions(silhouette.withSample(sampleSize, seed), internal);
  }
}
