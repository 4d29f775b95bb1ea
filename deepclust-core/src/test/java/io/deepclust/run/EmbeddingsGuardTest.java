package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a loss that grew without becoming NaN (learning rate 1e6: k-means inertia 2.5e21, exit
 * code 0) left embeddings in the 1e8 range that were clustered silently; NaN or infinite embeddings
 * likewise. Both stop before clustering with the NaN guard's advice.
 */
class EmbeddingsGuardTest {
  static FloatMatrix rows(float... v) {
    return new FloatMatrix(v.length / 2, 2, v);
  }

  @Test
  void nanOrInfiniteEmbeddingsStopTheRunNamingImageAndColumn() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      EmbeddingsDivergedException e =
          assertThrows(
              EmbeddingsDivergedException.class,
              () -> EmbedStage.check(rows(0.1f, 0.2f, 0.3f, bad, 0.5f, 0.6f), "mnist"));
      String m = e.getMessage();
      assertTrue(m.startsWith("training diverged: the embedding of image 1 (of 3 mnist"), m);
      assertTrue(m.contains(Float.toString(bad) + " at column 1"), m);
      assertTrue(m.contains("Lower the learning rate (try a tenth of it)"), m);
      assertTrue(m.contains("Nothing was clustered"), m);
    }
  }

  @Test
  void hugeEmbeddingsStopTheRun() {
    EmbeddingsDivergedException e =
        assertThrows(
            EmbeddingsDivergedException.class,
            () -> EmbedStage.check(rows(1f, 2f, -1.6e8f, 3f), "mnist"));
    String m = e.getMessage();
    assertTrue(m.contains("reach -1.60e+08 (image 1, column 0), beyond 1e+06"), m);
    assertTrue(m.contains("Lower the learning rate"), m);
  }

  @Test
  void ordinaryEmbeddingsPassAndCollapsedOnesWarn() {
    assertTrue(EmbedStage.check(rows(1f, 2f, -9.5e5f, 3f), "mnist").isEmpty());
    String w = EmbedStage.check(rows(0.5f, 2f, 0.5f, 2f, 0.5f, 2f), "mnist").orElseThrow();
    assertTrue(w.startsWith("the embeddings collapsed: all 3 mnist images"), w);
    assertTrue(EmbedStage.check(rows(0.5f, 2f), "one").isEmpty(), "one row is not a collapse");
  }
}
