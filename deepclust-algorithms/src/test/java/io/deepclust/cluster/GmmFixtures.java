package io.deepclust.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureConfig.InitialParameters;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads {@code fixtures/gmm.json} (tools/fixtures/gen_gmm.py) and regenerates its 70,000 x 10 data
 * set bit for bit, as the generator's {@code large_data} does.
 */
final class GmmFixtures {
  private GmmFixtures() {}

  static JsonNode load() {
    try (InputStream in = GmmFixtures.class.getResourceAsStream("/fixtures/gmm.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[] doubles(JsonNode node) {
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  static double[][] matrix(JsonNode rows) {
    double[][] v = new double[rows.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = doubles(rows.get(i));
    }
    return v;
  }

  static int[] ints(JsonNode node) {
    int[] v = new int[node.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = node.get(i).asInt();
    }
    return v;
  }

  /** The fixture fit's configuration: its covariance type, sklearn's defaults, its init values. */
  static GaussianMixtureConfig config(JsonNode fit, int k, int threads) {
    return GaussianMixtureConfig.defaults()
        .withK(k)
        .withThreads(threads)
        .withCovarianceType(CovarianceType.parse(fit.get("covariance_type").asText()))
        .withInitialParameters(
            new InitialParameters(
                doubles(fit.get("weights_init")),
                matrix(fit.get("means_init")),
                doubles(fit.get("precisions_init"))));
  }

  /** {@code (splitmix64(seed + (index + 1) * golden) >>> 11) * 2^-53}, the generator's stream. */
  static double uniform(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  /** The generator's 70,000 x 10 mixture of 10 sheared Gaussians (Irwin-Hall noise). */
  static FloatMatrix large() {
    int n = 70_000;
    int d = 10;
    int k = 10;
    double[][] centers = new double[k][d];
    double[][][] mixing = new double[k][d][d];
    for (int j = 0; j < k; j++) {
      for (int f = 0; f < d; f++) {
        centers[j][f] = uniform(2, j * d + f) * 5.0 - 2.5;
        for (int g = 0; g < d; g++) {
          double u = uniform(3, (long) (j * d + f) * d + g);
          mixing[j][f][g] = (u - 0.5) * 0.6 + (f == g ? 1.0 : 0.0);
        }
      }
    }
    float[] x = new float[n * d];
    double[] z = new double[d];
    for (int i = 0; i < n; i++) {
      int comp = (int) Math.floor(uniform(1, i) * k);
      for (int f = 0; f < d; f++) {
        double acc = 0;
        for (int t = 0; t < 12; t++) {
          acc = acc + uniform(4, (long) i * (12 * d) + f * 12 + t);
        }
        z[f] = acc - 6.0;
      }
      for (int g = 0; g < d; g++) {
        double acc = centers[comp][g];
        for (int f = 0; f < d; f++) {
          acc = acc + z[f] * mixing[comp][f][g];
        }
        x[i * d + g] = (float) acc;
      }
    }
    return new FloatMatrix(n, d, x);
  }
}
