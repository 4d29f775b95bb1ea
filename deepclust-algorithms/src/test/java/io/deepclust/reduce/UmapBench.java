package io.deepclust.reduce;

import io.deepclust.data.DatasetLoader;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.linalg.FloatMatrix;
import java.util.Locale;

/**
 * Manual measurements of {@link Umap} (not a unit test). Input: PCA-10 of all 70,000 MNIST images
 * (a stand-in for autoencoder embeddings) when {@code DEEPCLUST_DATA} points at the datasets, else
 * 70,000 x 10 Gaussian blobs. Parts, chosen by the second argument:
 *
 * <ul>
 *   <li>{@code knn}: NN-descent (k = 19, N2D's n_neighbors 20) against exact kNN: times and recall;
 *   <li>{@code fit}: UMAP 70,000 x 10 -> 10 dims, n_neighbors 20, min_dist 0 (N2D), timed by stage,
 *       with the sequential, the blocked (default) and the Hogwild layout;
 *   <li>{@code trust}: on the first 10,000 points, trustworthiness (k = 5, scikit-learn's default)
 *       of the 2-D UMAP map against the project's t-SNE (perplexity 30, 1000 iterations);
 *   <li>{@code trustsweep}: the same trustworthiness for UMAP over n_neighbors, min_dist and
 *       epochs, to see which settings preserve the 5 nearest neighbours best;
 *   <li>{@code trustlocal SPEC...}: on the same 10,000 points, t-SNE's trustworthiness, then UMAP's
 *       for each {@code SPEC} = {@code n_neighbors,min_dist,n_epochs,negative_sample_rate,
 *       repulsion_strength,learning_rate[,spread[,init]]} (e.g. {@code 5,0,1000,40,1,1} or {@code
 *       5,0,1000,40,1,1,0.5,pca}), with times;
 *   <li>{@code all}: the first three;
 *   <li>{@code fitfile FILE}: the {@code fit} part's UMAP (blocked layout) on an NPY file, e.g. an
 *       autoencoder's embedding written by {@code deepclust embed};
 *   <li>{@code spectral FILE}: the spectral initialisation alone on that file's graph, with its
 *       rows in the points' order and in breadth-first order;
 *   <li>{@code n2d RUN...}: N2D's UMAP + GMM on each run folder's {@code features.npy} (the first
 *       method's clustered features: for {@code n2d} runs (and {@code flagship} runs before
 *       2026-12-02, whose first method was UMAP + GMM, not the DEC head) their 10-d UMAP map, a
 *       70,000 x 10 input with cluster structure) against its {@code labels.npy}, sequential and
 *       blocked layout.
 * </ul>
 *
 * Run from deepclust-algorithms after test-compile:
 *
 * <pre>
 * DEEPCLUST_DATA=/work/shared/datasets java -cp target/classes:target/test-classes:DEPS \
 *     io.deepclust.reduce.UmapBench 2 all
 * </pre>
 */
