package io.deepclust.run;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.linalg.FloatMatrix;
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
  static List<Clustering> run(RunContext ctx, FloatMatrix embeddings, boolean timed) {
    List<Clustering> out = new ArrayList<>();
    for (MethodSpec m : ctx.recipe().methods()) {
      out.add(run(ctx, m, embeddings, timed));
    }
    return out;
  }

  /** One method. */
  static Clustering run(RunContext ctx, MethodSpec m, FloatMatrix embeddings, boolean timed) {
    long t = System.nanoTime();
    FittedReducer reducer = m.reduce().build(ctx.components()).fit(embeddings);
    FloatMatrix features = reducer.transform(embeddings);
    double reduceSeconds = (System.nanoTime() - t) / 1e9;
    if (reducer != FittedReducer.IDENTITY) {
      ctx.info(
          String.format(
              Locale.ROOT, "%s: %s (%.1f s)", m.name(), reducer.summary(), reduceSeconds));
    }
    t = System.nanoTime();
    ClusterResult clusters = m.cluster().build(ctx.components()).fit(features);
    double clusterSeconds = (System.nanoTime() - t) / 1e9;
    if (timed) {
      ctx.timings().add("reduce", reduceSeconds);
      ctx.timings().add("cluster", clusterSeconds);
    }
    ctx.info(
        String.format(
            Locale.ROOT,
            "%s: %s, k=%d, on %d x %d features: inertia %.1f in %.1f s",
            m.name(),
            RecipeErrors.typeName(m.cluster()),
            clusters.k(),
            features.rows(),
            features.cols(),
            clusters.inertia(),
            clusterSeconds));
    return new Clustering(m, reducer, features, clusters);
  }
}
