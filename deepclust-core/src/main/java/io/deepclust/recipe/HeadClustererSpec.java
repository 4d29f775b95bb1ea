package io.deepclust.recipe;

import io.deepclust.cluster.Clusterer;

/**
 * {@code type: head}: the clusters of the model's trained clustering head (a {@code dec} phase):
 * each image goes to the argmax of its soft assignment q, and q is its probabilities ({@link
 * io.deepclust.cluster.HeadClusterer}). Needs {@code reduce: {type: none}}, since the head lives in
 * the embedding space.
 *
 * @param k the head's number of clusters (optional; when given it must equal the {@code dec}
 *     phase's k)
 */
public record HeadClustererSpec(Integer k) implements ClustererSpec {

  /** Checks the value. */
  public HeadClustererSpec {
    Checks.require(k == null || k >= 2, "k", "use at least 2 clusters, got " + k);
  }

  @Override
  public void checkFits(int rows, int dims) {
    if (k != null) {
      ClustererSpec.super.checkFits(rows, dims);
    }
  }

  @Override
  public Clusterer build(ComponentContext context) {
    if (context.head() == null) {
      throw new IllegalStateException(
          "cluster type 'head' needs the model's trained clustering head, which this run does not"
              + " have yet; add a phase with a head (type: dec) before using it");
    }
    return context.head();
  }
}
