package io.deepclust.reduce;

/**
 * Settings for {@link Pca}.
 *
 * @param components number of principal components to keep, at least 1 (and at most the number of
 *     features and of samples, checked by fit)
 * @param whiten if true, {@link PcaModel#transform} divides each score by {@code
 *     sqrt(explainedVariance)} so every output column has unit variance on the fitted data
 *     (sklearn's {@code whiten=True})
 */
public record PcaConfig(int components, boolean whiten) {

  /** Validates {@code components}. */
  public PcaConfig {
    if (components < 1) {
      throw new IllegalArgumentException(
          "PCA components = " + components + " is invalid; use components >= 1 (default 50)");
    }
  }

  /** 50 components, no whitening: the usual reduction of image embeddings before clustering. */
  public static PcaConfig defaults() {
    return new PcaConfig(50, false);
  }
}
