package io.deepclust.train;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A random affine transform of each image, a data augmentation: rotation, shift, scale and shear
 * about the image centre, resampled bilinearly (torchvision's {@code transforms.RandomAffine}; Guo
 * et al. 2018, "Deep Embedded Clustering with Data Augmentation" (DEC-DA), pretrain on MNIST with
 * Keras's {@code ImageDataGenerator(rotation_range=10, width_shift_range=0.1,
 * height_shift_range=0.1)}: here {@code new RandomAffine(10, 0.1, 1, 1, 0, Fill.CONSTANT)}).
 *
 * <p>Per image, in this order, five numbers are drawn uniformly from the stream (always five, so
 * the stream's use does not depend on which ranges are zero): the angle θ in [-rotation, rotation]
 * degrees, the shifts t_x in [-shift, shift]·W and t_y in [-shift, shift]·H pixels (not rounded, as
 * Keras; torchvision rounds them to whole pixels), the scale s in [scaleMin, scaleMax] and the
 * x-shear φ in [-shear, shear] degrees. With pixel coordinates (x, y) = (column, row), y pointing
 * down, and the centre c = ((W-1)/2, (H-1)/2) (the centre of the middle pixel, as torchvision's and
 * Keras's), the output pixel at p takes the input value at {@code c + M⁻¹(p - c - t)}, where {@code
 * M = s·R(θ)·Sh(φ)}, {@code R(θ) = [[cos θ, sin θ], [-sin θ, cos θ]]} (a positive angle turns the
 * picture counter-clockwise on screen, as torchvision) and {@code Sh(φ) = [[1, tan φ], [0, 1]]}.
 * Every channel gets the same transform.
 *
 * <p>Values between pixel centres are interpolated bilinearly (Keras's {@code order=1};
 * torchvision's {@code InterpolationMode.BILINEAR}); output values are convex combinations of input
 * values and the fill, so [0, 1] images stay in [0, 1]. Outside the image:
 *
 * <ul>
 *   <li>{@link Fill#CONSTANT}: the image is extended by zeros and interpolation runs there too, so
 *       edges blend into 0 (torchvision's default {@code fill=0}, {@code grid_sample}'s {@code
 *       padding_mode='zeros'}; scipy's {@code mode='grid-constant'}). The natural choice for dark
 *       backgrounds such as MNIST.
 *   <li>{@link Fill#NEAREST}: the image is extended by its edge pixels (Keras's default {@code
 *       fill_mode='nearest'}; scipy's {@code mode='nearest'}, {@code padding_mode='border'}).
 * </ul>
 *
 * <p>Parameters that are all neutral (rotation, shift and shear 0, scale [1, 1]) leave images
 * exactly as they are.
 *
 * @param rotation the largest rotation in degrees, in [0, 180]
 * @param shift the largest shift as a fraction of the width (horizontal) and height (vertical), in
 *     [0, 1)
 * @param scaleMin the smallest scale factor, &gt; 0
 * @param scaleMax the largest scale factor, &gt;= scaleMin
 * @param shear the largest x-shear in degrees, in [0, 90)
 * @param fill what lies outside the image
 */
public record RandomAffine(
    double rotation, double shift, double scaleMin, double scaleMax, double shear, Fill fill)
    implements Augmentation {

  /** What lies outside the image. */
  public enum Fill {
    /** Zeros (torchvision's {@code fill=0}). */
    CONSTANT,
    /** The nearest edge pixel (Keras's {@code fill_mode='nearest'}). */
    NEAREST;

    /** {@code constant} or {@code nearest}, as a recipe writes it. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RandomAffine {
    check(
        rotation >= 0 && rotation <= 180, "rotation", rotation, "a number of degrees in [0, 180]");
    check(shift >= 0 && shift < 1, "shift", shift, "a fraction of the image size in [0, 1)");
    check(scaleMin > 0 && Double.isFinite(scaleMin), "scaleMin", scaleMin, "a finite number > 0");
    check(
        scaleMax >= scaleMin && Double.isFinite(scaleMax),
        "scaleMax",
        scaleMax,
        "a finite number >= scaleMin (" + scaleMin + ")");
    check(shear >= 0 && shear < 90, "shear", shear, "a number of degrees in [0, 90)");
    if (fill == null) {
      throw new IllegalArgumentException("fill must be CONSTANT or NEAREST, got null");
    }
  }

  private static void check(boolean ok, String name, double value, String what) {
    if (!ok) {
      throw new IllegalArgumentException(
          "random affine " + name + " must be " + what + ", got " + value);
    }
  }

  @Override
  public void apply(float[] images, int channels, int height, int width, SplittableRandom rnd) {
    int n = Augmentation.imageCount(images.length, channels, height, width);
    int size = channels * height * width;
    double[] p = new double[n * 5];
    for (int i = 0; i < n; i++) {
      p[i * 5] = uniform(rnd, rotation);
      p[i * 5 + 1] = uniform(rnd, shift) * width;
      p[i * 5 + 2] = uniform(rnd, shift) * height;
      p[i * 5 + 3] = scaleMin + (scaleMax - scaleMin) * rnd.nextDouble();
      p[i * 5 + 4] = uniform(rnd, shear);
    }
    // an image depends on its own five numbers only, so the images are transformed in parallel
    // with the same result at any thread count, on the common fork-join pool (all cores, as the
    // project's other Java-side work; the training step waits for the batch meanwhile)
    java.util.stream.IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              float[] src = java.util.Arrays.copyOfRange(images, i * size, (i + 1) * size);
              int o = i * 5;
              transform(
                  src, images, i * size, channels, height, width, p[o], p[o + 1], p[o + 2],
                  p[o + 3], p[o + 4], fill);
            });
  }

  /** Uniform in [-r, r] from one draw. */
  private static double uniform(SplittableRandom rnd, double r) {
    return (2 * rnd.nextDouble() - 1) * r;
  }

  /**
   * One image transformed with given parameters (the deterministic part of {@link #apply}).
   *
   * @param src the image, {@code (C, H, W)} channel-first, {@code channels · height · width} values
   * @param dst receives the transformed image at {@code dstOffset}; not {@code src}
   * @param angle θ in degrees (positive: counter-clockwise on screen)
   * @param tx the horizontal shift in pixels (positive: right)
   * @param ty the vertical shift in pixels (positive: down)
   * @param scale s, &gt; 0
   * @param shear φ in degrees, in (-90, 90)
   */
  public static void transform(
      float[] src,
      float[] dst,
      int dstOffset,
      int channels,
      int height,
      int width,
      double angle,
      double tx,
      double ty,
      double scale,
      double shear,
      Fill fill) {
    double a = Math.toRadians(angle);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double tan = Math.tan(Math.toRadians(shear));
    // M⁻¹ = Sh(φ)⁻¹ R(θ)⁻¹ / s = [[cos - tan·sin, -sin - tan·cos], [sin, cos]] / s
    double m00 = (cos - tan * sin) / scale;
    double m01 = (-sin - tan * cos) / scale;
    double m10 = sin / scale;
    double m11 = cos / scale;
    double cx = (width - 1) * 0.5;
    double cy = (height - 1) * 0.5;
    int plane = height * width;
    for (int y = 0; y < height; y++) {
      double dy = y - cy - ty;
      for (int x = 0; x < width; x++) {
        double dx = x - cx - tx;
        double sx = cx + m00 * dx + m01 * dy;
        double sy = cy + m10 * dx + m11 * dy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        for (int c = 0; c < channels; c++) {
          int base = c * plane;
          double v00 = pixel(src, base, height, width, x0, y0, fill);
          double v01 = pixel(src, base, height, width, x0 + 1, y0, fill);
          double v10 = pixel(src, base, height, width, x0, y0 + 1, fill);
          double v11 = pixel(src, base, height, width, x0 + 1, y0 + 1, fill);
          double v = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
          dst[dstOffset + base + y * width + x] = (float) v;
        }
      }
    }
  }

  private static double pixel(float[] src, int base, int h, int w, int x, int y, Fill fill) {
    if (x < 0 || y < 0 || x >= w || y >= h) {
      if (fill == Fill.CONSTANT) {
        return 0;
      }
      x = Math.min(Math.max(x, 0), w - 1);
      y = Math.min(Math.max(y, 0), h - 1);
    }
    return src[base + y * w + x];
  }

  @Override
  public boolean isIdentity() {
    return rotation == 0 && shift == 0 && scaleMin == 1 && scaleMax == 1 && shear == 0;
  }

  @Override
  public String describe() {
    return "random affine (rotation ±"
        + Augmentation.number(rotation)
        + "°, shift ±"
        + Augmentation.number(shift)
        + " of the size, scale ["
        + Augmentation.number(scaleMin)
        + ", "
        + Augmentation.number(scaleMax)
        + "], shear ±"
        + Augmentation.number(shear)
        + "°, "
        + fill.text()
        + " fill, bilinear)";
  }
}
