package io.deepclust.engine;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.InternalMetrics;
import io.deepclust.metrics.SilhouetteOptions;
import io.deepclust.reduce.BlockedMatrixProducts;
import io.deepclust.reduce.MatrixProducts;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.PcaModel;
import io.deepclust.reduce.RandomizedPca;
import io.deepclust.reduce.RandomizedPcaConfig;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Manual timings of randomized PCA (Java vs libtorch products) and of the silhouette (Java vs
 * libtorch distance kernel) on MNIST (not a unit test; nothing asserted). Usage, after {@code mvn
 * -pl deepclust-core test-compile} and {@code mvn dependency:build-classpath}: {@code java -Xmx10g
 * -Dai.djl.offline=true -cp ... io.deepclust.engine.LinalgBenchmark <mnist dir> <what>} with what =
 * {@code pca-test} (10,000 x 784 test pixels, k = 50), {@code pca-features} (70,000 x 12,544 MNIST
 * feature maps, k = 50), {@code silhouette-test} (10,000 x 784, true labels), {@code
 * silhouette-70k} (70,000 x 50 PCA scores, true labels).
 */
public final class LinalgBenchmark {
  private LinalgBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String what = args[1];
    int threads = Runtime.getRuntime().availableProcessors();
    switch (what) {
      case "pca-test" -> {
        FloatMatrix x = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
        report("(load)", System.nanoTime());
        long t0 = System.nanoTime();
        PcaModel exact = new Pca(new PcaConfig(50, false)).fit(x);
        report("exact covariance PCA (feat-cluster) 10000x784 k=50", t0);
        comparePca(x, 50, threads, exact);
      }
      case "pca-features" -> {
        FloatMatrix pixels =
            concat(
                images(dir.resolve("train-images-idx3-ubyte.gz")),
                images(dir.resolve("t10k-images-idx3-ubyte.gz")));
        long t0 = System.nanoTime();
        FloatMatrix x = featureMaps(pixels, 64, threads);
        report("feature maps " + x.rows() + "x" + x.cols(), t0);
        comparePca(x, 50, threads, null);
      }
      case "silhouette-test" -> {
        FloatMatrix x = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] labels = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        compareSilhouette(x, labels, threads);
      }
      case "silhouette-70k" -> {
        FloatMatrix pixels =
            concat(
                images(dir.resolve("train-images-idx3-ubyte.gz")),
                images(dir.resolve("t10k-images-idx3-ubyte.gz")));
        int[] train = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
        int[] test = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        int[] labels = new int[train.length + test.length];
        System.arraycopy(train, 0, labels, 0, train.length);
        System.arraycopy(test, 0, labels, train.length, test.length);
        FloatMatrix x;
        try (TorchMatrixProducts products = TorchMatrixProducts.onDefaultDevice()) {
          long t0 = System.nanoTime();
          x =
              new RandomizedPca(new RandomizedPcaConfig(50, false, 10, -1, 0), products)
                  .fitTransform(pixels);
          report("randomized PCA-50 of 70000x784 (torch products)", t0);
        }
        compareSilhouette(x, labels, threads);
      }
      default -> throw new IllegalArgumentException("unknown benchmark " + what);
    }
  }

  private static void comparePca(FloatMatrix x, int k, int threads, PcaModel exact) {
    RandomizedPcaConfig cfg = new RandomizedPcaConfig(k, false, 10, RandomizedPcaConfig.AUTO, 0);
    int l = Math.min(k + 10, Math.min(x.rows(), x.cols()));
    System.out.printf(
        "randomized PCA %dx%d k=%d l=%d q=%d, %d JVM threads%n",
        x.rows(), x.cols(), k, l, cfg.effectivePowerIterations(x.rows(), x.cols()), threads);
    FloatMatrix w = new FloatMatrix(x.cols(), l, new float[x.cols() * l]);
    java.util.Arrays.fill(w.data(), 0.01f);
    FloatMatrix y = new FloatMatrix(x.rows(), l, new float[x.rows() * l]);
    java.util.Arrays.fill(y.data(), 0.01f);
    PcaModel fromJava;
    PcaModel fromTorch;
    try (TorchMatrixProducts torch = TorchMatrixProducts.onDefaultDevice()) {
      System.out.println("torch device " + torch.device());
      products("torch", torch, x, w, y);
      Timed timed = new Timed(torch);
      report("(setup)", System.nanoTime());
      long t0 = System.nanoTime();
      fromTorch = new RandomizedPca(cfg, timed).fit(x);
      report("randomized PCA fit, torch products (" + timed + ")", t0);
    }
    MatrixProducts java = new BlockedMatrixProducts(threads);
    products("java", java, x, w, y);
    Timed timed = new Timed(java);
    report("(setup)", System.nanoTime());
    long t0 = System.nanoTime();
    fromJava = new RandomizedPca(cfg, timed).fit(x);
    report("randomized PCA fit, java products (" + timed + ")", t0);
    double maxRel = 0;
    for (int j = 0; j < k; j++) {
      double a = fromJava.explainedVariance()[j];
      double b = fromTorch.explainedVariance()[j];
      maxRel = Math.max(maxRel, Math.abs(a - b) / a);
    }
    System.out.printf(
        "explained variance ratio sum: java %.6f torch %.6f; max rel diff of variances %.2e%n",
        sum(fromJava.explainedVarianceRatio()), sum(fromTorch.explainedVarianceRatio()), maxRel);
    if (exact != null) {
      double worst = 0;
      int at = 0;
      for (int j = 0; j < k; j++) {
        double rel =
            Math.abs(exact.explainedVariance()[j] - fromJava.explainedVariance()[j])
                / exact.explainedVariance()[j];
        if (rel > worst) {
          worst = rel;
          at = j;
        }
      }
      System.out.printf(
          "vs exact PCA: ratio sum %.6f; max rel diff of variances %.2e (component %d);"
              + " first 5 exact %.4f %.4f %.4f %.4f %.4f%n",
          sum(exact.explainedVarianceRatio()),
          worst,
          at,
          exact.explainedVariance()[0],
          exact.explainedVariance()[1],
          exact.explainedVariance()[2],
          exact.explainedVariance()[3],
          exact.explainedVariance()[4]);
    }
  }

  /** Counts calls and time spent in the products, to separate them from QR/SVD/statistics. */
  private static final class Timed implements MatrixProducts {
    private final MatrixProducts inner;
    private int calls;
    private long nanos;

    Timed(MatrixProducts inner) {
      this.inner = inner;
    }

    @Override
    public FloatMatrix centredTimes(FloatMatrix x, double[] mean, FloatMatrix w) {
      long t0 = System.nanoTime();
      FloatMatrix r = inner.centredTimes(x, mean, w);
      nanos += System.nanoTime() - t0;
      calls++;
      return r;
    }

    @Override
    public FloatMatrix centredTransposeTimes(FloatMatrix x, double[] mean, FloatMatrix y) {
      long t0 = System.nanoTime();
      FloatMatrix r = inner.centredTransposeTimes(x, mean, y);
      nanos += System.nanoTime() - t0;
      calls++;
      return r;
    }

    @Override
    public String toString() {
      return String.format("%d products in %.2f s", calls, nanos / 1e9);
    }
  }

  private static void products(
      String name, MatrixProducts products, FloatMatrix x, FloatMatrix w, FloatMatrix y) {
    double[] mean = new double[x.cols()];
    double gflop = 2.0 * x.rows() * x.cols() * w.cols() / 1e9;
    for (int rep = 0; rep < Integer.getInteger("reps", 2); rep++) {
      report("(setup)", System.nanoTime());
      long t0 = System.nanoTime();
      products.centredTimes(x, mean, w);
      report(String.format("%s Xc W (%.0f GFLOP)", name, gflop), t0);
      t0 = System.nanoTime();
      products.centredTransposeTimes(x, mean, y);
      report(String.format("%s Xc^T Y (%.0f GFLOP)", name, gflop), t0);
    }
  }

  private static void compareSilhouette(FloatMatrix x, int[] labels, int threads) {
    System.out.printf("silhouette %dx%d%n", x.rows(), x.cols());
    int reps = Integer.getInteger("reps", 2);
    for (int rep = 0; rep < reps; rep++) {
      report("(setup)", System.nanoTime());
      long t0 = System.nanoTime();
      double s = InternalMetrics.silhouette(x, labels, SilhouetteOptions.defaults());
      report(String.format("java kernel, %d threads: %.8f", threads, s), t0);
    }
    try (TorchDistanceKernel torch = TorchDistanceKernel.onDefaultDevice()) {
      for (int t : new int[] {1, threads}) {
        for (int rep = 0; rep < reps; rep++) {
          report("(setup)", System.nanoTime());
          SilhouetteOptions options = SilhouetteOptions.defaults().withKernel(torch).withThreads(t);
          long t0 = System.nanoTime();
          double s = InternalMetrics.silhouette(x, labels, options);
          report(String.format("torch kernel (%s), %d threads: %.8f", torch.device(), t, s), t0);
        }
      }
    }
  }

  /**
   * Paper-000-sized encoder stand-in: 64 random 3x3 filters, stride 2, padding 1, ReLU: 28x28 ->
   * 64x14x14 = 12,544 features per image.
   */
  static FloatMatrix featureMaps(FloatMatrix pixels, int channels, int threads) {
    SplittableRandom random = new SplittableRandom(0);
    float[][] filters = new float[channels][10];
    for (float[] f : filters) {
      for (int k = 0; k < 10; k++) {
        f[k] = (float) (random.nextGaussian() / 3.0);
      }
    }
    int n = pixels.rows();
    int d = channels * 196;
    float[] out = new float[Math.multiplyExact(n, d)];
    float[] p = pixels.data();
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              int po = i * 784;
              int oo = i * d;
              for (int c = 0; c < channels; c++) {
                float[] f = filters[c];
                for (int oy = 0; oy < 14; oy++) {
                  for (int ox = 0; ox < 14; ox++) {
                    float s = f[9];
                    for (int ky = 0; ky < 3; ky++) {
                      int iy = 2 * oy - 1 + ky;
                      if (iy < 0 || iy >= 28) {
                        continue;
                      }
                      for (int kx = 0; kx < 3; kx++) {
                        int ix = 2 * ox - 1 + kx;
                        if (ix >= 0 && ix < 28) {
                          s += f[ky * 3 + kx] * p[po + iy * 28 + ix];
                        }
                      }
                    }
                    out[oo + c * 196 + oy * 14 + ox] = Math.max(0f, s);
                  }
                }
              }
            });
    return new FloatMatrix(n, d, out);
  }

  private static FloatMatrix images(Path gz) throws IOException {
    try (InputStream raw = Files.newInputStream(gz);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      if (in.readInt() != 0x803) {
        throw new IOException(gz + " is not an IDX image file");
      }
      int n = in.readInt();
      int d = in.readInt() * in.readInt();
      byte[] bytes = new byte[n * d];
      in.readFully(bytes);
      float[] v = new float[n * d];
      for (int i = 0; i < v.length; i++) {
        v[i] = (bytes[i] & 0xff) / 255f;
      }
      return new FloatMatrix(n, d, v);
    }
  }

  private static int[] labels(Path gz) throws IOException {
    try (InputStream raw = Files.newInputStream(gz);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
      if (in.readInt() != 0x801) {
        throw new IOException(gz + " is not an IDX label file");
      }
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      int[] labels = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        labels[i] = bytes[i];
      }
      return labels;
    }
  }

  private static FloatMatrix concat(FloatMatrix a, FloatMatrix b) {
    float[] v = new float[a.data().length + b.data().length];
    System.arraycopy(a.data(), 0, v, 0, a.data().length);
    System.arraycopy(b.data(), 0, v, a.data().length, b.data().length);
    return new FloatMatrix(a.rows() + b.rows(), a.cols(), v);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double e : v) {
      s += e;
    }
    return s;
  }

  private static long lastCpu = processCpuNanos();

  /**
   * Prints wall seconds since {@code t0} and the process CPU seconds (all threads, native libtorch
   * ones included) since the previous report: on a shared machine the CPU time is the steadier
   * measure of work.
   */
  private static void report(String what, long t0) {
    long cpu = processCpuNanos();
    System.out.printf(
        "%s: %.2f s wall, %.2f s CPU%n",
        what, (System.nanoTime() - t0) / 1e9, (cpu - lastCpu) / 1e9);
    lastCpu = cpu;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : 0L;
  }
}
