package io.deepclust.reduce;

import io.deepclust.util.WorkerPool;

/**
 * UMAP's stochastic gradient descent on the fuzzy cross-entropy between the graph and the embedding
 * (McInnes et al. 2018, section 3.2 and Algorithm 5), with umap-learn's schedule: edge e with
 * weight {@code w_e} is sampled every {@code max(w) / w_e} epochs (edges below {@code max(w) /
 * nEpochs} are dropped beforehand by the caller); each sample moves the head (and, in a fit, the
 * tail) along the attractive gradient {@code -2ab d^(2(b-1)) / (1 + a d^(2b))} and draws {@code
 * negativeSampleRate} random points per sample for the repulsive gradient {@code 2 gamma b /
 * ((0.001 + d^2)(1 + a d^(2b)))}; each gradient coordinate is clipped to [-4, 4] and scaled by the
 * learning rate, which decays linearly to 0 over the epochs.
 *
 * <p>Clipping keeps the map finite for {@code min_dist = 0}, where {@code b < 1} makes the
 * attraction singular at d = 0; coincident points (d = 0) neither attract nor repel.
 *
 * <p>Negative samples come from a counter-based generator keyed by (seed, epoch, edge, draw), so
 * the sequence of samples does not depend on threads. With {@code threads = 1} edges are processed
 * in order and the result is bit-for-bit repeatable. With more threads each epoch's edges are split
 * into contiguous ranges processed concurrently, writing the shared embedding without locks
 * ("Hogwild", as umap-learn's {@code parallel=True}): faster, but no longer repeatable.
 */
final class UmapLayout {
  private static final float CLIP = 4f;

  private UmapLayout() {}

  /**
   * Runs the SGD in place on {@code head} (and on {@code tail} when {@code moveOther}).
   *
   * @param head {@code nHead x dim} coordinates being optimised
   * @param tail {@code nTail x dim}; the same array as {@code head} in a fit
   * @param heads edge heads (rows of {@code head})
   * @param tails edge tails (rows of {@code tail})
   * @param epochsPerSample per edge, {@code max(w) / w_e >= 1}
   */
  static void optimise(
      float[] head,
      float[] tail,
      int dim,
      int[] heads,
      int[] tails,
      double[] epochsPerSample,
      boolean moveOther,
      int nEpochs,
      UmapCurve curve,
      double learningRate,
      int negativeSampleRate,
      double gamma,
      long seed,
      WorkerPool pool,
      boolean parallel) {
    int edges = heads.length;
    int nTail = tail.length / dim;
    double[] epochsPerNegative = new double[edges];
    double[] nextSample = epochsPerSample.clone();
    double[] nextNegative = new double[edges];
    for (int e = 0; e < edges; e++) {
      epochsPerNegative[e] = epochsPerSample[e] / negativeSampleRate;
      nextNegative[e] = epochsPerNegative[e];
    }
    boolean sameArrays = head == tail;
    float a = (float) curve.a();
    float b = (float) curve.b();
    double alpha = learningRate;
    for (int epoch = 0; epoch < nEpochs; epoch++) {
      float lr = (float) alpha;
      int ep = epoch;
      // one epoch's edges as a range body: split across the pool (Hogwild) or run in order
      WorkerPool.RangeBody body =
          (from, to) ->
              epoch(
                  from,
                  to,
                  ep,
                  lr,
                  head,
                  tail,
                  dim,
                  heads,
                  tails,
                  epochsPerSample,
                  epochsPerNegative,
                  nextSample,
                  nextNegative,
                  moveOther,
                  sameArrays,
                  nTail,
                  a,
                  b,
                  gamma,
                  seed);
      if (parallel && pool.threads() > 1) {
        pool.forRange(edges, 4096, body);
      } else {
        body.run(0, edges);
      }
      alpha = learningRate * (1.0 - (double) epoch / nEpochs);
    }
  }

  /**
   * One epoch over edges {@code [from, to)}: a static kernel on flat arrays, no allocation, one
   * {@code pow} per sample (umap-learn's formulas; see the class comment).
   */
  private static void epoch(
      int from,
      int to,
      int ep,
      float lr,
      float[] head,
      float[] tail,
      int dim,
      int[] heads,
      int[] tails,
      double[] epochsPerSample,
      double[] epochsPerNegative,
      double[] nextSample,
      double[] nextNegative,
      boolean moveOther,
      boolean sameArrays,
      int nTail,
      float a,
      float b,
      double gamma,
      long seed) {
    double twoAb = -2.0 * a * b;
    double twoGammaB = 2.0 * gamma * b;
    for (int e = from; e < to; e++) {
      if (nextSample[e] > ep) {
        continue;
      }
      int cj = heads[e] * dim;
      int ck = tails[e] * dim;
      float d2 = 0;
      for (int c = 0; c < dim; c++) {
        float diff = head[cj + c] - tail[ck + c];
        d2 += diff * diff;
      }
      if (d2 > 0) {
        // d^(2(b-1)) = d^(2b) / d^2: one pow per sample
        double pb = Math.pow(d2, b);
        double coeff = twoAb * (pb / d2) / (a * pb + 1.0);
        if (moveOther) {
          for (int c = 0; c < dim; c++) {
            float g = clip((float) (coeff * (head[cj + c] - tail[ck + c]))) * lr;
            head[cj + c] += g;
            tail[ck + c] -= g;
          }
        } else {
          for (int c = 0; c < dim; c++) {
            head[cj + c] += clip((float) (coeff * (head[cj + c] - tail[ck + c]))) * lr;
          }
        }
      }
      nextSample[e] += epochsPerSample[e];
      int negatives = (int) ((ep - nextNegative[e]) / epochsPerNegative[e]);
      int j = heads[e];
      for (int p = 0; p < negatives; p++) {
        int other = negativeIndex(seed, ep, e, p, nTail);
        if (sameArrays && other == j) {
          continue;
        }
        int co = other * dim;
        float n2 = 0;
        for (int c = 0; c < dim; c++) {
          float diff = head[cj + c] - tail[co + c];
          n2 += diff * diff;
        }
        if (n2 > 0) {
          double coeff = twoGammaB / ((0.001 + n2) * (a * Math.pow(n2, b) + 1.0));
          for (int c = 0; c < dim; c++) {
            head[cj + c] += clip((float) (coeff * (head[cj + c] - tail[co + c]))) * lr;
          }
        }
      }
      nextNegative[e] += negatives * epochsPerNegative[e];
    }
  }

  private static float clip(float v) {
    return v > CLIP ? CLIP : (v < -CLIP ? -CLIP : v);
  }

  /** A uniform index in {@code [0, n)} from (seed, epoch, edge, draw): SplitMix64's finaliser. */
  static int negativeIndex(long seed, int epoch, int edge, int draw, int n) {
    long z =
        seed
            + epoch * 0x9E3779B97F4A7C15L
            + edge * 0xC2B2AE3D27D4EB4FL
            + draw * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) (((z >>> 32) * n) >>> 32);
  }
}
