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
 * <p>A row of {@code transform}'s input that is bit-for-bit equal to a fitted row <em>is</em> that
 * point: it gets the point's fitted coordinates, as {@code fit_transform} gives them, so that
 * {@code deepclust predict} on a run's own images reproduces the run's assignments exactly.
 * (umap-learn's {@code transform} of training rows instead re-places them as new points, which
 * lands near but not on their fitted coordinates; here only the rows that match no fitted row are
 * placed.) Other rows are placed as follows: their {@code nNeighbors} nearest fitted points (exact
 * search); memberships with {@code rho = 0} (a new point is not its own neighbour: umap-learn
 * lowers the local connectivity by one) and sigma by the same binary search to {@code
 * log2(nNeighbors)}; a start at the membership-weighted mean of the neighbours' embedding
 * coordinates; then the same SGD moving only the new points against the fixed fitted embedding, for
 * a third of the fit's epochs when {@code n_epochs} was set, else 100 epochs for up to 10,000 new
 * points and 30 above. As in umap-learn, where a new point lands depends a little on the other new
 * points of the same call (the SGD schedule uses the batch's largest membership, and negative
 * samples are drawn per edge of the batch); it is repeatable for the same batch and seed, at any
 * thread count, unless {@code parallelLayout} (Hogwild) is set.
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

  /** Fitted row index by the row's bits, built on the first transform. */
  private volatile java.util.Map<RowKey, Integer> rowIndex;

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

  /**
   * A fitted model from its stored parts (a model bundle): {@link #transform} then behaves as the
   * original's.
   *
   * @param config the fit's settings
   * @param data the {@code n x d} fitted rows
   * @param embedding their {@code n x nComponents} fitted coordinates
   * @param curve the fitted {@code a, b}
   * @param epochs the fit's SGD epochs
   * @param initUsed the initialisation the fit used (for {@link #summary})
   * @param graphEdges non-zero entries of the fit's graph (for {@link #summary})
   * @throws IllegalArgumentException if the shapes disagree with each other or with {@code config}
   */
  public static UmapModel restore(
      UmapConfig config,
      FloatMatrix data,
      FloatMatrix embedding,
      UmapCurve curve,
      int epochs,
      String initUsed,
      int graphEdges) {
    if (embedding.rows() != data.rows() || embedding.cols() != config.nComponents()) {
      throw new IllegalArgumentException(
          "UMAP model: embedding "
              + embedding
              + " does not match "
              + data.rows()
              + " fitted rows x n_components "
              + config.nComponents());
    }
    if (data.rows() < config.nNeighbors()) {
      throw new IllegalArgumentException(
          "UMAP model: "
              + data.rows()
              + " fitted rows, fewer than n_neighbors "
              + config.nNeighbors());
    }
    return new UmapModel(
        config, data, embedding, curve, epochs, initUsed, graphEdges, new Umap.Timings(0, 0, 0));
  }

  /** The fit's settings. */
  public UmapConfig config() {
    return config;
  }

  /** The {@code n x d} fitted rows (shared, not copied). */
  public FloatMatrix data() {
    return data;
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
    int d = x.cols();
    float[] out = new float[m * dim];
    float[] e = embedding.data();
    java.util.Map<RowKey, Integer> index = rowIndex();
    int[] fresh = new int[m];
    int nFresh = 0;
    for (int i = 0; i < m; i++) {
      Integer j = index.get(new RowKey(x.data(), i * d, d));
      if (j != null) {
        System.arraycopy(e, j * dim, out, i * dim, dim);
      } else {
        fresh[nFresh++] = i;
      }
    }
    if (nFresh > 0) {
      float[] placed = place(nFresh == m ? x : x.selectRows(Arrays.copyOf(fresh, nFresh))).data();
      for (int t = 0; t < nFresh; t++) {
        System.arraycopy(placed, t * dim, out, fresh[t] * dim, dim);
      }
    }
    return new FloatMatrix(m, dim, out);
  }

  private java.util.Map<RowKey, Integer> rowIndex() {
    java.util.Map<RowKey, Integer> index = rowIndex;
    if (index == null) {
      int n = data.rows();
      int d = data.cols();
      index = new java.util.HashMap<>(2 * n);
      for (int i = n - 1; i >= 0; i--) {
        // duplicated fitted rows: the first one's coordinates
        index.put(new RowKey(data.data(), i * d, d), i);
      }
      rowIndex = index;
    }
    return index;
  }

  /** A row of a float matrix compared by its bits (so -0.0 and 0.0 differ, NaN equals itself). */
  private record RowKey(float[] values, int offset, int length) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof RowKey k) || k.length != length) {
        return false;
      }
      for (int c = 0; c < length; c++) {
        if (Float.floatToIntBits(values[offset + c])
            != Float.floatToIntBits(k.values[k.offset + c])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int c = 0; c < length; c++) {
        h = 31 * h + Float.floatToIntBits(values[offset + c]);
      }
      return h;
    }
  }

  /** New points into the fitted embedding (umap-learn's transform; see the class comment). */
  private FloatMatrix place(FloatMatrix x) {
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
          config.parallelLayout(),
          0);
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
