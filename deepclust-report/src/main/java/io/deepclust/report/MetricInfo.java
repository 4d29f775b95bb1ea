package io.deepclust.report;

import java.util.List;
import java.util.Locale;

/**
 * What the report says about one clustering metric: its display name, a one-line explanation, and
 * which direction is better. Keys are those of {@code io.deepclust.metrics.Evaluation}.
 *
 * @param key the {@code metrics.json} key, e.g. {@code acc}
 * @param label short display name, e.g. {@code ACC}
 * @param help one sentence for readers who do not know the metric
 * @param direction whether higher or lower values are better
 * @param low lower end of the metric's range for the card's meter, NaN when unbounded
 * @param high upper end of the range, NaN when unbounded
 * @param external whether it compares against the true labels (else it scores the geometry)
 */
record MetricInfo(
    String key,
    String label,
    String help,
    Direction direction,
    double low,
    double high,
    boolean external) {

  /** Which way a metric improves. */
  enum Direction {
    HIGHER,
    LOWER,
    NONE;

    /** Whether {@code a} is better than {@code b} (false for NONE or NaN). */
    boolean better(double a, double b) {
      if (Double.isNaN(a) || Double.isNaN(b)) {
        return false;
      }
      return this == HIGHER ? a > b : this == LOWER && a < b;
    }
  }

  /** The eight metrics the report shows as cards, in reporting order, plus the cluster count. */
  static final List<MetricInfo> CATALOG =
      List.of(
          new MetricInfo(
              "acc",
              "ACC",
              "Clustering accuracy: share of images whose cluster, after the best one-to-one"
                  + " cluster-to-class matching (Hungarian), is their true class.",
              Direction.HIGHER,
              0,
              1,
              true),
          new MetricInfo(
              "nmi",
              "NMI",
              "Normalised mutual information between clusters and classes; 0 means independent,"
                  + " 1 identical partitions.",
              Direction.HIGHER,
              0,
              1,
              true),
          new MetricInfo(
              "ari",
              "ARI",
              "Adjusted Rand index: agreement over all pairs of images, corrected for chance;"
                  + " 0 is a random labelling, 1 a perfect one.",
              Direction.HIGHER,
              0,
              1,
              true),
          new MetricInfo(
              "ami",
              "AMI",
              "Adjusted mutual information: NMI corrected for chance agreement; 0 is a random"
                  + " labelling, 1 a perfect one.",
              Direction.HIGHER,
              0,
              1,
              true),
          new MetricInfo(
              "purity",
              "Purity",
              "Share of images in the majority class of their cluster; rises trivially with"
                  + " more clusters.",
              Direction.HIGHER,
              0,
              1,
              true),
          new MetricInfo(
              "silhouette",
              "Silhouette",
              "How much closer points are to their own cluster than to the nearest other one,"
                  + " on the clustered features; from \u22121 to 1.",
              Direction.HIGHER,
              -1,
              1,
              false),
          new MetricInfo(
              "davies_bouldin",
              "Davies\u2013Bouldin",
              "Average worst-case ratio of cluster spread to distance between centres;"
                  + " 0 is the best possible.",
              Direction.LOWER,
              Double.NaN,
              Double.NaN,
              false),
          new MetricInfo(
              "calinski_harabasz",
              "Calinski\u2013Harabasz",
              "Between-cluster over within-cluster dispersion, scaled by degrees of freedom;"
                  + " unbounded.",
              Direction.HIGHER,
              Double.NaN,
              Double.NaN,
              false),
          new MetricInfo(
              "n_clusters",
              "Clusters",
              "Number of distinct clusters the method actually used.",
              Direction.NONE,
              Double.NaN,
              Double.NaN,
              false));

  /** The catalog entry for {@code key} (case and separators ignored), or null if unknown. */
  static MetricInfo of(String key) {
    String k = normalise(key);
    for (MetricInfo m : CATALOG) {
      if (m.key.equals(k)) {
        return m;
      }
    }
    return null;
  }

  /** {@code "Davies-Bouldin"} and {@code "davies bouldin"} both become {@code davies_bouldin}. */
  static String normalise(String key) {
    return key.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-\u2013]+", "_");
  }

  /**
   * Why a value of this metric can be undefined (JSON {@code null} in {@code metrics.json}), for
   * the report's tooltip.
   */
  String whyUndefined() {
    if (external) {
      return "undefined: needs the true labels of the clustered images, which this run did not"
          + " have";
    }
    if (key.equals("silhouette")) {
      return "undefined: needs at least 2 clusters, and fewer clusters than points";
    }
    if (direction == Direction.NONE) {
      return "undefined for this run";
    }
    return "undefined: needs at least 2 clusters";
  }

  /** Whether the metric is one of the eight quality cards (not the cluster count). */
  boolean isCard() {
    return direction != Direction.NONE;
  }

  /** Where {@code v} sits in the range, 0..1, or NaN when the range is unbounded. */
  double fraction(double v) {
    if (Double.isNaN(low) || Double.isNaN(v)) {
      return Double.NaN;
    }
    return Math.max(0, Math.min(1, (v - low) / (high - low)));
  }
}
