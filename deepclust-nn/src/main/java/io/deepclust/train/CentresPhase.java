package io.deepclust.train;

import io.deepclust.linalg.FloatMatrix;

/**
 * A {@link Phase} that keeps hard cluster centres in the embedding space (e.g. {@link
 * EmbeddedKMeansPhase}, paper 004), so that a run can label the final embedding by the phase's own
 * centres (the recipe's {@code phase_centres} clusterer) rather than by a fresh clustering.
 */
public interface CentresPhase extends Phase {

  /**
   * The phase's current centres: after its last epoch, the ones the run should label with.
   *
   * @return {@code k x d}, or null before the phase has started (and after a resume that did not
   *     restore this phase's state)
   */
  FloatMatrix centres();
}
