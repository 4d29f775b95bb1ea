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
 */
public record Trained(Model model, Autoencoder autoencoder, LossHistory history, long parameters)
    implements AutoCloseable {

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
