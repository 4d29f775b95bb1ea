package io.deepclust.recipe;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.Clusterer;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.FittedReducer;
import io.deepclust.train.ContrastivePhase;

/**
 * Where a contrastive phase's pseudo-labels come from, in place of its default k-means: the phase's
 * embedding goes through {@code reduce} into {@code cluster}, as a method's does, at every
 * pseudo-label refresh. E.g. N2D's clusterer ({@code reduce: {type: umap, n_components: 10,
 * min_dist: 0}, cluster: {type: gmm}}), which labels an autoencoder's embedding of Fashion-MNIST
 * more accurately than k-means does (docs/RESULTS.md, paper 003).
 *
 * <p>Each refresh builds the reducer and clusterer afresh with that refresh's seed (derived from
 * the recipe's seed, the phase and the epoch), unless a component names its own {@code seed}.
 *
 * @param reduce the reducer (default {@code none})
 * @param cluster the clusterer (required): {@code kmeans}, {@code gmm} or {@code soft_centroids};
 *     its {@code k} is the phase's number of pseudo-label clusters
 */
public record PseudoLabelSpec(ReducerSpec reduce, ClustererSpec cluster) {

  /** The clusterers that can label a phase's embedding. */
  static final java.util.List<Class<? extends ClustererSpec>> CLUSTER_TYPES =
      java.util.List.of(KMeansSpec.class, GmmSpec.class, SoftCentroidsSpec.class);

  /** Fills defaults; checks that the clusterer can label an untrained model's embedding. */
  public PseudoLabelSpec {
    reduce = Checks.orDefault(reduce, new NoReductionSpec());
    Checks.require(
        cluster != null, "cluster", "give a clusterer, e.g. {type: gmm, k: 10, n_init: 5}");
    // a head or a phase's centres do not exist while the phase runs; select_k changes k between
    // refreshes, which the phase's collapse warning would misread
    Checks.require(
        CLUSTER_TYPES.contains(cluster.getClass()),
        "cluster",
        "type "
            + RecipeErrors.typeName(cluster)
            + " cannot label a phase's embedding; use kmeans, gmm or soft_centroids");
  }

  /** The number of pseudo-label clusters. */
  public int k() {
    return cluster.k();
  }

  /**
   * Checks, before anything runs, that the reducer and clusterer can label {@code rows} embeddings
   * of {@code dims} dimensions.
   *
   * @throws IllegalArgumentException {@code "<field>: <why and the fix>"}, field relative to this
   *     component
   */
  public void checkFits(int rows, int dims) {
    int reduced;
    try {
      reduced = reduce.checkFits(rows, dims);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reduce." + e.getMessage(), e);
    }
    try {
      cluster.checkFits(rows, reduced);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster." + e.getMessage(), e);
    }
  }

  /** The labeler a contrastive phase calls at each refresh. */
  ContrastivePhase.PseudoLabeler build() {
    return (z, seed) -> label(z, new ComponentContext(seed));
  }

  private ClusterResult label(FloatMatrix z, ComponentContext context) {
    FittedReducer fitted = reduce.build(context).fit(z);
    Clusterer clusterer = cluster.build(context);
    return clusterer.fit(fitted.transform(z));
  }
}