public final class UmapBench {
  private UmapBench() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String part = args.length > 1 ? args[1] : "all";
    if (part.equals("fitfile")) {
      fitFile(java.nio.file.Path.of(args[2]), threads);
      return;
    }
    if (part.equals("spectral")) {
      spectral(java.nio.file.Path.of(args[2]), threads);
      return;
    }
    if (part.equals("n2d")) {
      for (int i = 2; i < args.length; i++) {
        n2d(java.nio.file.Path.of(args[i]), threads);
      }
      return;
    }
    long t = System.nanoTime();
    FloatMatrix x = input(threads);
    System.out.printf(Locale.ROOT, "input %s ready in %.1f s%n", x, secs(t));
    if (part.equals("knn") || part.equals("all")) {
      knn(x, threads);
    }
    if (part.equals("fit") || part.equals("all")) {
      fit(x, threads);
    }
    if (part.equals("trust") || part.equals("all")) {
      trust(x, threads);
    }
    if (part.equals("trustsweep")) {
      trustSweep(x, threads);
    }
    if (part.equals("trustlocal")) {
      trustLocal(x, threads, java.util.Arrays.copyOfRange(args, 2, args.length));
    }
  }

  private static FloatMatrix input(int threads) {
    if (System.getenv("DEEPCLUST_DATA") != null) {
      ImageDataset mnist = DatasetLoader.load("mnist", Split.ALL);
      System.out.println("MNIST " + mnist.pixels() + " -> PCA-10");
      return new Pca(new PcaConfig(10, false), threads).fitTransform(mnist.pixels());
    }
    System.out.println("DEEPCLUST_DATA unset: 70,000 x 10 Gaussian blobs");
    return UmapFixtures.blobs(70_000, 10, 10, 2, 1);
  }

  private static void knn(FloatMatrix x, int threads) {
    int k = 19;
    long t = System.nanoTime();
    double c0 = cpu();
    NnDescent nnd = new NnDescent(NnDescent.Config.defaults(0, threads));
    KnnGraph approx = nnd.neighbours(x, k);
    double approxSeconds = secs(t);
    System.out.printf(
        Locale.ROOT, "NN-descent: %.1f s wall, %.1f s CPU%n", approxSeconds, cpu() - c0);
    t = System.nanoTime();
    KnnGraph exact =
        new ExactNeighbors(new BlockedMatrixProducts(threads), threads).neighbours(x, k);
    double exactSeconds = secs(t);
    System.out.printf(
        Locale.ROOT,
        "kNN k=%d on %s, %d threads: NN-descent %.1f s (%d iterations), exact %.1f s, recall %.4f%n",
        k,
        x,
        threads,
        approxSeconds,
        nnd.lastIterations(),
        exactSeconds,
        approx.recall(exact));
  }

  /** N2D's UMAP: 10 dimensions, n_neighbors 20, min_dist 0. */
  private static UmapConfig n2dConfig(int threads) {
    return UmapConfig.defaults()
        .withNNeighbors(20)
        .withNComponents(10)
        .withMinDist(0)
        .withThreads(threads);
  }

  /** An {@code n x d} NPY file as a matrix. */
  private static FloatMatrix matrix(java.nio.file.Path file) {
    io.deepclust.data.ArrayFiles.Array f = io.deepclust.data.ArrayFiles.readNpy(file);
    return new FloatMatrix(f.shape()[0], f.shape()[1], f.values());
  }

  private static void fit(FloatMatrix x, int threads) {
    UmapConfig cfg = n2dConfig(threads);
    // sequential (one block), the default blocked layout, Hogwild
    String[] names = {"sequential", "blocked", "hogwild"};
    for (int mode = 0; mode < 3; mode++) {
      long t = System.nanoTime();
      double c0 = cpu();
      UmapModel m = new Umap(cfg.withParallelLayout(mode == 2), mode == 0 ? 1 : 0).fit(x);
      System.out.printf(
          Locale.ROOT,
          "fit (%s layout): %.1f s total (%.1f s CPU); %s; spectral rounds/residual %s%n",
          names[mode],
          secs(t),
          cpu() - c0,
          m.summary(),
          java.util.Arrays.toString(SpectralInit.lastIterativeStats));
    }
  }

  private static void trust(FloatMatrix all, int threads) {
    FloatMatrix x = all.selectRows(java.util.stream.IntStream.range(0, 10_000).toArray());
    long t = System.nanoTime();
    UmapModel u = new Umap(UmapConfig.defaults().withThreads(threads)).fit(x);
    double umapSeconds = secs(t);
    UmapModel sequential = new Umap(UmapConfig.defaults().withThreads(threads), 1).fit(x);
    System.out.printf(
        Locale.ROOT,
        "UMAP sequential layout trustworthiness(5) %.4f%n",
        Trustworthiness.of(x, sequential.embedding(), 5, threads));
    t = System.nanoTime();
    TsneResult ts = new Tsne(TsneConfig.defaults().withThreads(threads)).fit(x);
    double tsneSeconds = secs(t);
    double tu = Trustworthiness.of(x, u.embedding(), 5, threads);
    double tt = Trustworthiness.of(x, ts.embedding(), 5, threads);
    System.out.printf(
        Locale.ROOT,
        "10,000 x %d -> 2: UMAP %.1f s trustworthiness(5) %.4f; t-SNE %.1f s trustworthiness(5)"
            + " %.4f%n",
        x.cols(),
        umapSeconds,
        tu,
        tsneSeconds,
        tt);
  }

  private static void trustSweep(FloatMatrix all, int threads) {
    FloatMatrix x = all.selectRows(java.util.stream.IntStream.range(0, 10_000).toArray());
    for (int nNeighbors : new int[] {5, 10, 15, 30}) {
      for (double minDist : new double[] {0.0, 0.1}) {
        for (int epochs : new int[] {500, 2000}) {
          long t = System.nanoTime();
          UmapModel u =
              new Umap(
                      UmapConfig.defaults()
                          .withNNeighbors(nNeighbors)
                          .withMinDist(minDist)
                          .withNEpochs(epochs)
                          .withThreads(threads))
                  .fit(x);
          double s = secs(t);
          System.out.printf(
              Locale.ROOT,
              "UMAP n_neighbors %d min_dist %.1f epochs %d: %.1f s, trustworthiness(5) %.4f%n",
              nNeighbors,
              minDist,
              epochs,
              s,
              Trustworthiness.of(x, u.embedding(), 5, threads));
        }
      }
    }
  }

  private static void trustLocal(FloatMatrix all, int threads, String[] specs) {
    FloatMatrix x = all.selectRows(java.util.stream.IntStream.range(0, 10_000).toArray());
    long t = System.nanoTime();
    TsneResult ts = new Tsne(TsneConfig.defaults().withThreads(threads)).fit(x);
    System.out.printf(
        Locale.ROOT,
        "t-SNE: %.1f s, trustworthiness(5) %.4f%n",
        secs(t),
        Trustworthiness.of(x, ts.embedding(), 5, threads));
    for (String spec : specs) {
      String[] p = spec.split(",");
      UmapConfig c =
          UmapConfig.defaults()
              .withNNeighbors(Integer.parseInt(p[0]))
              .withMinDist(Double.parseDouble(p[1]))
              .withNEpochs(Integer.parseInt(p[2]))
              .withNegativeSampleRate(Integer.parseInt(p[3]))
              .withRepulsionStrength(Double.parseDouble(p[4]))
              .withLearningRate(Double.parseDouble(p[5]))
              .withThreads(threads);
      if (p.length > 6) {
        c = c.withSpread(Double.parseDouble(p[6]));
      }
      if (p.length > 7) {
        c = c.withInit(UmapConfig.Init.parse(p[7]));
      }
      t = System.nanoTime();
      UmapModel u = new Umap(c).fit(x);
      System.out.printf(
          Locale.ROOT,
          "UMAP n_neighbors %s min_dist %s n_epochs %s negative_sample_rate %s"
              + " repulsion_strength %s learning_rate %s spread %s init %s: %.1f s,"
              + " trustworthiness(5) %.4f%n",
          p[0],
          p[1],
          p[2],
          p[3],
          p[4],
          p[5],
          c.spread(),
          c.init(),
          secs(t),
          Trustworthiness.of(x, u.embedding(), 5, threads));
    }
  }

  /**
   * N2D's UMAP (70,000 x d -> 10, n_neighbors 20, min_dist 0, default blocked layout) on an NPY
   * file, twice, timed by stage, with a hash of the map (the same at any thread count).
   */
  private static void fitFile(java.nio.file.Path file, int threads) {
    FloatMatrix x = matrix(file);
    UmapConfig cfg = n2dConfig(threads);
    for (int rep = 0; rep < 2; rep++) {
      long t = System.nanoTime();
      UmapModel m = new Umap(cfg).fit(x);
      System.out.printf(
          Locale.ROOT,
          "fit: %.1f s; %s; hash %08x%n",
          secs(t),
          m.summary(),
          java.util.Arrays.hashCode(m.embedding().data()));
    }
  }

  /**
   * The spectral initialisation alone on an {@code n x d} NPY file (e.g. an autoencoder's embedding
   * from {@code deepclust embed}): the graph of N2D's UMAP (n_neighbors 20), then the iterative
   * solve for 10 dimensions with the rows in the points' order and in breadth-first order (the
   * default), alternately, timed, with its rounds, residual and a hash of the result.
   */
  private static void spectral(java.nio.file.Path file, int threads) {
    FloatMatrix x = matrix(file);
    long t = System.nanoTime();
    KnnGraph knn = NearestNeighbors.auto(0, threads).neighbours(x, 19);
    FuzzySimplicialSet.Graph g = FuzzySimplicialSet.build(knn);
    System.out.printf(Locale.ROOT, "graph %d edges in %.1f s%n", g.nnz(), secs(t));
    try (io.deepclust.util.WorkerPool pool = new io.deepclust.util.WorkerPool(threads, "bench")) {
      double[] invSqrt = SpectralInit.invSqrtDegree(g);
      for (int rep = 0; rep < 4; rep++) {
        boolean reorder = rep % 2 == 1;
        t = System.nanoTime();
        double[] y = SpectralInit.iterativeLayout(g, 10, invSqrt, 0, pool, reorder);
        System.out.printf(
            Locale.ROOT,
            "spectral init 10-d (%s): %.1f s, rounds/residual %s, hash %08x%n",
            reorder ? "breadth-first rows" : "rows in point order",
            secs(t),
            java.util.Arrays.toString(SpectralInit.lastIterativeStats),
            java.util.Arrays.hashCode(y));
      }
    }
  }

  /**
   * N2D's clusterer on a run's stored features ({@code features.npy}, {@code labels.npy} in {@code
   * run}; see the class comment): UMAP to 10 dimensions (n_neighbors 20, min_dist 0), a
   * full-covariance GMM with 5 initialisations, ACC and NMI against the labels; with the sequential
   * layout (one block) and the default blocked one, timed.
   */
  private static void n2d(java.nio.file.Path run, int threads) {
    io.deepclust.data.ArrayFiles.Array f =
        io.deepclust.data.ArrayFiles.readNpy(run.resolve("features.npy"));
    io.deepclust.data.ArrayFiles.Array l =
        io.deepclust.data.ArrayFiles.readNpy(run.resolve("labels.npy"));
    FloatMatrix x = new FloatMatrix(f.shape()[0], f.shape()[1], f.values());
    int[] truth = new int[l.values().length];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = (int) l.values()[i];
    }
    for (int blocks : new int[] {1, 0}) {
      long t = System.nanoTime();
      UmapModel u = new Umap(n2dConfig(threads), blocks).fit(x);
      double s = secs(t);
      int[] pred =
          new io.deepclust.cluster.GaussianMixture(
                  io.deepclust.cluster.GaussianMixtureConfig.defaults()
                      .withK(10)
                      .withNInit(5)
                      .withThreads(threads))
              .fit(u.embedding())
              .labels();
      System.out.printf(
          Locale.ROOT,
          "%s, %s layout: UMAP %.1f s (%s); GMM ACC %.4f NMI %.4f; embedding hash %08x%n",
          run,
          blocks == 1 ? "sequential" : "blocked",
          s,
          u.summary(),
          io.deepclust.metrics.ExternalMetrics.accuracy(truth, pred),
          io.deepclust.metrics.ExternalMetrics.nmi(truth, pred),
          java.util.Arrays.hashCode(u.embedding().data()));
    }
  }

  /** CPU seconds of the whole process so far (all threads), to read through a loaded machine. */
  static double cpu() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1e9
        : Double.NaN;
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
