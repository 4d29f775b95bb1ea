package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.train.GaussianNoise;

/**
 * A data augmentation of the training images ({@code training.augmentation}), chosen by {@code
 * type}. It changes only what training steps see; embeddings, clustering and evaluation use the
 * clean images.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AugmentationSpec.GaussianNoiseSpec.class, name = "gaussian_noise"),
})
public sealed interface AugmentationSpec permits AugmentationSpec.GaussianNoiseSpec {

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
    public GaussianNoise build() {
      return new GaussianNoise(sigma, clip);
    }
  }
}
