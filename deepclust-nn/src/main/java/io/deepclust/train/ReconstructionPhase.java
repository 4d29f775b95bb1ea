package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import io.deepclust.nn.Autoencoder;
import java.util.Locale;
import java.util.Objects;

/**
 * Autoencoder pre-training: minimise the reconstruction loss of each batch, as in DEC (Xie et al.
 * 2016, section 3.2), DCEC and N2D.
 */
public final class ReconstructionPhase implements Phase {
  /** The reconstruction loss. */
  public enum LossKind {
    /** Binary cross-entropy on sigmoid outputs, mean over all pixels ({@link Losses}). */
    BCE,
    /** Mean squared error over all pixels. */
    MSE;

    /** Parses "bce" or "mse" (any case). */
    public static LossKind parse(String text) {
      String s = Objects.requireNonNull(text, "loss").trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "bce" -> BCE;
        case "mse" -> MSE;
        default ->
            throw new IllegalArgumentException(
                "unknown reconstruction loss '" + text + "'; use \"bce\" or \"mse\"");
      };
    }
  }

  /**
   * @param name the phase name, e.g. "pretrain"
   * @param epochs epochs to train, at least 1
   * @param loss the reconstruction loss
   */
  public record Config(String name, int epochs, LossKind loss) {
    public Config {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(loss, "loss");
      if (name.isBlank() || name.contains("/")) {
        throw new IllegalArgumentException(
            "phase name '" + name + "' must be non-empty and contain no '/'");
      }
      if (epochs < 1) {
        throw new IllegalArgumentException(
            "epochs of phase '" + name + "' must be at least 1, got " + epochs);
      }
    }

    /** "pretrain", 50 epochs, BCE. */
    public static Config defaults() {
      return new Config("pretrain", 50, LossKind.BCE);
    }
  }

  private final Autoencoder autoencoder;
  private final Config config;

  public ReconstructionPhase(Autoencoder autoencoder, Config config) {
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public int epochs() {
    return config.epochs();
  }

  public Config config() {
    return config;
  }

  /**
   * 2: a reconstruction loss only falls after the first epoch (whose mean includes the untrained
   * start); twice that means the weights blew up (BCE 0.66 to 2.12 at lr 1e6, issue 12).
   */
  @Override
  public double divergenceFactor() {
    return 2.0;
  }

  @Override
  public NDArray loss(PhaseContext ctx, TrainBatch batch) {
    NDArray x = batch.images();
    NDArray y = autoencoder.reconstruct(ctx.parameterStore(), x, ctx.training());
    return config.loss() == LossKind.BCE
        ? Losses.binaryCrossEntropy(y, x)
        : Losses.meanSquaredError(y, x);
  }
}
