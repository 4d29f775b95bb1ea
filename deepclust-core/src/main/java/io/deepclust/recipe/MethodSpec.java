package io.deepclust.recipe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One clustering method of a recipe: the embeddings go through {@code reduce} into {@code cluster},
 * and the result is one named row of {@code metrics.json}.
 *
 * @param name the row name, e.g. {@code kmeans_pca50}; letters, digits, {@code _ - .}
 * @param reduce the reducer (default {@code none})
 * @param cluster the clusterer (required)
 * @param paper the paper's published values for this row (metric key to value), shown beside the
 *     measured ones in the report (default none)
 */
public record MethodSpec(
    String name, ReducerSpec reduce, ClustererSpec cluster, Map<String, Double> paper) {

  /** Fills defaults; checks the paper's metric keys. */
  public MethodSpec {
    Checks.requireFileName(name, "name");
    reduce = Checks.orDefault(reduce, new NoReductionSpec());
    Checks.require(cluster != null, "cluster", "give a clusterer, e.g. {type: kmeans, k: 10}");
    paper = paper == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(paper));
    for (Map.Entry<String, Double> e : paper.entrySet()) {
      Checks.require(e.getValue() != null, "paper." + e.getKey(), "give a number");
    }
    Recipe.requireMetricKeys(paper, "paper");
  }
}
