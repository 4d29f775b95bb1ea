package io.deepclust.run;

import ai.djl.ndarray.NDManager;
import io.deepclust.data.ImageDataset;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.Recipe;

/** Turns images into the vectors that are clustered: the encoder's output, or the pixels. */
final class EmbedStage {
  private EmbedStage() {}

  /**
   * @return {@code n x d} embeddings of {@code images}, one row per image
   */
  static FloatMatrix embed(RunContext ctx, Trained trained, ImageDataset images) {
    if (ctx.recipe().embedding().source().equals(Recipe.Embedding.PIXELS)) {
      return images.pixels();
    }
    try (NDManager scope = trained.model().getNDManager().newSubManager()) {
      return new Embedder(
              trained.autoencoder().encoder(),
              trained.autoencoder().inputShape(),
              ctx.recipe().training().batchSize())
          .embed(scope, images.pixels());
    }
  }
}
