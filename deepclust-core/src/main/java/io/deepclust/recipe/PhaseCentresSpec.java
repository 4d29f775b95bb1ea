package io.deepclust.recipe;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.Clusterer;
import io.deepclust.cluster.KMeans;
import io.deepclust.linalg.FloatMatrix;

/**
 * {@code type: phase_centres}: labels each embedding by the nearest of the centres a training phase
 * ended with (e.g. {@code embedded_kmeans}, paper 004: the phase's own final assignment), with no
 * clustering of its own. Use it with {@code reduce: none} on the encoder's embedding.
 *
 * @param phase the name of the phase whose centres label the images (default {@code
 *     embedded_kmeans}); it must keep centres and have run
 * @param k the phase's number of clusters (default 10), checked against its centres
 */
public record PhaseCentresSpec(String phase, Integer k) implements ClustererSpec {

  /** Fills defaults; checks values. */
  public PhaseCentresSpec {
    phase = Checks.orDefault(phase, "embedded_kmeans");
    Checks.requireFileName(phase, "phase");
    k = Checks.orDefault(k, 10);
    Checks.require(k >= 2, "k", "use at least 2 clusters, got " + k);
  }

  @Override
  public Clusterer build(ComponentContext context) {
    FloatMatrix centres = context.phaseCentres().get(phase);
    if (centres == null) {
      throw new IllegalArgumentException(
          "phase: no centres of a phase named '"
              + phase
              + "' (known: "
              + context.phaseCentres().keySet()
              + "); name a phase that keeps centres (type embedded_kmeans) and runs before"
              + " this method is evaluated");
    }
    if (centres.rows() != k) {
      throw new IllegalArgumentException(
          "k: " + k + " differs from the " + centres.rows() + " centres of phase '" + phase + "'");
    }
    return x -> {
      if (x.cols() != centres.cols()) {
        throw new IllegalArgumentException(
            "phase_centres: the features have "
                + x.cols()
                + " columns but phase '"
                + phase
                + "' has centres of width "
                + centres.cols()
                + "; use reduce: none on the encoder's embedding");
      }
      int[] labels = KMeans.predict(centres, x);
      double inertia = 0;
      for (int i = 0; i < x.rows(); i++) {
        for (int f = 0; f < x.cols(); f++) {
          double d = (double) x.get(i, f) - centres.get(labels[i], f);
          inertia += d * d;
        }
      }
      return new ClusterResult(labels, centres.copy(), inertia, 0, 0);
    };
  }
}
