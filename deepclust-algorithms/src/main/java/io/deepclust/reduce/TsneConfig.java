package io.deepclust.reduce;

/**
 * Settings of {@link Tsne}, Barnes-Hut t-SNE to two dimensions. Defaults follow scikit-learn 1.2
 * ({@code TSNE(perplexity=30, n_iter=1000, learning_rate='auto', early_exaggeration=12, angle=0.5,
 * init='pca')}).
 *
 * @param perplexity effective number of neighbours of the input Gaussians; {@code 3 x perplexity}
 *     nearest neighbours are used, so a data set needs more than {@code 3 x perplexity} points
 * @param iterations gradient-descent iterations in total (including the early-exaggeration ones)
 * @param learningRate step size; {@code null} means 'auto': {@code max(n / earlyExaggeration / 4,
 *     50)} as scikit-learn (Belkina et al. 2019, divided by 4 because our gradient, like
 *     scikit-learn's, carries the factor 4 of the t-SNE gradient)
 * @param earlyExaggeration factor on P during the first {@code earlyExaggerationIterations}
 * @param earlyExaggerationIterations iterations with exaggerated P and momentum 0.5 (then 0.8)
 * @param theta Barnes-Hut accuracy: a quadtree cell of width w at distance d is summarised when
 *     {@code w / d < theta} (scikit-learn's 'angle'); 0 is exact and slow, 0.5 is usual
 * @param init starting layout
 * @param seed seed of all randomness (random init only; PCA init is deterministic)
 * @param threads worker threads; 0 means all available processors. Results do not depend on it.
 */
public record TsneConfig(
    double perplexity,
    int iterations,
    Double learningRate,
    double earlyExaggeration,
    int earlyExaggerationIterations,
    double theta,
    Init init,
    long seed,
    int threads) {

  /** Starting layout of the map. */
  public enum Init {
    /**
     * First two principal components of the centred input, scaled so column 0 has standard
     * deviation 1e-4 (scikit-learn >= 1.2 default): keeps global structure, deterministic.
     */
    PCA,
    /** Independent N(0, 1e-4^2) coordinates (van der Maaten's bhtsne), from {@code seed}. */
    RANDOM
  }

  public TsneConfig {
    if (!(perplexity >= 1) || Double.isInfinite(perplexity)) {
      throw new IllegalArgumentException(
          "t-SNE perplexity " + perplexity + " invalid; use a finite value >= 1 (typically 5-50)");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException(
          "t-SNE iterations " + iterations + " invalid; use >= 1 (typically 1000)");
    }
    if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException(
          "t-SNE learningRate "
              + learningRate
              + " invalid; use a positive number or null for auto");
    }
    if (!(earlyExaggeration >= 1) || Double.isInfinite(earlyExaggeration)) {
      throw new IllegalArgumentException(
          "t-SNE earlyExaggeration " + earlyExaggeration + " invalid; use a finite value >= 1");
    }
    if (earlyExaggerationIterations < 0 || earlyExaggerationIterations > iterations) {
      throw new IllegalArgumentException(
          "t-SNE earlyExaggerationIterations "
              + earlyExaggerationIterations
              + " invalid; use 0.."
              + iterations
              + " (iterations)");
    }
    if (!(theta >= 0 && theta <= 1)) {
      throw new IllegalArgumentException(
          "t-SNE theta " + theta + " invalid; use 0..1 (0.5 is usual, 0 is exact)");
    }
    if (init == null) {
      throw new IllegalArgumentException("t-SNE init is missing; use PCA or RANDOM");
    }
    if (threads < 0) {
      throw new IllegalArgumentException(
          "t-SNE threads " + threads + " invalid; use >= 1, or 0 for all processors");
    }
  }

  /**
   * Perplexity 30, 1000 iterations, auto learning rate, exaggeration 12 for 250, theta 0.5, PCA.
   */
  public static TsneConfig defaults() {
    return new TsneConfig(30, 1000, null, 12, 250, 0.5, Init.PCA, 42L, 0);
  }

  public TsneConfig withPerplexity(double p) {
    return new TsneConfig(
        p,
        iterations,
        learningRate,
        earlyExaggeration,
        earlyExaggerationIterations,
        theta,
        init,
        seed,
        threads);
  }

  /** Sets the total iterations, capping the early-exaggeration iterations at that number. */
  public TsneConfig withIterations(int n) {
    return new TsneConfig(
        perplexity,
        n,
        learningRate,
        earlyExaggeration,
        Math.min(earlyExaggerationIterations, Math.max(n, 0)),
        theta,
        init,
        seed,
        threads);
  }

  /** A fixed learning rate, or {@code null} for auto. */
  public TsneConfig withLearningRate(Double rate) {
    return new TsneConfig(
        perplexity,
        iterations,
        rate,
        earlyExaggeration,
        earlyExaggerationIterations,
        theta,
        init,
        seed,
        threads);
  }

  public TsneConfig withEarlyExaggeration(double factor, int forIterations) {
    return new TsneConfig(
        perplexity, iterations, learningRate, factor, forIterations, theta, init, seed, threads);
  }

  public TsneConfig withTheta(double t) {
    return new TsneConfig(
        perplexity,
        iterations,
        learningRate,
        earlyExaggeration,
        earlyExaggerationIterations,
        t,
        init,
        seed,
        threads);
  }

  public TsneConfig withInit(Init i) {
    return new TsneConfig(
        perplexity,
        iterations,
        learningRate,
        earlyExaggeration,
        earlyExaggerationIterations,
        theta,
        i,
        seed,
        threads);
  }

  public TsneConfig withSeed(long s) {
    return new TsneConfig(
        perplexity,
        iterations,
        learningRate,
        earlyExaggeration,
        earlyExaggerationIterations,
        theta,
        init,
        s,
        threads);
  }

  public TsneConfig withThreads(int t) {
    return new TsneConfig(
        perplexity,
        iterations,
        learningRate,
        earlyExaggeration,
        earlyExaggerationIterations,
        theta,
        init,
        seed,
        t);
  }

  /** The learning rate used for {@code n} points: the fixed one, or 'auto'. */
  public double learningRateFor(int n) {
    return learningRate != null ? learningRate : Math.max(n / earlyExaggeration / 4.0, 50.0);
  }

  /** Number of nearest neighbours used for {@code n} points: {@code min(n - 1, 3p + 1)}. */
  public int neighboursFor(int n) {
    return (int) Math.min(n - 1L, (long) (3 * perplexity + 1));
  }

  /** Worker threads actually used. */
  public int threadCount() {
    return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
  }
}
