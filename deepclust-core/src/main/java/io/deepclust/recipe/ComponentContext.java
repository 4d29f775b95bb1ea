package io.deepclust.recipe;

import io.deepclust.cluster.HeadClusterer;
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
 * @param head the trained clustering head of the model (DEC, IDEC, DCEC), or null when the model
 *     has none or it is not trained yet (for {@link HeadClustererSpec})
 */
public record ComponentContext(
    long seed, Map<String, FloatMatrix> phaseCentres, HeadClusterer head) {

  public ComponentContext {
    phaseCentres = Map.copyOf(Objects.requireNonNull(phaseCentres, "phaseCentres"));
  }

  /** A context with no phase centres and no head. */
  public ComponentContext(long seed) {
    this(seed, Map.of(), null);
  }

  /** A context with phase centres and no head. */
  public ComponentContext(long seed, Map<String, FloatMatrix> phaseCentres) {
    this(seed, phaseCentres, null);
  }

  /** This context with {@code trained} as the model's head. */
  public ComponentContext withHead(HeadClusterer trained) {
    return new ComponentContext(seed, phaseCentres, trained);
  }
}
