package io.deepclust.cluster;

import io.deepclust.data.ArrayFiles;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.metrics.SilhouetteOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Manual measurement (not a unit test): {@link SelectK} with a full-covariance Gaussian mixture
 * over {@code k_min..k_max} on a saved embedding, e.g. a run's fitted UMAP coordinates ({@code
 * model/methods/0-flagship/umap_embedding.npy}), with the true labels when given.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:DEPS io.deepclust.cluster.SelectKBench \
 *     EMBEDDING.npy K_MIN K_MAX bic|silhouette [LABELS.npy]
 * </pre>
 */
public final class SelectKBench {
  private SelectKBench() {}

  public static void main(String[] args) {
    ArrayFiles.Array a = ArrayFiles.readNpy(Path.of(args[0]));
    FloatMatrix x = new FloatMatrix(a.shape()[0], a.shape()[1], a.values());
    int[] ks =
        IntStream.rangeClosed(Integer.parseInt(args[1]), Integer.parseInt(args[2])).toArray();
    long t = System.nanoTime();
    SelectK s =
        new SelectK(
            k -> new GaussianMixture(GaussianMixtureConfig.defaults().withK(k).withSeed(0)),
            ks,
            SelectK.Criterion.parse(args[3]),
            SilhouetteOptions.defaults().withSample(10_000, 0).withThreads(2));
    ClusterResult r = s.fit(x);
    System.out.printf(
        Locale.ROOT, "%s: %s (%.1f s)%n", x, s.lastSummary(), (System.nanoTime() - t) / 1e9);
    if (args.length > 4) {
      ArrayFiles.Array l = ArrayFiles.readNpy(Path.of(args[4]));
      int[] truth = new int[l.values().length];
      for (int i = 0; i < truth.length; i++) {
        truth[i] = (int) l.values()[i];
      }
      System.out.printf(
          Locale.ROOT,
          "chosen k=%d: ACC %.4f NMI %.4f%n",
          r.k(),
          ExternalMetrics.accuracy(truth, r.labels()),
          ExternalMetrics.nmi(truth, r.labels()));
    }
  }
}
