package io.deepclust.metrics;

import io.deepclust.linalg.FloatMatrix;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All metrics of one clustering, keyed in a fixed order: {@code acc, nmi, ari, ami, purity} (only
 * with ground truth), {@code silhouette, davies_bouldin, calinski_harabasz} (only with features and
 * {@link EvaluationOptions#internal()}), and {@code n_clusters} (distinct predicted ids). Internal
 * metrics that are undefined for the labeling (one cluster, or every point its own cluster) are
 * reported as NaN instead of failing the whole evaluation.
 *
 * @param metrics unmodifiable, insertion-ordered
 */
public record Evaluation(Map<String, Double> metrics) {
  public static final String ACC = "acc";
  public static final String NMI = "nmi";
  public static final String ARI = "ari";
  public static final String AMI = "ami";
  public static final String PURITY = "purity";
  public static final String SILHOUETTE = "silhouette";
  public static final String DAVIES_BOULDIN = "davies_bouldin";
  public static final String CALINSKI_HARABASZ = "calinski_harabasz";
  public static final String N_CLUSTERS = "n_clusters";

  /** Every key, in reporting order. */
  public static final List<String> KEYS =
      List.of(
          ACC, NMI, ARI, AMI, PURITY, SILHOUETTE, DAVIES_BOULDIN, CALINSKI_HARABASZ, N_CLUSTERS);

  public Evaluation {
    Objects.requireNonNull(metrics, "metrics");
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** {@link #of(FloatMatrix, int[], int[], EvaluationOptions)} with defaults (exact silhouette). */
  public static Evaluation of(FloatMatrix features, int[] truth, int[] pred) {
    return of(features, truth, pred, EvaluationOptions.defaults());
  }

  /**
   * Evaluates {@code pred}.
   *
   * @param features {@code n x d} points, or null to skip the internal metrics
   * @param truth n ground-truth ids, or null to skip the external metrics
   * @param pred n predicted cluster ids
   * @throws IllegalArgumentException if the lengths disagree
   */
  public static Evaluation of(
      FloatMatrix features, int[] truth, int[] pred, EvaluationOptions options) {
    Objects.requireNonNull(pred, "pred");
    Objects.requireNonNull(options, "options");
    if (features != null && features.rows() != pred.length) {
      throw new IllegalArgumentException(
          "features has "
              + features.rows()
              + " rows but pred has "
              + pred.length
              + " labels; give one predicted label per row");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    if (truth != null) {
      ContingencyTable table = ContingencyTable.of(truth, pred);
      m.put(ACC, ExternalMetrics.accuracy(table));
      m.put(NMI, ExternalMetrics.nmi(table));
      m.put(ARI, ExternalMetrics.ari(table));
      m.put(AMI, ExternalMetrics.ami(table));
      m.put(PURITY, ExternalMetrics.purity(table));
    }
    int nClusters = LabelCoding.of(pred, "pred").k();
    if (features != null && options.internal()) {
      boolean defined = nClusters >= 2 && nClusters <= pred.length - 1;
      if (defined) {
        m.put(SILHOUETTE, silhouetteOrNaN(features, pred, options.silhouette()));
        m.put(DAVIES_BOULDIN, InternalMetrics.daviesBouldin(features, pred));
        m.put(CALINSKI_HARABASZ, InternalMetrics.calinskiHarabasz(features, pred));
      } else {
        m.put(SILHOUETTE, Double.NaN);
        m.put(DAVIES_BOULDIN, Double.NaN);
        m.put(CALINSKI_HARABASZ, Double.NaN);
      }
    }
    m.put(N_CLUSTERS, (double) nClusters);
    return new Evaluation(m);
  }

  /** A sampled subset may itself hold a single cluster: NaN, as for the full data. */
  private static double silhouetteOrNaN(FloatMatrix x, int[] pred, SilhouetteOptions options) {
    if (options.sampleSize() > 0 && options.sampleSize() < pred.length) {
      int[] subset =
          InternalMetrics.sampleWithoutReplacement(
              pred.length, options.sampleSize(), options.seed());
      int[] sub = new int[subset.length];
      for (int i = 0; i < subset.length; i++) {
        sub[i] = pred[subset[i]];
      }
      int k = LabelCoding.of(sub, "pred").k();
      if (k < 2 || k > sub.length - 1) {
        return Double.NaN;
      }
    }
    return InternalMetrics.silhouette(x, pred, options);
  }

  /**
   * The value of {@code key}.
   *
   * @throws IllegalArgumentException if it was not computed
   */
  public double get(String key) {
    Double v = metrics.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          "metric '" + key + "' was not computed; available: " + metrics.keySet());
    }
    return v;
  }
}
