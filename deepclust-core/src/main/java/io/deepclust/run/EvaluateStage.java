package io.deepclust.run;

import io.deepclust.metrics.ConfusionMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.report.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores each method's clustering: external metrics against labels, internal on its features. */
final class EvaluateStage {
  private EvaluateStage() {}

  /** Confused pairs of classes kept per row in metrics.json. */
  static final int CONFUSED_PAIRS = 10;

  /**
   * @param rowName the row's name in metrics.json (the method's, or {@code after <phase>})
   * @param truth true labels of the predicted images, or null (external metrics are undefined)
   * @param classNames names of the class ids (index = id), possibly empty
   */
  static RunRecord.Method evaluate(
      RunContext ctx, Clustering c, int[] truth, List<String> classNames, String rowName) {
    int sample = ctx.recipe().evaluation().silhouetteSample();
    EvaluationOptions opts =
        EvaluationOptions.defaults().withSilhouetteSample(sample, ctx.recipe().seedValue());
    Map<String, Double> metrics = Evaluation.of(c.features(), truth, c.labels(), opts).metrics();
    Map<String, Double> extra = new LinkedHashMap<>();
    // what the silhouette really used: the whole set when it is no larger than the sample
    int n = c.labels().length;
    extra.put("silhouette_points", (double) (sample > 0 && sample < n ? sample : n));
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
        rowName,
        metrics,
        c.method().paper(),
        extra,
        c.method().fitOn(),
        c.method().predictOn(),
        confusedPairs(truth, c.labels(), classNames));
  }

  /** The most confused pairs of classes after the ACC's matching; empty without labels. */
  static List<RunRecord.ConfusedPair> confusedPairs(
      int[] truth, int[] labels, List<String> classNames) {
    List<RunRecord.ConfusedPair> out = new ArrayList<>();
    if (truth == null) {
      return out;
    }
    for (ConfusionMatrix.ConfusedPair p :
        ExternalMetrics.confusionMatrix(truth, labels).confusedPairs(CONFUSED_PAIRS)) {
      out.add(
          new RunRecord.ConfusedPair(
              p.trueClass(),
              name(classNames, p.trueClass()),
              p.predictedClass(),
              name(classNames, p.predictedClass()),
              p.count(),
              p.share()));
    }
    return out;
  }

  private static String name(List<String> names, int id) {
    return names != null && id >= 0 && id < names.size() ? names.get(id) : Integer.toString(id);
  }
}
