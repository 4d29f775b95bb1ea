package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Arrays;
import java.util.Locale;

/**
 * A fitted {@link Umap}: the embedding of the fitted points, and {@link #transform} of new points
 * into it (umap-learn's {@code UMAP.transform}).
 *
 * <p>{@code transform} of the fitted matrix itself (same values) returns the fitted embedding, as
 * {@code fit_transform} does. New points are placed as follows: their {@code nNeighbors} nearest
 * fitted points (exact search); memberships with {@code rho = 0} (a new point is not its own
 * neighbour: umap-learn lowers the local connectivity by one) and sigma by the same binary search
 * to {@code log2(nNeighbors)}; a start at the membership-weighted mean of the neighbours' embedding
 * coordinates; then the same SGD moving only the new points against the fixed fitted embedding, for
 * a third of the fit's epochs when {@code n_epochs} was set, else 100 epochs for up to 10,000 new
 * points and 30 above.
 */
public final class UmapModel implements FittedReducer {
  private final UmapConfig config;
  private final FloatMatrix data;
  private final FloatMatrix embedding;
  private final UmapCurve curve;
  private final int epochs;
  private final String initUsed;
  private final int graphEdges;
  private final Umap.Timings timings;

  UmapModel(
      UmapConfig config,
      FloatMatrix data,
      FloatMatrix embedding,
      UmapCurve curve,
      int epochs,
      String initUsed,
      int graphEdges,
      Umap.Timings timings) {
    this.config = config;
    this.data = data;
    this.embedding = embedding;
    this.curve = curve;
    this.epochs = epochs;
    this.initUsed = initUsed;
    this.graphEdges = graphEdges;
    this.timings = timings;
  }

  /** The {@code n x nComponents} embedding of the fitted points (shared, not copied). */
  public FloatMatrix embedding() {
    return embedding;
  }

  public UmapCurve curve() {
    return curve;
  }

  /** SGD epochs of the fit. */
  public int epochs() {
    return epochs;
  }

  /** The initialisation actually used (with the reason when spectral fell back). */
  public String initUsed() {
    return initUsed;
  }

  /** Non-zero entries of the symmetric fuzzy graph. */
  public int graphEdges() {
    return graphEdges;
  }

  public Umap.Timings timings() {
    return timings;
  }

  /**
   * Maps rows into the fitted embedding.
   *
   * @param x {@code m x d} with the fitted {@code d}, finite
   * @return {@code m x nComponents}; a copy of {@link #embedding()} when {@code x} holds the fitted
   *     points
   * @throws IllegalArgumentException if {@code d} differs or values are not finite
   */
  @Override
  public FloatMatrix transform(FloatMatrix x) {
    if (x.cols() != data.cols()) {
      throw new IllegalArgumentException(
          "UMAP transform: rows have "
              + x.cols()
              + " dimensions but the model was fitted on "
              + data.cols());
    }
    if (x == data || (x.rows() == data.rows() && Arrays.equals(x.data(), data.data()))) {
      return embedding.copy();
    }
    Umap.checkFinite(x, "transform input");
    int m = x.rows();
    int dim = embedding.cols();
    int k = Math.min(config.nNeighbors(), data.rows());
    KnnGraph knn =
        new ExactNeighbors(new BlockedMatrixProducts(config.threads()), config.threads())
            .query(data, x, k);
    FuzzySimplicialSet.Smooth smooth = FuzzySimplicialSet.smoothKnn(knn, k, 0);
    float[] w = FuzzySimplicialSet.memberships(knn, smooth);
    float[] y = new float[m * dim];
    float[] e = embedding.data();
    for (int i = 0; i < m; i++) {
      double total = 0;
      for (int j = 0; j < k; j++) {
        total += w[i * k + j];
      }
      for (int j = 0; j < k; j++) {
        double share = total > 0 ? w[i * k + j] / total : 1.0 / k;
        int o = knn.index(i, j) * dim;
        for (int c = 0; c < dim; c++) {
          y[i * dim + c] += (float) (share * e[o + c]);
        }
      }
    }
    int transformEpochs =
        config.nEpochs() != null ? Math.max(1, config.nEpochs() / 3) : (m <= 10_000 ? 100 : 30);
    int[] rowStart = new int[m + 1];
    for (int i = 0; i <= m; i++) {
      rowStart[i] = i * k;
    }
    Umap.Edges edges = Umap.Edges.of(rowStart, knn.indices(), w, m, transformEpochs);
    try (WorkerPool pool = new WorkerPool(config.threads(), "umap-transform")) {
      UmapLayout.optimise(
          y,
          e.clone(),
          dim,
          edges.heads(),
          edges.tails(),
          edges.epochsPerSample(),
          false,
          transformEpochs,
          curve,
          config.learningRate(),
          config.negativeSampleRate(),
          config.repulsionStrength(),
          Seeds.mix(config.seed(), "umap-transform"),
          pool,
          config.parallelLayout());
    }
    return new FloatMatrix(m, dim, y);
  }

  @Override
  public String summary() {
    return String.format(
        Locale.ROOT,
        "UMAP %d x %d -> %d (n_neighbors %d, min_dist %s, spread %s, a %.4f, b %.4f, %d epochs,"
            + " %s init, %d graph edges; kNN %.1f s, graph+init %.1f s, layout %.1f s)",
        data.rows(),
        data.cols(),
        embedding.cols(),
        config.nNeighbors(),
        config.minDist(),
        config.spread(),
        curve.a(),
        curve.b(),
        epochs,
        initUsed,
        graphEdges,
        timings.knnSeconds(),
        timings.graphAndInitSeconds(),
        timings.layoutSeconds());
  }
}
