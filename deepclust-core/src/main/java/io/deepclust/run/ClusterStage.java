package io.deepclust.run;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.Clusterer;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.ComponentContext;
import io.deepclust.recipe.HeadClustererSpec;
import io.deepclust.recipe.MethodSpec;
import io.deepclust.recipe.RecipeErrors;
import io.deepclust.reduce.FittedReducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs each of the recipe's methods on the embeddings: its reducer, then its clusterer. Knows no
 * particular reducer or clusterer: each spec builds its own.
 */
final class ClusterStage {
  private ClusterStage() {}

  /**
   * @param timed add the seconds to the run's {@code reduce} and {@code cluster} stages (the final
   *     evaluation) rather than only log them (evaluations after a phase)
   */
  static List<Clustering> run(
      RunContext ctx, ComponentContext components, Embeddings embeddings, boolean timed) {
    List<Clustering> out = new ArrayList<>();
    for (MethodSpec m : ctx.recipe().methods()) {
      out.add(run(ctx, components, m, embeddings, timed));
    }
    return out;
  }

  /** One method: fit on its {@code fit_on} embeddings, label its {@code predict_on} ones. */
  static Clustering run(
      RunContext ctx,
      ComponentContext components,
      MethodSpec m,
      Embeddings embeddings,
      boolean timed) {
    FloatMatrix fitOn = embeddings.of(m.fitOn());
    long t = System.nanoTime();
    FittedReducer reducer = m.reduce().build(components).fit(fitOn);
    FloatMatrix fitFeatures = reducer.transform(fitOn);
    double reduceSeconds = (System.nanoTime() - t) / 1e9;
    if (reducer != FittedReducer.IDENTITY) {
      ctx.info(
          String.format(
              Locale.ROOT, "%s: %s (%.1f s)", m.name(), reducer.summary(), reduceSeconds));
    }
    t = System.nanoTime();
    Clusterer clusterer = m.cluster().build(components);
    Clusterer.Fitted fitted = clusterer.fitPredictor(fitFeatures);
    ClusterResult clusters = fitted.result();
    FloatMatrix features = fitFeatures;
    int[] labels = clusters.labels();
    if (!m.predictOn().equals(m.fitOn())) {
      features = reducer.transform(embeddings.of(m.predictOn()));
      labels = fitted.predict().apply(features);
    }
    FloatMatrix probabilities =
        fitted.predictProba() == null ? null : fitted.predictProba().apply(features);
    double clusterSeconds = (System.nanoTime() - t) / 1e9;
    if (timed) {
      ctx.timings().add("reduce", reduceSeconds);
      ctx.timings().add("cluster", clusterSeconds);
    }
    if (m.cluster() instanceof HeadClustererSpec) {
      // the head is trained, not fitted here: it only assigns, by its soft assignment q
      FloatMatrix shown = m.predictOn().equals(m.fitOn()) ? fitFeatures : features;
      ctx.info(
          String.format(
              Locale.ROOT,
              "%s: the trained clustering head (k=%d) assigns %d x %d %s features to its"
                  + " centres (argmax of q): %d clusters in use, in %.1f s",
              m.name(),
              clusters.k(),
              shown.rows(),
              shown.cols(),
              m.predictOn(),
              (int) java.util.Arrays.stream(labels).distinct().count(),
              clusterSeconds));
    } else {
      ctx.info(
          String.format(
              Locale.ROOT,
              "%s: %s, k=%d, fitted on %d x %d %s features%s: %s %.1f in %.1f s",
              m.name(),
              RecipeErrors.typeName(m.cluster()),
              clusters.k(),
              fitFeatures.rows(),
              fitFeatures.cols(),
              m.fitOn(),
              m.predictOn().equals(m.fitOn()) ? "" : ", predicting " + m.predictOn(),
              // k-means minimises the inertia; for the others it is only a diagnostic
              m.cluster() instanceof io.deepclust.recipe.KMeansSpec
                  ? "inertia"
                  : "sum of squared distances to the assigned centres",
              clusters.inertia(),
              clusterSeconds));
    }
    String how = clusterer.lastSummary();
    if (!how.isEmpty()) {
      ctx.info(m.name() + ": " + how);
    }
    clusters
        .fewerClustersWarning()
        .ifPresent(
            w ->
                ctx.info(
                    "warning: "
                        + m.name()
                        + ": "
                        + RecipeErrors.typeName(m.cluster())
                        + " "
                        + w
                        + " (recorded as distinct_clusters in metrics.json)"));
    return new Clustering(
        m,
        reducer,
        clusters,
        features,
        labels,
        clusterer.lossHistory(),
        probabilities,
        fitted.model());
  }
}
