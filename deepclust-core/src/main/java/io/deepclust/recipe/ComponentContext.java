package io.deepclust.recipe;

import io.deepclust.linalg.FloatMatrix;
import java.util.Map;
import java.util.Objects;

/**
 * What a component may take from the run when it is built.
 *
 * @param seed the recipe's seed; a component derives its own streams with {@code Seeds.stream(seed,
 *     purpose)}
 * @param phaseCentres the centres ({@code k x d}) of the training phases that keep them, by phase
 *     name, once those phases have run (for {@link PhaseCentresSpec}); empty before training
 */
public record ComponentContext(long seed, Map<String, FloatMatrix> phaseCentres) {

  public ComponentContext {
    phaseCentres = Map.copyOf(Objects.requireNonNull(phaseCentres, "phaseCentres"));
  }

  /** A context with no phase centres. */
  public ComponentContext(long seed) {
    this(seed, Map.of());
  }
}
