package io.deepclust.reduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/** Test data for UMAP: the numpy/scipy fixture and seeded Gaussian blobs. */
final class UmapFixtures {
  private UmapFixtures() {}

  static JsonNode json() {
    try (InputStream in = UmapFixtures.class.getResourceAsStream("/fixtures/umap.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FloatMatrix matrix(JsonNode values, int rows, int cols) {
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) values.get(i).asDouble();
    }
    return new FloatMatrix(rows, cols, d);
  }

  /**
   * {@code n} points in {@code clusters} unit-variance Gaussian blobs of {@code d} dimensions whose
   * centres are N(0, spread^2); point i belongs to blob {@code i % clusters}.
   */
  static FloatMatrix blobs(int n, int d, int clusters, double spread, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] centres = new double[clusters * d];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = spread * SpectralInit.gaussian(rng);
    }
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      int c = i % clusters;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (centres[c * d + j] + SpectralInit.gaussian(rng));
      }
    }
    return new FloatMatrix(n, d, x);
  }
}
