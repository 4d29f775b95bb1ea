package io.deepclust.train.triplet;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mines triplets inside one mini-batch from its embeddings and (pseudo-)labels, as paper 003's
 * contrastive refinement (section IX-C): every image of the batch is an anchor; its positive is
 * another image of the same label, its negative an image of another label.
 *
 * <ul>
 *   <li>positive, {@link PositiveRule#RANDOM} (default): uniformly random among the other images of
 *       the anchor's label; {@link PositiveRule#HARDEST}: the farthest of them (batch-hard).
 *   <li>negative, {@link NegativeRule#SEMI_HARD} (default): uniformly random in the band d(a, p)
 *       &lt; d(a, n) &lt; d(a, p) + margin (FaceNet's semi-hard negatives), else the hardest (the
 *       nearest image of another label; counted in {@link Mined#hardestFallbacks}); {@link
 *       NegativeRule#HARDEST}: always the nearest image of another label.
 * </ul>
 *
 * Anchors whose label has no other image in the batch, or whose batch holds no other label, get no
 * triplet. Distances are Euclidean, computed in double precision; randomness comes from the given
 * stream, so the same batch, labels and stream give the same triplets.
 */
public final class PseudoLabelMiner {
  /** How a positive is chosen among the anchor's label. */
  public enum PositiveRule {
    RANDOM,
    HARDEST;

    /** Parses "random" or "hardest" (any case). */
    public static PositiveRule parse(String text) {
      String s = Objects.requireNonNull(text, "positive").trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "random" -> RANDOM;
        case "hardest" -> HARDEST;
        default ->
            throw new IllegalArgumentException(
                "unknown positive rule '" + text + "'; use \"random\" or \"hardest\"");
      };
    }
  }

  /** How a negative is chosen among the other labels. */
  public enum NegativeRule {
    SEMI_HARD,
    HARDEST;

    /** Parses "semi_hard" or "hardest" (any case, '-' or '_'). */
    public static NegativeRule parse(String text) {
      String s = Objects.requireNonNull(text, "negative").trim().toLowerCase(Locale.ROOT);
      return switch (s.replace('-', '_')) {
        case "semi_hard" -> SEMI_HARD;
        case "hardest" -> HARDEST;
        default ->
            throw new IllegalArgumentException(
                "unknown negative rule '" + text + "'; use \"semi_hard\" or \"hardest\"");
      };
    }
  }

  /**
   * The triplets of one batch, as positions in the batch.
   *
   * @param anchors anchor positions, ascending
   * @param positives the positive of each anchor
   * @param negatives the negative of each anchor
   * @param positiveDistance d(a, p) of each triplet
   * @param negativeDistance d(a, n) of each triplet
   * @param hardestFallbacks semi-hard anchors with an empty band that took the hardest negative
   */
  public record Mined(
      int[] anchors,
      int[] positives,
      int[] negatives,
      double[] positiveDistance,
      double[] negativeDistance,
      int hardestFallbacks) {
    /** Number of triplets. */
    public int size() {
      return anchors.length;
    }
  }

  private final PositiveRule positive;
  private final NegativeRule negative;

  public PseudoLabelMiner(PositiveRule positive, NegativeRule negative) {
    this.positive = Objects.requireNonNull(positive, "positive");
    this.negative = Objects.requireNonNull(negative, "negative");
  }

  /**
   * Mines the triplets of a batch.
   *
   * @param z the batch's embeddings, b x d row-major
   * @param b images in the batch
   * @param d embedding width
   * @param labels the label of each image, length b
   * @param margin the semi-hard band width (the loss's current margin), &gt; 0
   * @param rnd the stream of random choices
   */
  public Mined mine(float[] z, int b, int d, int[] labels, double margin, SplittableRandom rnd) {
    if (z.length != (long) b * d || labels.length != b) {
      throw new IllegalArgumentException(
          "embeddings of " + z.length + " values and " + labels.length + " labels for b=" + b);
    }
    double[] dist = new double[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = i + 1; j < b; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          double diff = (double) z[i * d + c] - z[j * d + c];
          s += diff * diff;
        }
        double v = Math.sqrt(s);
        dist[i * b + j] = v;
        dist[j * b + i] = v;
      }
    }
    int[] a = new int[b];
    int[] p = new int[b];
    int[] n = new int[b];
    double[] dp = new double[b];
    double[] dn = new double[b];
    int t = 0;
    int fallbacks = 0;
    int[] buf = new int[b];
    for (int i = 0; i < b; i++) {
      int same = 0;
      for (int j = 0; j < b; j++) {
        if (j != i && labels[j] == labels[i]) {
          buf[same++] = j;
        }
      }
      if (same == 0) {
        continue;
      }
      int pos;
      if (positive == PositiveRule.RANDOM) {
        pos = buf[rnd.nextInt(same)];
      } else {
        pos = buf[0];
        for (int k = 1; k < same; k++) {
          if (dist[i * b + buf[k]] > dist[i * b + pos]) {
            pos = buf[k];
          }
        }
      }
      double dap = dist[i * b + pos];
      int hardest = -1;
      int band = 0;
      for (int j = 0; j < b; j++) {
        if (labels[j] == labels[i]) {
          continue;
        }
        double v = dist[i * b + j];
        if (hardest < 0 || v < dist[i * b + hardest]) {
          hardest = j;
        }
        if (v > dap && v < dap + margin) {
          buf[band++] = j;
        }
      }
      if (hardest < 0) {
        continue;
      }
      int neg;
      if (negative == NegativeRule.SEMI_HARD && band > 0) {
        neg = buf[rnd.nextInt(band)];
      } else {
        if (negative == NegativeRule.SEMI_HARD) {
          fallbacks++;
        }
        neg = hardest;
      }
      a[t] = i;
      p[t] = pos;
      n[t] = neg;
      dp[t] = dap;
      dn[t] = dist[i * b + neg];
      t++;
    }
    return new Mined(
        java.util.Arrays.copyOf(a, t),
        java.util.Arrays.copyOf(p, t),
        java.util.Arrays.copyOf(n, t),
        java.util.Arrays.copyOf(dp, t),
        java.util.Arrays.copyOf(dn, t),
        fallbacks);
  }
}
