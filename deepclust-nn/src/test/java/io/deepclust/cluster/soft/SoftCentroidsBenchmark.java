package io.deepclust.cluster.soft;

import io.deepclust.cluster.soft.SoftCentroids.Backend;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.train.Progress;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Manual timing of SoftCentroids at the paper's scale (not a unit test; nothing asserted): 60,000 x
 * 64 synthetic embeddings (10 Gaussian blobs), k 10, batch 32, lr 0.1. Usage, after {@code mvn -pl
 * deepclust-nn -am test-compile} and {@code mvn dependency:build-classpath}: {@code java -cp ...
 * io.deepclust.cluster.soft.SoftCentroidsBenchmark <JAVA|LIBTORCH> <epochs>}.
 */
public final class SoftCentroidsBenchmark {
  private SoftCentroidsBenchmark() {}

  public static void main(String[] args) {
    Backend backend = Backend.valueOf(args[0]);
    int epochs = Integer.parseInt(args[1]);
    int n = 60_000;
    int d = 64;
    SplittableRandom rng = new SplittableRandom(0);
    float[] means = new float[10 * d];
    for (int i = 0; i < means.length; i++) {
      means[i] = (float) (3 * rng.nextGaussian());
    }
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        x[i * d + f] = means[(i % 10) * d + f] + (float) rng.nextGaussian();
      }
    }
    var config = SoftCentroidsConfig.defaults().withEpochs(epochs);
    SoftCentroids sc = new SoftCentroids(config, backend, Progress.Mode.PLAIN, System.err);
    long t0 = System.nanoTime();
    sc.fit(new FloatMatrix(n, d, x));
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %d epochs of %d x %d in %.2f s, %.0f img/s, %.1f us/step; 200 epochs ~ %.1f s%n",
        backend,
        epochs,
        n,
        d,
        s,
        sc.imagesPerSecond(),
        s * 1e6 / (epochs * Math.ceil(n / 32.0)),
        s / epochs * 200);
  }
}
