package io.deepclust.train.triplet;

/**
 * One (anchor, positive, negative) triplet per row of an n x d embedding matrix, from {@link
 * TripletMiner#mine}. Every row is an anchor exactly once; the per-anchor arrays are indexed by the
 * anchor's row, so a training step looks its triplets up by the rows of its batch. The arrays are
 * shared, not copied.
 *
 * @param anchorOrder the rows 0..n-1 in the seeded random order in which to visit the anchors
 * @param positive {@code positive[a]}: the row nearest to row {@code a} other than {@code a} itself
 *     (Euclidean; exact duplicates at distance 0 qualify; ties go to the lowest row)
 * @param negative {@code negative[a]}: the negative of anchor {@code a}, never {@code a} nor {@code
 *     positive[a]}
 * @param positiveDistance ||x_a - x_p||_2 of each anchor, computed in double precision
 * @param negativeDistance ||x_a - x_n||_2 of each anchor, computed in double precision
 * @param belowThreshold anchors for which no row lay farther than the negative threshold, whose
 *     negative is therefore the farthest row
 * @param semiHardFallbacks with {@link TripletMiner.NegativeMining#SEMI_HARD}: anchors whose
 *     semi-hard band held no row, mined with the random-far rule instead (0 otherwise)
 */
public record Triplets(
    int[] anchorOrder,
    int[] positive,
    int[] negative,
    float[] positiveDistance,
    float[] negativeDistance,
    int belowThreshold,
    int semiHardFallbacks) {

  /** Number of triplets (= rows of the mined matrix). */
  public int size() {
    return positive.length;
  }

  /** The {@code k}-th anchor in the seeded visiting order. */
  public int anchor(int k) {
    return anchorOrder[k];
  }

  /** Positive rows of {@code anchors}, e.g. of a batch's rows. */
  public int[] positivesOf(int[] anchors) {
    int[] out = new int[anchors.length];
    for (int k = 0; k < anchors.length; k++) {
      out[k] = positive[anchors[k]];
    }
    return out;
  }

  /** Negative rows of {@code anchors}, e.g. of a batch's rows. */
  public int[] negativesOf(int[] anchors) {
    int[] out = new int[anchors.length];
    for (int k = 0; k < anchors.length; k++) {
      out[k] = negative[anchors[k]];
    }
    return out;
  }

  /** Mean of {@link #positiveDistance} (for logs). */
  public double meanPositiveDistance() {
    return mean(positiveDistance);
  }

  /** Mean of {@link #negativeDistance} (for logs). */
  public double meanNegativeDistance() {
    return mean(negativeDistance);
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }
}
