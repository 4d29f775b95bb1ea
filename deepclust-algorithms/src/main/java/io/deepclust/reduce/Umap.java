package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * UMAP, Uniform Manifold Approximation and Projection (McInnes, Healy and Melville 2018,
 * arXiv:1802.03426), Euclidean metric, following the documented semantics of umap-learn:
 *
 * <ol>
 *   <li>the {@code nNeighbors - 1} nearest other points of each point ({@link NearestNeighbors}:
 *       exact for small inputs, NN-descent for large ones);
 *   <li>the fuzzy simplicial set ({@link FuzzySimplicialSet}: rho, sigma by binary search to {@code
 *       log2(nNeighbors)}, fuzzy union);
 *   <li>{@code a, b} of the embedding similarity fitted from {@code minDist} and {@code spread}
 *       ({@link UmapCurve});
 *   <li>an initial layout ({@link UmapConfig.Init}: spectral by default), scaled so its largest
 *       coordinate is 10, plus N(0, 1e-4^2) noise, then rescaled to [0, 10] per dimension;
 *   <li>SGD with negative sampling ({@link UmapLayout}) for {@link UmapConfig#epochsFor} epochs,
 *       after dropping edges lighter than {@code max(w) / epochs}.
 * </ol>
 *
 * <p>Deterministic for a seed when {@code parallelLayout} is false (the default), whatever {@code
 * threads}: the layout then runs in fixed blocks of points on {@code threads} threads ({@link
 * UmapLayout}). Memory: O(n k) for the graph plus the input; the input is referenced (not copied)
 * by the fitted model for {@link UmapModel#transform}.
 */
public final class Umap implements Reducer {
  static final double INIT_NOISE = 1e-4;

  private final UmapConfig config;
  private final int layoutBlocks;

  public Umap(UmapConfig config) {
    this(config, 0);
  }

  /** With {@code layoutBlocks} blocks in the layout instead of the automatic count (tests). */
  Umap(UmapConfig config, int layoutBlocks) {
    this.config = Objects.requireNonNull(config, "config");
    this.layoutBlocks = layoutBlocks;
  }

  public UmapConfig config() {
    return config;
  }

  /**
   * Fits UMAP to the rows of {@code x}.
   *
   * @param x {@code n x d} finite values, {@code n > nNeighbors}; referenced by the model, so do
   *     not modify it afterwards
   * @return the model holding the {@code n x nComponents} embedding
   * @throws IllegalArgumentException if {@code x} has too few rows or non-finite values
   */
  @Override
  public UmapModel fit(FloatMatrix x) {
    Objects.requireNonNull(x, "x");
    int n = x.rows();
    int dim = config.nComponents();
    if (n <= config.nNeighbors()) {
      throw new IllegalArgumentException(
          "UMAP needs more points than n_neighbors = "
              + config.nNeighbors()
              + ", got "
              + n
              + "; lower n_neighbors or use more points");
    }
    checkFinite(x, "input");
    long t0 = System.nanoTime();
    NearestNeighbors search = neighbourSearch(config);
    KnnGraph knn = search.neighbours(x, config.nNeighbors() - 1);
    long t1 = System.nanoTime();
    FuzzySimplicialSet.Graph graph = FuzzySimplicialSet.build(knn);
    UmapCurve curve = UmapCurve.fit(config.spread(), config.minDist());
    int epochs = config.epochsFor(n);
    String initUsed;
    float[] y;
    try (WorkerPool pool = new WorkerPool(config.threads(), "umap")) {
      double[] start = null;
      initUsed = config.init().name().toLowerCase(java.util.Locale.ROOT);
      if (config.init() == UmapConfig.Init.SPECTRAL) {
        start = SpectralInit.layout(graph, dim, config.seed(), pool);
        if (start == null) {
          initUsed = "pca (graph has " + SpectralInit.components(graph) + " components)";
        }
      }
      if (start == null && config.init() != UmapConfig.Init.RANDOM) {
        start = pcaStart(x, dim);
        if (start == null) {
          initUsed = "random (input has fewer than " + dim + " dimensions)";
        }
      }
      SplittableRandom rng = Seeds.stream(config.seed(), "umap-init");
      if (start == null) {
        start = new double[n * dim];
        for (int i = 0; i < start.length; i++) {
          start[i] = rng.nextDouble() * 20 - 10;
        }
      } else {
        noisyScale(start, rng);
      }
      y = rescale(start, n, dim);
      long t2 = System.nanoTime();
      Edges edges = Edges.of(graph, epochs);
      UmapLayout.optimise(
          y,
          y,
          dim,
          edges.heads,
          edges.tails,
          edges.epochsPerSample,
          true,
          epochs,
          curve,
          config.learningRate(),
          config.negativeSampleRate(),
          config.repulsionStrength(),
          Seeds.mix(config.seed(), "umap-layout"),
          pool,
          config.parallelLayout(),
          layoutBlocks);
      long t3 = System.nanoTime();
      Timings timings = new Timings((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
      return new UmapModel(
          config, x, new FloatMatrix(n, dim, y), curve, epochs, initUsed, graph.nnz(), timings);
    }
  }

  /** Seconds spent in the neighbour search, graph + init, and layout. */
  public record Timings(double knnSeconds, double graphAndInitSeconds, double layoutSeconds) {}

  static NearestNeighbors neighbourSearch(UmapConfig config) {
    return switch (config.knn()) {
      case AUTO -> NearestNeighbors.auto(config.seed(), config.threads());
      case EXACT ->
          new ExactNeighbors(new BlockedMatrixProducts(config.threads()), config.threads());
      case NN_DESCENT -> new NnDescent(NnDescent.Config.defaults(config.seed(), config.threads()));
    };
  }

  /** PCA coordinates of {@code x}, or null if it has fewer than {@code dim} dimensions or rows. */
  private static double[] pcaStart(FloatMatrix x, int dim) {
    if (x.cols() < dim || x.rows() < dim) {
      return null;
    }
    float[] p = new Pca(new PcaConfig(dim, false)).fitTransform(x).data();
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = p[i];
    }
    return out;
  }

  /** umap-learn's {@code noisy_scale_coords}: largest |coordinate| 10, plus N(0, 1e-4^2). */
  private static void noisyScale(double[] y, SplittableRandom rng) {
    double max = 0;
    for (double v : y) {
      max = Math.max(max, Math.abs(v));
    }
    double expansion = max > 0 ? 10 / max : 1;
    for (int i = 0; i < y.length; i++) {
      y[i] = y[i] * expansion + INIT_NOISE * SpectralInit.gaussian(rng);
    }
  }

  /** Each dimension mapped onto [0, 10] (umap-learn, before the SGD). */
  static float[] rescale(double[] y, int n, int dim) {
    float[] out = new float[n * dim];
    for (int c = 0; c < dim; c++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, y[i * dim + c]);
        hi = Math.max(hi, y[i * dim + c]);
      }
      double range = hi > lo ? hi - lo : 1;
      for (int i = 0; i < n; i++) {
        out[i * dim + c] = (float) (10 * (y[i * dim + c] - lo) / range);
      }
    }
    return out;
  }

  static void checkFinite(FloatMatrix x, String what) {
    float[] data = x.data();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException(
            "UMAP: "
                + what
                + " row "
                + (i / x.cols())
                + " column "
                + (i % x.cols())
                + " is "
                + data[i]
                + "; remove or impute non-finite values first");
      }
    }
  }

  /** The SGD's edge list: graph entries at least {@code max(w) / epochs}, in row order. */
  record Edges(int[] heads, int[] tails, double[] epochsPerSample) {
    static Edges of(FuzzySimplicialSet.Graph g, int epochs) {
      return of(g.rowStart(), g.columns(), g.weights(), g.n(), epochs);
    }

    static Edges of(int[] rowStart, int[] cols, float[] weights, int rows, int epochs) {
      float max = 0;
      for (float w : weights) {
        max = Math.max(max, w);
      }
      double threshold = max / (double) epochs;
      int count = 0;
      for (float w : weights) {
        if (w >= threshold && w > 0) {
          count++;
        }
      }
      int[] heads = new int[count];
      int[] tails = new int[count];
      double[] eps = new double[count];
      int e = 0;
      for (int i = 0; i < rows; i++) {
        for (int p = rowStart[i]; p < rowStart[i + 1]; p++) {
          float w = weights[p];
          if (w >= threshold && w > 0) {
            heads[e] = i;
            tails[e] = cols[p];
            eps[e++] = max / (double) w;
          }
        }
      }
      return new Edges(heads, tails, eps);
    }
  }
}
