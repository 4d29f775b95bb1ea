package io.deepclust.metrics;

import io.deepclust.linalg.FloatMatrix;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Manual timing of the exact silhouette (not a unit test; nothing asserted). Usage, after {@code
 * mvn -pl deepclust-core test-compile}: {@code java -cp deepclust-core/target/classes:
 * deepclust-core/target/test-classes io.deepclust.metrics.SilhouetteBenchmark [n] [d] [threads]
 * [dump.bin]}. Data: MNIST-like values in [0, 1) with 10 shifted clusters; the optional dump (int
 * n, int d, n*d floats, n int labels, big-endian) lets sklearn recompute the same value.
 */
public final class SilhouetteBenchmark {
  private SilhouetteBenchmark() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int d = args.length > 1 ? Integer.parseInt(args[1]) : 784;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    SplittableRandom random = new SplittableRandom(42);
    float[] data = new float[n * d];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(10);
      for (int j = 0; j < d; j++) {
        float v = (float) random.nextDouble();
        data[i * d + j] = (j % 10 == labels[i]) ? Math.min(1f, v + 0.5f) : v * 0.5f;
      }
    }
    FloatMatrix x = new FloatMatrix(n, d, data);
    if (args.length > 3) {
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[3])))) {
        out.writeInt(n);
        out.writeInt(d);
        for (float v : data) {
          out.writeFloat(v);
        }
        for (int l : labels) {
          out.writeInt(l);
        }
      }
    }
    SilhouetteOptions options = SilhouetteOptions.defaults().withThreads(threads);
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      double s = InternalMetrics.silhouette(x, labels, options);
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "silhouette %d x %d, threads=%d: %.10f in %.2f s%n",
          n, d, options.effectiveThreads(), s, secs);
    }
  }
}
