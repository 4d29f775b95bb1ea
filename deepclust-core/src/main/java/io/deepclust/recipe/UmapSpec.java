package io.deepclust.recipe;

import io.deepclust.reduce.Reducer;
import io.deepclust.reduce.Umap;
import io.deepclust.reduce.UmapConfig;

/**
 * {@code type: umap}: UMAP (McInnes et al. 2018) with umap-learn's semantics ({@link Umap}); new
 * images are placed into the fitted map by {@code transform}, so {@code predict_on} works.
 *
 * @param nNeighbors neighbourhood size including the point itself (default 15, at least 2, fewer
 *     than the images)
 * @param nComponents output dimensions (default 2)
 * @param minDist how tightly points pack, {@code 0 <= min_dist <= spread} (default 0.1; N2D uses 0)
 * @param spread scale of the embedded points (default 1.0)
 * @param metric {@code euclidean} (the only one)
 * @param init {@code spectral} (default; PCA for a disconnected graph), {@code pca} or {@code
 *     random}
 * @param nEpochs SGD epochs (default: 500 up to 10,000 images, 200 above)
 * @param learningRate the layout's initial SGD step, decaying linearly to 0 (default 1.0), &gt; 0
 * @param negativeSampleRate negative samples per positive sample (default 5), at least 1; more
 *     preserve the nearest neighbours better at a cost in time (docs/RESULTS.md, "Our UMAP")
 * @param repulsionStrength weight of the negative samples (default 1.0), &gt; 0
 * @param seed the reducer's seed (default: the recipe's seed)
 * @param parallel false (default): the SGD layout runs on all cores in fixed blocks of points and
 *     the run repeats exactly at any thread count; true: the layout runs lock-free on all cores
 *     ("Hogwild", as umap-learn's parallel mode), not repeatable (threads race on shared
 *     coordinates)
 */
public record UmapSpec(
    Integer nNeighbors,
    Integer nComponents,
    Double minDist,
    Double spread,
    String metric,
    String init,
    Integer nEpochs,
    Double learningRate,
    Integer negativeSampleRate,
    Double repulsionStrength,
    Long seed,
    Boolean parallel)
    implements ReducerSpec {

  /** Fills defaults; checks ranges. */
  public UmapSpec {
    nNeighbors = Checks.orDefault(nNeighbors, 15);
    Checks.require(
        nNeighbors >= 2, "n_neighbors", "use at least 2 (typically 15), got " + nNeighbors);
    nComponents = Checks.orDefault(nComponents, 2);
    Checks.require(nComponents >= 1, "n_components", "use at least 1, got " + nComponents);
    spread = Checks.orDefault(spread, 1.0);
    Checks.require(
        spread > 0 && Double.isFinite(spread), "spread", "use a finite value > 0, got " + spread);
    minDist = Checks.orDefault(minDist, 0.1);
    Checks.require(
        minDist >= 0 && minDist <= spread,
        "min_dist",
        "use 0 <= min_dist <= spread (" + spread + "), got " + minDist);
    metric = Checks.orDefault(metric, "euclidean");
    Checks.require(
        metric.equals("euclidean"),
        "metric",
        "'" + metric + "' is not supported; UMAP here is Euclidean only (metric: euclidean)");
    init = Checks.orDefault(init, "spectral");
    Checks.require(
        init.equals("spectral") || init.equals("pca") || init.equals("random"),
        "init",
        "'" + init + "' is not one of spectral, pca, random");
    Checks.require(
        nEpochs == null || nEpochs >= 1, "n_epochs", "use at least 1 epoch, got " + nEpochs);
    learningRate = Checks.orDefault(learningRate, 1.0);
    Checks.require(
        learningRate > 0 && Double.isFinite(learningRate),
        "learning_rate",
        "use a finite value > 0 (umap-learn's default 1.0), got " + learningRate);
    negativeSampleRate = Checks.orDefault(negativeSampleRate, 5);
    Checks.require(
        negativeSampleRate >= 1,
        "negative_sample_rate",
        "use at least 1 (umap-learn's default 5), got " + negativeSampleRate);
    repulsionStrength = Checks.orDefault(repulsionStrength, 1.0);
    Checks.require(
        repulsionStrength > 0 && Double.isFinite(repulsionStrength),
        "repulsion_strength",
        "use a finite value > 0 (umap-learn's default 1.0), got " + repulsionStrength);
    parallel = Checks.orDefault(parallel, false);
  }

  @Override
  public int checkFits(int rows, int dims) {
    Checks.require(
        nNeighbors < rows,
        "n_neighbors",
        nNeighbors + " needs more than " + nNeighbors + " images, got " + rows + "; lower it");
    return nComponents;
  }

  /** The algorithm's settings for a run with {@code recipeSeed}. */
  public UmapConfig config(long recipeSeed) {
    return UmapConfig.defaults()
        .withNNeighbors(nNeighbors)
        .withNComponents(nComponents)
        .withSpread(spread)
        .withMinDist(minDist)
        .withInit(UmapConfig.Init.parse(init))
        .withNEpochs(nEpochs)
        .withLearningRate(learningRate)
        .withNegativeSampleRate(negativeSampleRate)
        .withRepulsionStrength(repulsionStrength)
        .withSeed(seed != null ? seed : recipeSeed)
        // all cores: neighbours, spectral init and the blocked layout give the same result for
        // any count; only parallel (Hogwild) does not repeat
        .withThreads(Runtime.getRuntime().availableProcessors())
        .withParallelLayout(parallel);
  }

  @Override
  public Reducer build(ComponentContext context) {
    return new Umap(config(context.seed()));
  }
}
