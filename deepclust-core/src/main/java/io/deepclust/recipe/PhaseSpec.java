package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.Phase;
import io.deepclust.train.PhaseOptions;

/**
 * A training phase of a recipe, chosen by {@code type}. Adding one: a record implementing this
 * interface, its {@link Phase} in {@code io.deepclust.train}, and one line in {@link JsonSubTypes}
 * below; the run's stages need no edit.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ReconstructionSpec.class, name = "reconstruction"),
  @JsonSubTypes.Type(value = TripletSpec.class, name = "triplet"),
  @JsonSubTypes.Type(value = DecSpec.class, name = "dec"),
  @JsonSubTypes.Type(value = EmbeddedKMeansSpec.class, name = "embedded_kmeans"),
  @JsonSubTypes.Type(value = ContrastiveSpec.class, name = "contrastive"),
})
public sealed interface PhaseSpec
    permits ReconstructionSpec, TripletSpec, DecSpec, EmbeddedKMeansSpec, ContrastiveSpec {

  /** The phase's name in logs, checkpoints and per-phase rows (default: its type). */
  String name();

  /** Epochs to train (0 skips the phase). */
  Integer epochs();

  /** The phase's learning-rate schedule (default constant). */
  ScheduleSpec schedule();

  /** The phase's early stopping, or null for none (the default). */
  EarlyStoppingSpec earlyStopping();

  /**
   * A fresh optimizer for this phase (as a new torch.optim optimizer: no state carried over), or
   * null (the default) to carry on with the optimizer of the phase before, the recipe's {@code
   * training.optimizer} for the first phase.
   */
  OptimizerSpec optimizer();

  /**
   * This phase's augmentation of its training steps' images in place of {@code
   * training.augmentation} ({@link AugmentationSpec.NoneSpec} for none in this phase), or null (the
   * default) for the run's.
   */
  AugmentationSpec augmentation();

  /**
   * The clustering head this phase trains (its k, α and kernel), or null for a phase without one.
   * The run adds the head to the model when a phase asks for one.
   */
  default HeadSpec head() {
    return null;
  }

  /** The training loop's per-phase options. */
  default PhaseOptions options() {
    return new PhaseOptions(
        schedule().build(),
        earlyStopping() == null ? null : earlyStopping().build(),
        optimizer() == null ? null : optimizer().build(),
        augmentation() == null ? null : augmentation().build());
  }

  /**
   * The training phase; only called when {@link #epochs()} is at least 1.
   *
   * @param autoencoder the model being trained
   * @param context the run's seed
   */
  Phase create(Autoencoder autoencoder, ComponentContext context);

  /**
   * Checks, before anything runs, that the phase's own clustering components (if any) can work on
   * {@code rows} training images embedded in {@code dims} dimensions.
   *
   * @throws IllegalArgumentException {@code "<field>: <why and the fix>"}, field relative to the
   *     phase
   */
  default void checkFits(int rows, int dims) {}

  /**
   * Images one epoch of this phase passes through the network, for throughput figures.
   *
   * @param trainingImages images in the training set
   */
  default long imagesPerEpoch(int trainingImages) {
    return trainingImages;
  }

  /**
   * Checks the fields every phase has.
   *
   * @return {@code schedule}, or the constant schedule when absent
   */
  static ScheduleSpec checkCommon(String name, Integer epochs, ScheduleSpec schedule) {
    Checks.requireFileName(name, "name");
    Checks.require(
        epochs != null && epochs >= 0,
        "epochs",
        "give the number of epochs (0 or more; 0 skips the phase), got " + epochs);
    return Checks.orDefault(schedule, new ScheduleSpec.Constant());
  }
}
