package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.reduce.Reducer;

/**
 * A recipe's reducer, chosen by {@code type}. Adding one: a record implementing this interface, its
 * {@link Reducer}, and one line in {@link JsonSubTypes} below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = NoReductionSpec.class, name = "none"),
  @JsonSubTypes.Type(value = PcaSpec.class, name = "pca"),
  @JsonSubTypes.Type(value = UmapSpec.class, name = "umap"),
})
public sealed interface ReducerSpec permits NoReductionSpec, PcaSpec, UmapSpec {

  /** The reducer this record configures. */
  Reducer build(ComponentContext context);

  /**
   * Checks, before anything runs, that the reducer can reduce {@code rows} vectors of {@code dims}
   * dimensions.
   *
   * @return the dimensions it outputs
   * @throws IllegalArgumentException {@code "<field>: <why and the fix>"}
   */
  default int checkFits(int rows, int dims) {
    return dims;
  }
}
