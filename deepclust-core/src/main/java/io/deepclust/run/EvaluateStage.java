package io.deepclust.run;

import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.report.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scores each method's clustering: external metrics against labels, internal on its features. */
final class EvaluateStage {
  private EvaluateStage() {}

  /**
   * @param rowName the row's name in metrics.json (the method's, or {@code after <phase>})
   * @param truth true labels of the predicted images, or null (external metrics are undefined)
   */
  static RunRecord.Method evaluate(RunContext ctx, Clustering c, int[] truth, String rowName) {
    EvaluationOptions opts =
        EvaluationOptions.defaults()
            .withSilhouetteSample(
                ctx.recipe().evaluation().silhouetteSample(), ctx.recipe().seedValue());
    Map<String, Double> metrics = Evaluation.of(c.features(), truth, c.labels(), opts).metrics();
    Map<String, Double> extra = new LinkedHashMap<>();
    extra.put("inertia", c.fit().inertia());
    extra.put("feature_dim", (double) c.features().cols());
    extra.put("k", (double) c.fit().k());
    Double used = metrics.get(Evaluation.N_CLUSTERS);
    if (used != null && used < c.fit().k()) {
      ctx.info(
          String.format(
              java.util.Locale.ROOT,
              "warning: %s uses only %d of its %d clusters (the clustering collapsed or clusters"
                  + " emptied)",
              rowName,
              used.intValue(),
              c.fit().k()));
    }
    // fewer than k when clusters ended empty (duplicate points, collapsed embeddings)
    extra.put("distinct_clusters", (double) c.fit().distinctClusters());
    return new RunRecord.Method(
        rowName, metrics, c.method().paper(), extra, c.method().fitOn(), c.method().predictOn());
  }
}
