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
 * @param fitOn the images whose embeddings the reducer and clusterer are fitted on: {@code eval}
 *     (default, the clustered images) or {@code train} (the training images)
 * @param predictOn the images that are labelled and evaluated: {@code eval} (default) or {@code
 *     train}; e.g. paper 002 fits on train and reports train and test, as two methods
 */
public record MethodSpec(
    String name,
    ReducerSpec reduce,
    ClustererSpec cluster,
    Map<String, Double> paper,
    String fitOn,
    String predictOn) {

  /** The clustered images ({@code data.eval_split}). */
  public static final String EVAL = "eval";

  /** The training images ({@code data.split}, without the validation part). */
  public static final String TRAIN = "train";

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
    fitOn = Checks.orDefault(fitOn, EVAL);
    predictOn = Checks.orDefault(predictOn, EVAL);
    Checks.require(
        fitOn.equals(EVAL) || fitOn.equals(TRAIN),
        "fit_on",
        "'" + fitOn + "' is not a split; use eval (the clustered images) or train");
    Checks.require(
        predictOn.equals(EVAL) || predictOn.equals(TRAIN),
        "predict_on",
        "'" + predictOn + "' is not a split; use eval (the clustered images) or train");
  }
}
