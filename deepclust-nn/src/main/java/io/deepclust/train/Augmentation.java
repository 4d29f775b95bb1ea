package io.deepclust.train;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A data augmentation of the images of training steps: {@link GaussianNoise}, {@link RandomAffine},
 * or several in order ({@link Compose}).
 *
 * <p>The {@link TrainingLoop} applies it to every training batch (never to validation, embedding or
 * evaluation), drawing from the stream of (phase, epoch, batch, purpose) ({@link #stream}), drawn
 * in Java: a resumed run sees exactly the images an unbroken run sees, whatever the device or
 * thread count.
 */
public interface Augmentation {

  /**
   * Augments, in place, the {@code images.length / (channels · height · width)} images stored one
   * after another in {@code images}, each channel-first {@code (C, H, W)} as {@link BatchSource}
   * rows, drawing every random number from {@code rnd} (same stream, same result).
   *
   * @param images pixel values in [0, 1], one image per {@code channels · height · width} values
   * @throws IllegalArgumentException when {@code images.length} is not a multiple of the image size
   */
  void apply(float[] images, int channels, int height, int width, SplittableRandom rnd);

  /** True when {@link #apply} never changes an image (the loop then skips it). */
  default boolean isIdentity() {
    return false;
  }

  /**
   * True when the augmentation uses the images' layout (height and width), not only pixel values: a
   * training loop whose images are flat vectors needs their {@code (C, H, W)} shape for it.
   */
  default boolean spatial() {
    return false;
  }

  /** The augmentation in words, for logs. */
  String describe();

  /** {@code v} in its shortest plain form (10, 0.1, 1.05), for {@link #describe()}. */
  static String number(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** The augmentation that changes nothing (e.g. a phase without the run's augmentation). */
  static Augmentation none() {
    return None.INSTANCE;
  }

  /**
   * The stream of the augmentation of the images a training step draws for {@code purpose} ("batch"
   * for the batch itself; a phase that draws more images, e.g. positives, names them): {@code
   * Seeds.stream(seed, "noise/phase/epoch/batch/purpose")} (the name predates other augmentations
   * than noise and is kept so that earlier runs resume exactly).
   */
  static SplittableRandom stream(long seed, String phase, int epoch, int batch, String purpose) {
    return io.deepclust.util.Seeds.stream(
        seed, "noise/" + phase + "/" + epoch + "/" + batch + "/" + purpose);
  }

  /** Checks that {@code length} values hold whole images of {@code (c, h, w)}. */
  static int imageCount(int length, int channels, int height, int width) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image shape (" + channels + ", " + height + ", " + width + ") must be positive");
    }
    long size = (long) channels * height * width;
    if (length % size != 0) {
      throw new IllegalArgumentException(
          length
              + " values are not whole images of shape ("
              + channels
              + ", "
              + height
              + ", "
              + width
              + ")");
    }
    return (int) (length / size);
  }

  /** No augmentation. */
  enum None implements Augmentation {
    INSTANCE;

    @Override
    public void apply(float[] images, int channels, int height, int width, SplittableRandom rnd) {
      imageCount(images.length, channels, height, width);
    }

    @Override
    public boolean isIdentity() {
      return true;
    }

    @Override
    public String describe() {
      return "none";
    }
  }

  /**
   * Several augmentations applied in order, all drawing from the one stream (torchvision's {@code
   * transforms.Compose}), e.g. a random affine then noise.
   *
   * @param steps the augmentations, at least one
   */
  record Compose(List<Augmentation> steps) implements Augmentation {
    public Compose {
      if (steps == null || steps.isEmpty()) {
        throw new IllegalArgumentException("compose needs at least one augmentation");
      }
      steps = List.copyOf(steps);
    }

    @Override
    public void apply(float[] images, int channels, int height, int width, SplittableRandom rnd) {
      for (Augmentation a : steps) {
        if (!a.isIdentity()) {
          a.apply(images, channels, height, width, rnd);
        }
      }
    }

    @Override
    public boolean isIdentity() {
      return steps.stream().allMatch(Augmentation::isIdentity);
    }

    @Override
    public String describe() {
      return String.join(", then ", steps.stream().map(Augmentation::describe).toList());
    }
  }
}
