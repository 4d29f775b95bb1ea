package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.PcaModel;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Manual timing of k-means and PCA on MNIST (not a unit test). Run from deepclust-core after
 * test-compile:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:EJML_JARS io.deepclust.cluster.ClusterBench \
 *     /work/shared/datasets/mnist 2
 * </pre>
 */
public final class ClusterBench {
  private ClusterBench() {}

  /** Throwaway IDX image reader: bytes / 255 as an n x (rows*cols) matrix. */
  static FloatMatrix readImages(Path gz) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16))) {
      if (in.readInt() != 0x803) {
        throw new IOException(gz + " is not an IDX image file");
      }
      int n = in.readInt();
      int d = in.readInt() * in.readInt();
      byte[] raw = new byte[n * d];
      in.readFully(raw);
      float[] v = new float[n * d];
      for (int i = 0; i < v.length; i++) {
        v[i] = (raw[i] & 0xff) / 255f;
      }
      return new FloatMatrix(n, d, v);
    }
  }

  static FloatMatrix concat(FloatMatrix a, FloatMatrix b) {
    float[] v = new float[a.data().length + b.data().length];
    System.arraycopy(a.data(), 0, v, 0, a.data().length);
    System.arraycopy(b.data(), 0, v, a.data().length, b.data().length);
    return new FloatMatrix(a.rows() + b.rows(), a.cols(), v);
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets/mnist");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    FloatMatrix test = readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
    FloatMatrix all = concat(readImages(dir.resolve("train-images-idx3-ubyte.gz")), test);
    System.out.printf("threads=%d, test %s, all %s%n", threads, test, all);

    // Warm-up so the JIT has compiled the kernels before timing.
    new KMeans(KMeansConfig.defaults().withThreads(threads).withNInit(2)).fit(test);
    new Pca(new PcaConfig(50, false), threads).fit(test);

    if (args.length > 2 && args[2].equals("kmeans")) {
      FloatMatrix test50 = new Pca(new PcaConfig(50, false), threads).fitTransform(test);
      for (int rep = 0; rep < 2; rep++) {
        kmeans("k-means k=10 nInit=10 on 10000x784", test, threads);
        kmeans("k-means k=10 nInit=10 on 10000x50 ", test50, threads);
      }
      return;
    }
    for (int rep = 0; rep < 2; rep++) {
      long t0 = System.nanoTime();
      PcaModel small = new Pca(new PcaConfig(50, false), threads).fit(test);
      long t1 = System.nanoTime();
      FloatMatrix test50 = small.transform(test, threads);
      long t2 = System.nanoTime();
      System.out.printf(
          "PCA 10000x784 -> 50: fit %.2f s, transform %.2f s, ratio sum %.4f%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, sum(small.explainedVarianceRatio()));

      t0 = System.nanoTime();
      PcaModel big = new Pca(new PcaConfig(50, false), threads).fit(all);
      t1 = System.nanoTime();
      FloatMatrix all50 = big.transform(all, threads);
      t2 = System.nanoTime();
      System.out.printf(
          "PCA 70000x784 -> 50: fit %.2f s, transform %.2f s, ratio sum %.4f%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, sum(big.explainedVarianceRatio()));

      kmeans("k-means k=10 nInit=10 on 10000x784", test, threads);
      kmeans("k-means k=10 nInit=10 on 10000x50 ", test50, threads);
      kmeans("k-means k=10 nInit=10 on 70000x50 ", all50, threads);
    }
  }

  private static void kmeans(String what, FloatMatrix x, int threads) {
    long c0 = cpuNanos();
    long t0 = System.nanoTime();
    ClusterResult r = new KMeans(KMeansConfig.defaults().withThreads(threads)).fit(x);
    long t1 = System.nanoTime();
    long c1 = cpuNanos();
    System.out.printf(
        "%s: %.2f s wall, %.2f s CPU, inertia %.6e, best run %d (%d iterations)%n",
        what, (t1 - t0) / 1e9, (c1 - c0) / 1e9, r.inertia(), r.bestRun(), r.iterations());
  }

  /** CPU time of the whole process (all threads), to see through other load on the machine. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e;
    }
    return s;
  }
}
