package io.deepclust.train;

import io.deepclust.linalg.FloatMatrix;
import java.util.SplittableRandom;

/**
 * Additive Gaussian pixel noise, a data augmentation: {@code x' = x + σ·ε}, ε ~ N(0, 1) per pixel,
 * then clipped to [0, 1] when {@code clip} (paper 003, section II-B: σ = 0.02, "values were clipped
 * to maintain the [0, 1] range"; torchvision-style {@code (x + σ * torch.randn_like(x)).clamp(0,
 * 1)}).
 *
 * <p>In training the {@link TrainingLoop} applies it to every training batch (never to validation,
 * embedding or evaluation); the noise of batch b of epoch e of phase p comes from its own stream
 * {@link Augmentation#stream} {@code Seeds.stream(seed, "noise/p/e/b/purpose")}, drawn in Java, so
 * a resumed run adds exactly the noise an unbroken run adds, whatever the device or thread count.
 * {@link #applyOnce} instead perturbs a whole matrix once (noise fixed before training, the other
 * reading of the paper).
 *
 * @param sigma the standard deviation σ, in pixel units ([0, 1] images), finite and &gt;= 0; 0 is
 *     no noise
 * @param clip whether the result is clipped to [0, 1]
 */
public record GaussianNoise(double sigma, boolean clip) implements Augmentation {
  public GaussianNoise {
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException(
          "noise sigma must be a finite number >= 0, got " + sigma + "; paper 003 uses 0.02");
    }
  }

  /**
   * Adds the noise to every value of {@code images} in place, in order, drawing from {@code rnd}
   * (the shape only checks that {@code images} holds whole images).
   */
  @Override
  public void apply(float[] images, int channels, int height, int width, SplittableRandom rnd) {
    Augmentation.imageCount(images.length, channels, height, width);
    apply(images, rnd);
  }

  @Override
  public boolean isIdentity() {
    return sigma == 0;
  }

  @Override
  public String describe() {
    return "Gaussian noise sigma "
        + Augmentation.number(sigma)
        + (clip ? ", clipped to [0, 1]" : "");
  }

  /** Adds the noise to {@code values} in place, drawing from {@code rnd}. */
  public void apply(float[] values, SplittableRandom rnd) {
    if (sigma == 0) {
      return;
    }
    for (int i = 0; i < values.length; i++) {
      double v = values[i] + sigma * rnd.nextGaussian();
      if (clip) {
        v = v < 0 ? 0 : (v > 1 ? 1 : v);
      }
      values[i] = (float) v;
    }
  }

  /**
   * A noisy copy of {@code images} (one image per row), the noise of row i drawn from {@code
   * Seeds.stream(seed, "noise-once/" + i)}: the same row gets the same noise whatever the order.
   */
  public FloatMatrix applyOnce(FloatMatrix images, long seed) {
    int cols = images.cols();
    float[] out = images.data().clone();
    float[] row = new float[cols];
    for (int i = 0; i < images.rows(); i++) {
      System.arraycopy(out, i * cols, row, 0, cols);
      apply(row, io.deepclust.util.Seeds.stream(seed, "noise-once/" + i));
      System.arraycopy(row, 0, out, i * cols, cols);
    }
    return new FloatMatrix(images.rows(), cols, out);
  }

  /** {@link Augmentation#stream}. */
  static SplittableRandom stream(long seed, String phase, int epoch, int batch, String purpose) {
    return Augmentation.stream(seed, phase, epoch, batch, purpose);
  }
}
