package io.deepclust.reduce;

/**
 * Settings of {@link Umap}. Defaults are umap-learn's ({@code UMAP(n_neighbors=15, n_components=2,
 * min_dist=0.1, spread=1.0, init='spectral', n_epochs=None, learning_rate=1.0,
 * negative_sample_rate=5, repulsion_strength=1.0)}), metric Euclidean.
 *
 * @param nNeighbors neighbourhood size k, counting the point itself (so {@code k - 1} other
 *     points), at least 2; larger keeps more global structure
 * @param nComponents output dimensions, at least 1
 * @param minDist smallest distance between embedded points, {@code 0 <= minDist <= spread}; 0 packs
 *     clusters tightly (N2D)
 * @param spread scale of the embedded points, positive
 * @param init starting layout
 * @param nEpochs SGD epochs; null = 500 up to 10,000 points and 200 above, as umap-learn
 * @param learningRate initial SGD step, decaying linearly to 0, positive
 * @param negativeSampleRate negative samples per positive sample, at least 1
 * @param repulsionStrength weight gamma of the negative samples, positive
 * @param knn how the nearest neighbours are found
 * @param seed seed of all randomness (NN-descent, spectral start, init noise, negative samples)
 * @param threads threads for the neighbour search, the spectral init and the layout; at least 1.
 *     Results do not depend on it unless {@code parallelLayout}
 * @param parallelLayout false (default): the SGD runs in fixed blocks of points ({@code
 *     UmapLayout}), in parallel, and the whole fit is repeatable for a seed at any thread count;
 *     true: the SGD runs lock-free on {@code threads} threads ("Hogwild"), not repeatable (with one
 *     thread: the blocked layout)
 */
public record UmapConfig(
    int nNeighbors,
    int nComponents,
    double minDist,
    double spread,
    Init init,
    Integer nEpochs,
    double learningRate,
    int negativeSampleRate,
    double repulsionStrength,
    Knn knn,
    long seed,
    int threads,
    boolean parallelLayout) {

  /** Starting layout, then scaled to [0, 10] per dimension as umap-learn does. */
  public enum Init {
    /**
     * Normalised-Laplacian eigenvectors of the graph ({@link SpectralInit}); for a disconnected
     * graph PCA of the input instead (random when the input has fewer dimensions than the output).
     */
    SPECTRAL,
    /** The first principal components of the input (random when it has too few dimensions). */
    PCA,
    /** Uniform in [-10, 10], seeded. */
    RANDOM;

    /** {@code spectral}, {@code pca} or {@code random}. */
    public static Init parse(String s) {
      for (Init i : values()) {
        if (i.name().equalsIgnoreCase(s)) {
          return i;
        }
      }
      throw new IllegalArgumentException(
          "UMAP init '" + s + "' unknown; use spectral, pca or random");
    }
  }

  /** Nearest-neighbour search. */
  public enum Knn {
    /** Exact up to {@code n^2 d = 5e9}, NN-descent above ({@link NearestNeighbors#auto}). */
    AUTO,
    /** Always exact ({@link ExactNeighbors}). */
    EXACT,
    /** Always NN-descent ({@link NnDescent}). */
    NN_DESCENT;

    /** {@code auto}, {@code exact} or {@code nn_descent}. */
    public static Knn parse(String s) {
      for (Knn k : values()) {
        if (k.name().equalsIgnoreCase(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "UMAP knn '" + s + "' unknown; use auto, exact or nn_descent");
    }
  }

  /** Checks ranges; the message names the field and the fix. */
  public UmapConfig {
    if (nNeighbors < 2) {
      throw new IllegalArgumentException(
          "UMAP n_neighbors " + nNeighbors + " invalid; use at least 2 (typically 15)");
    }
    if (nComponents < 1) {
      throw new IllegalArgumentException(
          "UMAP n_components " + nComponents + " invalid; use at least 1");
    }
    if (!(spread > 0) || Double.isInfinite(spread)) {
      throw new IllegalArgumentException(
          "UMAP spread " + spread + " invalid; use a finite positive number (1.0)");
    }
    if (!(minDist >= 0) || minDist > spread) {
      throw new IllegalArgumentException(
          "UMAP min_dist " + minDist + " invalid; use 0 <= min_dist <= spread (" + spread + ")");
    }
    if (nEpochs != null && nEpochs < 1) {
      throw new IllegalArgumentException(
          "UMAP n_epochs " + nEpochs + " invalid; use at least 1, or null for auto");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "UMAP learning_rate " + learningRate + " invalid; use a positive number (1.0)");
    }
    if (negativeSampleRate < 1) {
      throw new IllegalArgumentException(
          "UMAP negative_sample_rate " + negativeSampleRate + " invalid; use at least 1 (5)");
    }
    if (!(repulsionStrength > 0) || Double.isInfinite(repulsionStrength)) {
      throw new IllegalArgumentException(
          "UMAP repulsion_strength " + repulsionStrength + " invalid; use a positive number");
    }
    if (init == null || knn == null) {
      throw new IllegalArgumentException("UMAP init and knn must be given");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("UMAP threads " + threads + " invalid; use at least 1");
    }
  }

  /** umap-learn's defaults, seed 0, one thread. */
  public static UmapConfig defaults() {
    return new UmapConfig(
        15, 2, 0.1, 1.0, Init.SPECTRAL, null, 1.0, 5, 1.0, Knn.AUTO, 0L, 1, false);
  }

  /** The epochs used for {@code n} points. */
  public int epochsFor(int n) {
    return nEpochs != null ? nEpochs : (n <= 10_000 ? 500 : 200);
  }

  public UmapConfig withNNeighbors(int v) {
    return new UmapConfig(
        v,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withNComponents(int v) {
    return new UmapConfig(
        nNeighbors,
        v,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withMinDist(double v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        v,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withSpread(double v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        v,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withInit(Init v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        v,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withNEpochs(Integer v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        v,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withKnn(Knn v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        v,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withSeed(long v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        v,
        threads,
        parallelLayout);
  }

  public UmapConfig withThreads(int v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        v,
        parallelLayout);
  }

  public UmapConfig withParallelLayout(boolean v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        v);
  }

  public UmapConfig withLearningRate(double v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        v,
        negativeSampleRate,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withNegativeSampleRate(int v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        v,
        repulsionStrength,
        knn,
        seed,
        threads,
        parallelLayout);
  }

  public UmapConfig withRepulsionStrength(double v) {
    return new UmapConfig(
        nNeighbors,
        nComponents,
        minDist,
        spread,
        init,
        nEpochs,
        learningRate,
        negativeSampleRate,
        v,
        knn,
        seed,
        threads,
        parallelLayout);
  }
}
