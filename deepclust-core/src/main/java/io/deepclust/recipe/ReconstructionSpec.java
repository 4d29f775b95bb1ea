package io.deepclust.recipe;

import io.deepclust.nn.Autoencoder;
import io.deepclust.train.Phase;
import io.deepclust.train.ReconstructionPhase;

/**
 * {@code type: reconstruction}: trains the autoencoder to reproduce its input.
 *
 * @param name phase name (default {@code reconstruction})
 * @param epochs epochs (required; 0 skips the phase)
 * @param optimizer a fresh optimizer for this phase (default: carry on with the one before)
 * @param augmentation this phase's augmentation of its training steps' images in place of {@code
 *     training.augmentation} ({@code {type: none}} for none here); default: the run's
 * @param loss {@code mse} (default, mean squared error) or {@code bce} (binary cross-entropy on the
 *     sigmoid output, paper 000)
 */
public record ReconstructionSpec(
    String name,
    Integer epochs,
    String loss,
    ScheduleSpec schedule,
    EarlyStoppingSpec earlyStopping,
    OptimizerSpec optimizer,
    AugmentationSpec augmentation)
    implements PhaseSpec {

  /** Fills defaults; checks values. */
  public ReconstructionSpec {
    name = Checks.orDefault(name, "reconstruction");
    schedule = PhaseSpec.checkCommon(name, epochs, schedule);
    loss = Checks.orDefault(loss, "mse");
    Checks.require(
        loss.equals("mse") || loss.equals("bce"),
        "loss",
        "'" + loss + "' is not a reconstruction loss; use mse or bce");
  }

  @Override
  public Phase create(Autoencoder autoencoder, ComponentContext context) {
    return new ReconstructionPhase(
        autoencoder,
        new ReconstructionPhase.Config(name, epochs, ReconstructionPhase.LossKind.parse(loss)));
  }
}
