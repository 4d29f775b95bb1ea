package io.deepclust.run;

import ai.djl.Model;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.LossHistory;

/**
 * The trained autoencoder of a run. Closing it frees the model's native memory.
 *
 * @param model the DJL model holding the parameters, or null for a run without a model
 * @param autoencoder encoder and decoder, or null for a run without a model
 * @param history loss per epoch of every phase (empty without training)
 * @param parameters trainable parameter count (0 without a model)
 * @param facts numbers the phases report about themselves for {@code metrics.json}, e.g. a joint
 *     clustering phase's {@code <phase>_collapse_recoveries}; empty when none
 */
public record Trained(
    Model model,
    Autoencoder autoencoder,
    LossHistory history,
    long parameters,
    java.util.Map<String, Double> facts)
    implements AutoCloseable {

  public Trained {
    facts =
        facts == null
            ? java.util.Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }

  /** Without facts. */
  public Trained(Model model, Autoencoder autoencoder, LossHistory history, long parameters) {
    this(model, autoencoder, history, parameters, null);
  }

  /** A run that clusters pixels: no model. */
  static Trained none() {
    return new Trained(null, null, new LossHistory(), 0);
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
