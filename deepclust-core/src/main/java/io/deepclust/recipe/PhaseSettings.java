package io.deepclust.recipe;

import io.deepclust.nn.Autoencoder;
import io.deepclust.train.Phase;
import io.deepclust.train.ReconstructionPhase;
import io.deepclust.train.TripletPhase;
import io.deepclust.train.triplet.TripletMiner;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a recipe's {@link Recipe.Phase} (type, loss, {@code params}) onto the training phases of
 * {@code io.deepclust.train}, with errors that name the field ({@code training.phases.<i>...}),
 * what is wrong and the valid values.
 *
 * <p>Phase types and their {@code params}:
 *
 * <ul>
 *   <li>{@code reconstruction}: loss {@code mse} or {@code bce}; no params.
 *   <li>{@code triplet} (paper 001, phase 2; {@link TripletPhase}): loss {@code triplet_margin};
 *       params {@code subset_size} (20000), {@code margin} (1.0), {@code mining} ({@code
 *       random_far}, the paper's rule, or {@code semi_hard}), {@code negative_threshold} (0.5),
 *       {@code forward} ({@code joint} or {@code separate}), {@code l2_normalize} (false: the
 *       encoder of triplet-cae-001 normalises itself), {@code embed_batch_size} (512), {@code
 *       max_tries} (32).
 * </ul>
 */
public final class PhaseSettings {
  /** Phase type: autoencoder reconstruction. */
  public static final String RECONSTRUCTION = "reconstruction";

  /** Phase type: triplet fine-tuning of the encoder (paper 001). */
  public static final String TRIPLET = "triplet";

  /** The phase types a recipe can use. */
  public static final List<String> TYPES = List.of(RECONSTRUCTION, TRIPLET);

  /** The params a triplet phase understands. */
  public static final List<String> TRIPLET_PARAMS =
      List.of(
          "subset_size",
          "margin",
          "mining",
          "negative_threshold",
          "forward",
          "l2_normalize",
          "embed_batch_size",
          "max_tries");

  private PhaseSettings() {}

  /** The loss a phase of {@code type} uses when the recipe names none. */
  static String defaultLoss(String type) {
    return TRIPLET.equals(type) ? "triplet_margin" : "mse";
  }

  /**
   * Checks type, loss and params of the phase at position {@code index}.
   *
   * @throws RecipeException naming the field, the bad value and the valid ones
   */
  public static void validate(Recipe.Phase phase, int index) {
    switch (requireType(phase, index)) {
      case RECONSTRUCTION -> reconstructionConfig(phase, index, Math.max(1, phase.epochs()));
      case TRIPLET -> tripletConfig(phase, index, Math.max(1, phase.epochs()));
      default -> throw new IllegalStateException("unreachable");
    }
  }

  /**
   * The training phase for the recipe phase at {@code index} (which must have at least 1 epoch).
   */
  public static Phase create(Recipe.Phase phase, int index, Autoencoder autoencoder) {
    return switch (requireType(phase, index)) {
      case RECONSTRUCTION ->
          new ReconstructionPhase(autoencoder, reconstructionConfig(phase, index, phase.epochs()));
      case TRIPLET -> new TripletPhase(autoencoder, tripletConfig(phase, index, phase.epochs()));
      default -> throw new IllegalStateException("unreachable");
    };
  }

  /** The {@link ReconstructionPhase} settings of a {@code reconstruction} phase. */
  public static ReconstructionPhase.Config reconstructionConfig(
      Recipe.Phase phase, int index, int epochs) {
    String at = "training.phases." + index;
    if (!phase.params().isEmpty()) {
      throw new RecipeException(
          "invalid value for '"
              + at
              + ".params': a reconstruction phase takes no params, got "
              + phase.params().keySet()
              + "; remove them (params belong to phases of type triplet)");
    }
    ReconstructionPhase.LossKind loss;
    try {
      loss = ReconstructionPhase.LossKind.parse(phase.loss());
    } catch (IllegalArgumentException e) {
      throw new RecipeException(
          "invalid value for '"
              + at
              + ".loss': '"
              + phase.loss()
              + "' is not a reconstruction loss; use 'mse' or 'bce'",
          e);
    }
    return wrap(at, () -> new ReconstructionPhase.Config(phase.name(), epochs, loss));
  }

  /** The {@link TripletPhase} settings of a {@code triplet} phase; defaults are paper 001's. */
  public static TripletPhase.Config tripletConfig(Recipe.Phase phase, int index, int epochs) {
    String at = "training.phases." + index;
    String loss = phase.loss().trim().toLowerCase(Locale.ROOT);
    if (!loss.equals("triplet_margin") && !loss.equals("triplet")) {
      throw new RecipeException(
          "invalid value for '"
              + at
              + ".loss': '"
              + phase.loss()
              + "' is not a triplet loss; use 'triplet_margin' (or leave loss out)");
    }
    Map<String, Object> params = phase.params();
    for (String key : params.keySet()) {
      if (!TRIPLET_PARAMS.contains(key)) {
        throw new RecipeException(
            "unknown field '"
                + at
                + ".params."
                + key
                + "' for a triplet phase; valid params: "
                + String.join(", ", TRIPLET_PARAMS));
      }
    }
    TripletPhase.Config d = TripletPhase.Config.defaults();
    TripletMiner.Config dm = d.mining();
    int subsetSize = intParam(params, at, "subset_size", d.subsetSize());
    require(subsetSize >= 3, at, "subset_size", subsetSize, "use at least 3 images (paper: 20000)");
    float margin = floatParam(params, at, "margin", d.margin());
    require(
        margin > 0 && Float.isFinite(margin),
        at,
        "margin",
        margin,
        "use a finite margin > 0 (paper: 1.0)");
    String miningText = stringParam(params, at, "mining", "random_far");
    TripletMiner.NegativeMining mining;
    try {
      mining = TripletMiner.NegativeMining.parse(miningText);
    } catch (IllegalArgumentException e) {
      throw new RecipeException(
          "invalid value for '"
              + at
              + ".params.mining': '"
              + miningText
              + "' is not a mining rule; use 'random_far' (paper 001: a random negative farther"
              + " than negative_threshold) or 'semi_hard' (d(a,p) < d(a,n) < d(a,p) + margin)",
          e);
    }
    float threshold = floatParam(params, at, "negative_threshold", dm.negativeThreshold());
    require(
        threshold >= 0 && Float.isFinite(threshold),
        at,
        "negative_threshold",
        threshold,
        "use a finite distance >= 0 (paper: 0.5)");
    int maxTries = intParam(params, at, "max_tries", dm.maxTries());
    require(maxTries >= 1, at, "max_tries", maxTries, "use at least 1 random draw");
    String forwardText = stringParam(params, at, "forward", "joint");
    TripletPhase.Forward forward;
    try {
      forward = TripletPhase.Forward.parse(forwardText);
    } catch (IllegalArgumentException e) {
      throw new RecipeException(
          "invalid value for '"
              + at
              + ".params.forward': '"
              + forwardText
              + "' is not a forward mode; use 'joint' (one forward of anchors, positives and"
              + " negatives) or 'separate' (three forwards)",
          e);
    }
    boolean l2 = boolParam(params, at, "l2_normalize", d.l2Normalize());
    int embedBatch = intParam(params, at, "embed_batch_size", d.embedBatchSize());
    require(embedBatch >= 1, at, "embed_batch_size", embedBatch, "use at least 1 image");
    TripletMiner.Config miningConfig = new TripletMiner.Config(mining, threshold, margin, maxTries);
    return wrap(
        at,
        () ->
            new TripletPhase.Config(
                phase.name(), epochs, subsetSize, margin, miningConfig, forward, l2, embedBatch));
  }

  private static String requireType(Recipe.Phase phase, int index) {
    if (!TYPES.contains(phase.type())) {
      throw new RecipeException(
          "invalid value for 'training.phases."
              + index
              + ".type': '"
              + phase.type()
              + "' is not a phase type; use one of "
              + String.join(", ", TYPES));
    }
    return phase.type();
  }

  private static void require(boolean ok, String at, String key, Object value, String fix) {
    if (!ok) {
      throw new RecipeException(
          "invalid value for '" + at + ".params." + key + "': " + value + "; " + fix);
    }
  }

  private static <T> T wrap(String at, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new RecipeException("invalid phase '" + at + "': " + e.getMessage(), e);
    }
  }

  private static Object value(Map<String, Object> params, String at, String key) {
    if (params.containsKey(key) && params.get(key) == null) {
      throw new RecipeException(
          "invalid value for '" + at + ".params." + key + "': empty; give a value or remove it");
    }
    return params.get(key);
  }

  private static int intParam(Map<String, Object> params, String at, String key, int fallback) {
    Object v = value(params, at, key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      double x = n.doubleValue();
      if (x == Math.rint(x) && Math.abs(x) <= Integer.MAX_VALUE) {
        return (int) x;
      }
    }
    throw new RecipeException(
        "invalid value for '" + at + ".params." + key + "': '" + v + "' is not a whole number");
  }

  private static float floatParam(
      Map<String, Object> params, String at, String key, float fallback) {
    return typedParam(params, at, key, Number.class, "a number", fallback).floatValue();
  }

  private static String stringParam(
      Map<String, Object> params, String at, String key, String fallback) {
    return typedParam(params, at, key, String.class, "a word", fallback);
  }

  private static boolean boolParam(
      Map<String, Object> params, String at, String key, boolean fallback) {
    return typedParam(params, at, key, Boolean.class, "true or false", fallback);
  }

  /** The parameter as a {@code type}, {@code fallback} when absent; else a clear error. */
  private static <T> T typedParam(
      Map<String, Object> params, String at, String key, Class<T> type, String what, T fallback) {
    Object v = value(params, at, key);
    if (v == null) {
      return fallback;
    }
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    throw new RecipeException(
        "invalid value for '" + at + ".params." + key + "': '" + v + "' is not " + what);
  }
}
