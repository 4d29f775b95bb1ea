package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;

/**
 * Manual timing of {@link GaussianMixture} on the fixtures' 70,000 x 10 mixture (not a unit test):
 * k = 10, full covariances, scikit-learn's defaults (one k-means initialisation, tol 1e-3). Run
 * from deepclust-algorithms after test-compile:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:EJML_JARS io.deepclust.cluster.GmmBench 2
 * </pre>
 */
public final class GmmBench {
  private GmmBench() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    FloatMatrix x = GmmFixtures.large();
    GaussianMixtureConfig cfg = GaussianMixtureConfig.defaults().withK(10).withThreads(threads);
    // Warm-up so the JIT has compiled the kernels before timing.
    new GaussianMixture(cfg.withMaxIter(5)).fitModel(x);
    for (int t : new int[] {1, threads}) {
      for (int r = 0; r < repeats; r++) {
        long start = System.nanoTime();
        GaussianMixtureModel m = new GaussianMixture(cfg.withThreads(t)).fitModel(x);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "70000x10 full k=10, k-means init, threads=%d: %.3f s, n_iter=%d, lower bound %.6f%n",
            t, seconds, m.nIter(), m.lowerBound());
      }
    }
    // Worst case: tol 0 runs all maxIter = 100 EM iterations.
    long start = System.nanoTime();
    GaussianMixtureModel m = new GaussianMixture(cfg.withTol(0)).fitModel(x);
    System.out.printf(
        "70000x10 full k=10, tol 0, threads=%d: %.3f s, n_iter=%d%n",
        threads, (System.nanoTime() - start) / 1e9, m.nIter());
  }
}
