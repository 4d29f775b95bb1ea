package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.train.Augmentation;
import io.deepclust.train.GaussianNoise;
import io.deepclust.train.RandomAffine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A data augmentation of the training images ({@code training.augmentation}, or a phase's own
 * {@code training.phases.N.augmentation}), chosen by {@code type}. It changes only what training
 * steps see; embeddings, clustering and evaluation use the clean images.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AugmentationSpec.GaussianNoiseSpec.class, name = "gaussian_noise"),
  @JsonSubTypes.Type(value = AugmentationSpec.RandomAffineSpec.class, name = "random_affine"),
  @JsonSubTypes.Type(value = AugmentationSpec.ComposeSpec.class, name = "compose"),
  @JsonSubTypes.Type(value = AugmentationSpec.NoneSpec.class, name = "none"),
})
public sealed interface AugmentationSpec
    permits AugmentationSpec.GaussianNoiseSpec,
        AugmentationSpec.RandomAffineSpec,
        AugmentationSpec.ComposeSpec,
        AugmentationSpec.NoneSpec {

  /** The augmentation the training loop applies in every training step. */
  Augmentation build();

  /**
   * True when this is, or contains, Gaussian noise with {@code apply: once} (a change of the
   * training data before training, not a per-step augmentation).
   */
  default boolean appliedOnce() {
    return false;
  }

  /**
   * {@code type: gaussian_noise}: {@code x + sigma · N(0, 1)} per pixel, clipped to [0, 1] ({@link
   * GaussianNoise}; paper 003: sigma 0.02).
   *
   * @param sigma the standard deviation in pixel units (required; &gt;= 0)
   * @param clip clip the result to [0, 1] (default true)
   * @param apply {@code per_batch} (default: fresh noise in every training step, seeded per phase,
   *     epoch and batch, so a resumed run is exact) or {@code once} (the training images are
   *     perturbed once, seeded per image, before training: the noise is part of the data)
   */
  record GaussianNoiseSpec(Double sigma, Boolean clip, String apply) implements AugmentationSpec {
    /** Per training step. */
    public static final String PER_BATCH = "per_batch";

    /** Once, before training. */
    public static final String ONCE = "once";

    /** Fills defaults; checks values. */
    public GaussianNoiseSpec {
      Checks.require(
          sigma != null && sigma >= 0 && Double.isFinite(sigma),
          "sigma",
          "give the noise's standard deviation in pixel units (>= 0, e.g. 0.02), got " + sigma);
      clip = Checks.orDefault(clip, true);
      apply = Checks.orDefault(apply, PER_BATCH);
      Checks.require(
          apply.equals(PER_BATCH) || apply.equals(ONCE),
          "apply",
          "'" + apply + "' is not a mode; use per_batch or once");
      Checks.require(
          clip || apply.equals(PER_BATCH),
          "clip",
          "noise applied once must be clipped (training images must stay in [0, 1]); set clip"
              + " true or apply per_batch");
    }

    /** The noise. */
    @Override
    public GaussianNoise build() {
      return new GaussianNoise(sigma, clip);
    }

    @Override
    public boolean appliedOnce() {
      return apply.equals(ONCE);
    }
  }

  /**
   * {@code type: random_affine}: each image rotated, shifted, scaled and sheared about its centre
   * by its own random parameters, resampled bilinearly ({@link RandomAffine}; torchvision's {@code
   * RandomAffine}; DEC-DA (Guo et al. 2018) on MNIST: rotation 10, shift 0.1).
   *
   * @param rotation the largest rotation in degrees, angle uniform in [-rotation, rotation]
   *     (default 0; at most 180)
   * @param shift the largest shift as a fraction of the width and of the height, uniform in
   *     [-shift, shift] each (default 0; below 1)
   * @param scale {@code [min, max]}, the scale factor uniform in it (default [1, 1]: none)
   * @param shear the largest x-shear in degrees (default 0; below 90)
   * @param fill {@code constant} (default: zeros outside the image, torchvision's fill 0) or {@code
   *     nearest} (the edge pixels, Keras's default)
   */
  record RandomAffineSpec(
      Double rotation, Double shift, List<Double> scale, Double shear, String fill)
      implements AugmentationSpec {
    /** Fills defaults; checks values. */
    public RandomAffineSpec {
      rotation = Checks.orDefault(rotation, 0.0);
      Checks.require(
          rotation >= 0 && rotation <= 180,
          "rotation",
          "give the largest rotation in degrees, 0 to 180 (e.g. 10), got " + rotation);
      shift = Checks.orDefault(shift, 0.0);
      Checks.require(
          shift >= 0 && shift < 1,
          "shift",
          "give the largest shift as a fraction of the image size, at least 0 and below 1 (e.g."
              + " 0.1), got "
              + shift);
      scale = scale == null ? List.of(1.0, 1.0) : new ArrayList<>(scale);
      Checks.require(
          scale.size() == 2 && scale.get(0) != null && scale.get(1) != null,
          "scale",
          "give [min, max] scale factors (e.g. [0.9, 1.1], or [1, 1] for none), got " + scale);
      Checks.require(
          scale.get(0) > 0
              && Double.isFinite(scale.get(0))
              && Double.isFinite(scale.get(1))
              && scale.get(1) >= scale.get(0),
          "scale",
          "give [min, max] with 0 < min <= max (e.g. [0.9, 1.1]), got " + scale);
      scale = List.copyOf(scale);
      shear = Checks.orDefault(shear, 0.0);
      Checks.require(
          shear >= 0 && shear < 90,
          "shear",
          "give the largest shear in degrees, at least 0 and below 90, got " + shear);
      fill = Checks.orDefault(fill, "constant");
      Checks.require(
          fill.equals("constant") || fill.equals("nearest"),
          "fill",
          "'" + fill + "' is not a fill; use constant (zeros outside the image) or nearest");
    }

    @Override
    public RandomAffine build() {
      return new RandomAffine(
          rotation,
          shift,
          scale.get(0),
          scale.get(1),
          shear,
          RandomAffine.Fill.valueOf(fill.toUpperCase(Locale.ROOT)));
    }
  }

  /**
   * {@code type: compose}: several augmentations applied in order to each training batch, e.g.
   * {@code {type: compose, steps: [{type: random_affine, rotation: 10}, {type: gaussian_noise,
   * sigma: 0.02}]}} (torchvision's {@code transforms.Compose}).
   *
   * @param steps the augmentations in order (required; at least one; no {@code compose} inside, and
   *     Gaussian noise only {@code per_batch})
   */
  record ComposeSpec(List<AugmentationSpec> steps) implements AugmentationSpec {
    /** Checks the steps. */
    public ComposeSpec {
      Checks.require(
          steps != null && !steps.isEmpty(),
          "steps",
          "give the augmentations to apply in order, e.g. [{type: random_affine, rotation: 10},"
              + " {type: gaussian_noise, sigma: 0.02}]");
      for (int i = 0; i < steps.size(); i++) {
        AugmentationSpec a = steps.get(i);
        Checks.require(a != null, "steps." + i, "give an augmentation with its type");
        Checks.require(
            !(a instanceof ComposeSpec),
            "steps." + i,
            "a compose inside a compose; list its steps here instead");
        Checks.require(
            !a.appliedOnce(),
            "steps." + i + ".apply",
            "noise applied once changes the data before training and cannot be a step; use"
                + " per_batch here");
      }
      steps = List.copyOf(steps);
    }

    @Override
    public Augmentation build() {
      return new Augmentation.Compose(steps.stream().map(AugmentationSpec::build).toList());
    }
  }

  /**
   * {@code type: none}: no augmentation, e.g. a phase's {@code augmentation: {type: none}} when
   * {@code training.augmentation} is set for the others.
   */
  record NoneSpec() implements AugmentationSpec {
    @Override
    public Augmentation build() {
      return Augmentation.none();
    }
  }
}
