package io.deepclust.run;

import ai.djl.ndarray.NDManager;
import io.deepclust.data.ImageDataset;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.Recipe;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns images into the vectors that are clustered: the encoder's output, or the pixels. Encoder
 * output is checked before anything is clustered ({@link #check}).
 */
final class EmbedStage {
  /**
   * Largest embedding magnitude accepted. The encoders here put out values of order 1 to 100 for
   * inputs in [0, 1]; beyond 1e6 the weights have blown up (e.g. learning rate 1e6: k-means inertia
   * 2.5e21), and squared distances lose their meaning in float.
   */
  static final double MAX_ABS = 1e6;

  private EmbedStage() {}

  /**
   * @return {@code n x d} embeddings of {@code images}, one row per image
   */
  static FloatMatrix embed(RunContext ctx, Trained trained, ImageDataset images) {
    if (ctx.recipe().embedding().source().equals(Recipe.Embedding.PIXELS)) {
      return images.pixels();
    }
    FloatMatrix embeddings;
    try (NDManager scope = trained.model().getNDManager().newSubManager()) {
      embeddings =
          new Embedder(
                  trained.autoencoder().encoder(),
                  trained.autoencoder().inputShape(),
                  ctx.recipe().training().batchSize())
              .embed(scope, images.pixels());
    }
    check(embeddings, images.name()).ifPresent(w -> ctx.info("warning: " + w));
    return embeddings;
  }

  /**
   * Stops a run whose encoder diverged without a NaN loss, before clustering: every value must be
   * finite and at most {@link #MAX_ABS} in magnitude.
   *
   * @param what the images embedded, for the message
   * @return a warning when all rows are equal (collapsed embeddings: clustering them is
   *     meaningless, k-means will find one cluster), else empty
   * @throws EmbeddingsDivergedException naming the first offending row and column and the fix
   */
  static Optional<String> check(FloatMatrix embeddings, String what) {
    float[] v = embeddings.data();
    int d = embeddings.cols();
    int n = embeddings.rows();
    float max = 0;
    int maxAt = -1;
    boolean collapsed = n > 1;
    for (int i = 0; i < v.length; i++) {
      float e = v[i];
      if (!Float.isFinite(e)) {
        throw diverged(
            String.format(
                Locale.ROOT,
                "the embedding of image %d (of %d %s images) holds %s at column %d",
                i / d,
                n,
                what,
                e,
                i % d));
      }
      if (Math.abs(e) > max) {
        max = Math.abs(e);
        maxAt = i;
      }
      if (collapsed && i >= d && e != v[i % d]) {
        collapsed = false;
      }
    }
    if (max > MAX_ABS) {
      throw diverged(
          String.format(
              Locale.ROOT,
              "the embeddings of the %d %s images reach %.3g (image %d, column %d), beyond %.0e",
              n,
              what,
              (double) v[maxAt],
              maxAt / d,
              maxAt % d,
              MAX_ABS));
    }
    if (collapsed) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "the embeddings collapsed: all %d %s images have the same embedding, so they"
                  + " cannot be told apart (the encoder learned a constant; lower the learning"
                  + " rate or check the loss)",
              n,
              what));
    }
    return Optional.empty();
  }

  private static EmbeddingsDivergedException diverged(String what) {
    return new EmbeddingsDivergedException(
        "training diverged: "
            + what
            + ", although no batch loss became NaN. Nothing was clustered. Lower the learning"
            + " rate (try a tenth of it), and check the input scaling ([0, 1]) and the loss.");
  }
}
