package io.deepclust.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Manual measurement (not a unit test) of the flagship's augmentation over one epoch of MNIST-sized
 * images (274 batches of 256 images of 28 x 28, rotation ±10°, shift ±0.1): {@link
 * RandomAffine#apply}, which transforms a batch's images in parallel, against the same transforms
 * one image after another, alternating, in one JVM. Run from deepclust-nn after test-compile:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:DEPS io.deepclust.train.RandomAffineBench
 * </pre>
 */
public final class RandomAffineBench {
  private RandomAffineBench() {}

  public static void main(String[] args) {
    RandomAffine affine = new RandomAffine(10, 0.1, 1, 1, 0, RandomAffine.Fill.CONSTANT);
    int batch = 256;
    int size = 28 * 28;
    float[] images = new float[batch * size];
    SplittableRandom fill = new SplittableRandom(1);
    for (int i = 0; i < images.length; i++) {
      images[i] = fill.nextFloat();
    }
    for (int rep = 0; rep < 5; rep++) {
      long t = System.nanoTime();
      for (int b = 0; b < 274; b++) {
        affine.apply(images.clone(), 1, 28, 28, new SplittableRandom(b));
      }
      double parallel = (System.nanoTime() - t) / 1e9;
      t = System.nanoTime();
      for (int b = 0; b < 274; b++) {
        float[] out = images.clone();
        SplittableRandom r = new SplittableRandom(b);
        for (int i = 0; i < batch; i++) {
          double angle = (2 * r.nextDouble() - 1) * 10;
          double tx = (2 * r.nextDouble() - 1) * 0.1 * 28;
          double ty = (2 * r.nextDouble() - 1) * 0.1 * 28;
          r.nextDouble();
          r.nextDouble();
          float[] src = Arrays.copyOfRange(images, i * size, (i + 1) * size);
          RandomAffine.transform(
              src, out, i * size, 1, 28, 28, angle, tx, ty, 1, 0, RandomAffine.Fill.CONSTANT);
        }
      }
      double sequential = (System.nanoTime() - t) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "one epoch (274 batches of 256): apply (parallel) %.3f s, one image after another %.3f s"
              + " (%d cores)%n",
          parallel,
          sequential,
          Runtime.getRuntime().availableProcessors());
    }
  }
}
