package io.deepclust.run;

/**
 * The trained encoder's embeddings hold NaN or infinite values, or values so large (beyond {@link
 * EmbedStage#MAX_ABS}) that the weights evidently blew up although no batch loss became NaN. Raised
 * after training and before any clustering, with the same advice as {@code
 * io.deepclust.train.TrainingDivergedException}.
 */
public final class EmbeddingsDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmbeddingsDivergedException(String message) {
    super(message);
  }
}
