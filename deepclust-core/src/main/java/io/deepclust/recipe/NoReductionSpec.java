package io.deepclust.recipe;

import io.deepclust.reduce.Reducer;

/** {@code type: none}: the clusterer sees the embeddings as they are. */
public record NoReductionSpec() implements ReducerSpec {
  @Override
  public Reducer build(ComponentContext context) {
    return Reducer.identity();
  }
}
