package io.deepclust.recipe;

import io.deepclust.cluster.HeadClusterer;

/**
 * What a component may take from the run when it is built.
 *
 * @param seed the recipe's seed; a component derives its own streams with {@code Seeds.stream(seed,
 *     purpose)}
 * @param head the trained clustering head of the model (DEC, IDEC, DCEC), or null when the model
 *     has none or it is not trained yet
 */
public record ComponentContext(long seed, HeadClusterer head) {

  /** A context without a trained head. */
  public ComponentContext(long seed) {
    this(seed, null);
  }

  /** This context with {@code trained} as the model's head. */
  public ComponentContext withHead(HeadClusterer trained) {
    return new ComponentContext(seed, trained);
  }
}
