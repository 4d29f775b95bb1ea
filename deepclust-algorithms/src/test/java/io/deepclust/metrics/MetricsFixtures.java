package io.deepclust.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads fixtures/metrics.json (written by tools/fixtures/gen_metrics.py) and re-creates its
 * LCG-generated cases bit for bit.
 */
final class MetricsFixtures {
  static final double TOL = 1e-6;
  private static JsonNode root;

  private MetricsFixtures() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in = MetricsFixtures.class.getResourceAsStream("/fixtures/metrics.json")) {
        if (in == null) {
          throw new IllegalStateException(
              "fixtures/metrics.json missing; run /usr/bin/python3 tools/fixtures/gen_metrics.py");
        }
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  static FloatMatrix matrix(JsonNode c) {
    int rows = c.get("rows").intValue();
    int cols = c.get("cols").intValue();
    JsonNode x = c.get("x");
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) x.get(i).doubleValue();
    }
    return new FloatMatrix(rows, cols, d);
  }

  /** Tolerance 1e-6, relative for values above 1 (e.g. Calinski-Harabasz in the hundreds). */
  static double tol(double expected) {
    return TOL * Math.max(1.0, Math.abs(expected));
  }

  /**
   * x &lt;- x * 6364136223846793005 + 1442695040888963407 (mod 2^64); next() = x &gt;&gt;&gt; 33.
   */
  static final class Lcg {
    private long x;

    Lcg(long seed) {
      x = seed;
    }

    long next() {
      x = x * 6364136223846793005L + 1442695040888963407L;
      return x >>> 33;
    }
  }

  /** truth in [0], pred in [1]; mirrors gen_metrics.py lcg_labels. */
  static int[][] lcgLabels(
      int n, long seed, int kTrue, int kPred, int agreePercent, int trueScale, int trueOffset) {
    Lcg g = new Lcg(seed);
    int[] truth = new int[n];
    int[] pred = new int[n];
    for (int i = 0; i < n; i++) {
      int t = (int) (g.next() % kTrue);
      int p;
      if (g.next() % 100 < agreePercent) {
        p = (t * 7 + 3) % kPred;
      } else {
        p = (int) (g.next() % kPred);
      }
      truth[i] = t * trueScale + trueOffset;
      pred[i] = p;
    }
    return new int[][] {truth, pred};
  }

  /** Features and labels; mirrors gen_metrics.py lcg_features. */
  static FloatMatrix lcgFeatures(int n, int d, int k, long seed, int[] labelsOut) {
    Lcg g = new Lcg(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      int label = (int) (g.next() % k);
      labelsOut[i] = label;
      for (int j = 0; j < d; j++) {
        double u = (g.next() >>> 7) / (double) (1 << 24);
        x[i * d + j] = (float) (u + 0.5 * ((label + j) % 3));
      }
    }
    return new FloatMatrix(n, d, x);
  }
}
