package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.cluster.Clusterer;

/**
 * A recipe's clusterer, chosen by {@code type}. Adding one: a record implementing this interface,
 * its {@link Clusterer}, and one line in {@link JsonSubTypes} below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = KMeansSpec.class, name = "kmeans"),
  @JsonSubTypes.Type(value = SoftCentroidsSpec.class, name = "soft_centroids"),
  @JsonSubTypes.Type(value = GmmSpec.class, name = "gmm"),
  @JsonSubTypes.Type(value = HeadClustererSpec.class, name = "head"),
  @JsonSubTypes.Type(value = PhaseCentresSpec.class, name = "phase_centres"),
  @JsonSubTypes.Type(value = SelectKSpec.class, name = "select_k"),
})
public sealed interface ClustererSpec
    permits KMeansSpec,
        SoftCentroidsSpec,
        GmmSpec,
        HeadClustererSpec,
        PhaseCentresSpec,
        SelectKSpec {

  /** Number of clusters the clusterer makes. */
  Integer k();

  /**
   * Checks, before anything runs, that the clusterer can cluster {@code rows} vectors.
   *
   * @throws IllegalArgumentException {@code "<field>: <why and the fix>"}
   */
  default void checkFits(int rows, int dims) {
    Checks.require(
        k() <= rows,
        "k",
        k()
            + " is more than the "
            + rows
            + " images clustered; use at most "
            + rows
            + ", or cluster more images (data.subset)");
  }

  /** The clusterer this record configures, seeded from {@code context}. */
  Clusterer build(ComponentContext context);
}
