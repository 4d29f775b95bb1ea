package io.deepclust.run;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.MethodSpec;

/**
 * The embeddings of the run's image sets, by {@link MethodSpec#fitOn()} / {@link
 * MethodSpec#predictOn()} name.
 *
 * @param eval embeddings of the clustered images, {@code n x d}
 * @param train embeddings of the training images, or null when no method uses them
 */
record Embeddings(FloatMatrix eval, FloatMatrix train) {

  /** The embeddings of {@code split} ({@code eval} or {@code train}). */
  FloatMatrix of(String split) {
    FloatMatrix m = split.equals(MethodSpec.TRAIN) ? train : eval;
    if (m == null) {
      throw new IllegalStateException("no embeddings of the " + split + " images were made");
    }
    return m;
  }
}
