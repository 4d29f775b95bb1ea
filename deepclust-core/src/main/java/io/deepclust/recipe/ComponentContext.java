package io.deepclust.recipe;

import ai.djl.Device;
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
 * @param device the run's device, where libtorch kernels (e.g. randomized PCA's products) run
 */
public record ComponentContext(
    long seed, Map<String, FloatMatrix> phaseCentres, HeadClusterer head, Device device) {

  public ComponentContext {
    phaseCentres = Map.copyOf(Objects.requireNonNull(phaseCentres, "phaseCentres"));
    Objects.requireNonNull(device, "device");
  }

  /** A context on the CPU with no phase centres and no head. */
  public ComponentContext(long seed) {
    this(seed, Map.of());
  }

  /** A context on the CPU with phase centres and no head. */
  public ComponentContext(long seed, Map<String, FloatMatrix> phaseCentres) {
    this(seed, phaseCentres, null, Device.cpu());
  }

  /** This context with {@code trained} as the model's head. */
  public ComponentContext withHead(HeadClusterer trained) {
    return new ComponentContext(seed, phaseCentres, trained, device);
  }
}
