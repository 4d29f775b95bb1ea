package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/**
 * Learns a map from {@code d}-dimensional features to fewer dimensions (PCA, UMAP, ...), the step
 * between embeddings and the clusterer. Implementations are configured once and may be fitted many
 * times; each fit returns an independent {@link FittedReducer}.
 */
public interface Reducer {

  /**
   * Fits the reduction to the rows of {@code x}.
   *
   * @param x {@code n x d} samples, not modified
   * @return the fitted map, which can transform {@code x} and new rows with the same {@code d}
   * @throws IllegalArgumentException if {@code x} cannot be reduced as configured (e.g. more
   *     components than {@code min(n, d)}); the message says what to change
   */
  FittedReducer fit(FloatMatrix x);

  /** The reducer that keeps features as they are. */
  static Reducer identity() {
    return x -> FittedReducer.IDENTITY;
  }
}
