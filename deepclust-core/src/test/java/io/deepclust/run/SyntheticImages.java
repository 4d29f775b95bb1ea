package io.deepclust.run;

import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/** Small grey images of three easy classes (a bright bar top, middle or bottom) plus noise. */
final class SyntheticImages {
  private SyntheticImages() {}

  /** {@code perClass} images of each of 3 classes, {@code size x size} pixels, seeded. */
  static ImageDataset of(int perClass, int size, long seed) {
    int n = 3 * perClass;
    float[] px = new float[n * size * size];
    int[] labels = new int[n];
    SplittableRandom rnd = Seeds.stream(seed, "synthetic-images");
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      labels[i] = c;
      for (int y = 0; y < size; y++) {
        boolean bar = y * 3 / size == c;
        for (int x = 0; x < size; x++) {
          float v = (bar ? 0.8f : 0.1f) + 0.1f * (float) rnd.nextDouble();
          px[(i * size + y) * size + x] = v;
        }
      }
    }
    return new ImageDataset(
        "synthetic",
        Split.TRAIN,
        new FloatMatrix(n, size * size, px),
        labels,
        size,
        size,
        1,
        List.of("top", "middle", "bottom"));
  }
}
