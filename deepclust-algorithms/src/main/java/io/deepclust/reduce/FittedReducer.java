package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/** A fitted {@link Reducer}: applies the learnt map to rows of the fitted dimensionality. */
public interface FittedReducer {

  /** The identity map. */
  FittedReducer IDENTITY =
      new FittedReducer() {
        @Override
        public FloatMatrix transform(FloatMatrix x) {
          return x;
        }

        @Override
        public String summary() {
          return "no reduction";
        }
      };

  /**
   * Maps rows.
   *
   * @param x {@code m x d} samples with the fitted {@code d}
   * @return {@code m x k} reduced rows
   */
  FloatMatrix transform(FloatMatrix x);

  /** One line for the run log, e.g. {@code PCA-50 of 784-d keeps 83.2% of the variance}. */
  String summary();
}
