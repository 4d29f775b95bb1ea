package io.deepclust.cluster;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.InternalMetrics;
import io.deepclust.metrics.SilhouetteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Chooses the number of clusters: fits one clusterer per candidate k and keeps the best by a
 * criterion, for data whose number of groups is unknown.
 *
 * <ul>
 *   <li>{@link Criterion#BIC}: the Gaussian mixture's Bayesian information criterion on the fitted
 *       rows (scikit-learn's {@code GaussianMixture.bic}; lower wins), the usual rule for choosing
 *       a mixture's size (scikit-learn's "Gaussian Mixture Model Selection" example);
 *   <li>{@link Criterion#SILHOUETTE}: the mean silhouette of the labels on a seeded sample of the
 *       rows (higher wins), for any clusterer.
 * </ul>
 *
 * Ties keep the smaller k. Each candidate's score is kept ({@link #lastScores()}), so the run can
 * show the whole curve next to the true number of classes.
 */
public final class SelectK implements Clusterer {
  /** What ranks the candidates. */
  public enum Criterion {
    /** Bayesian information criterion of a Gaussian mixture; lower is better. */
    BIC,
    /** Mean silhouette (Euclidean) of the labels; higher is better. */
    SILHOUETTE;

    /** {@code bic} or {@code silhouette}. */
    public static Criterion parse(String s) {
      return switch (s) {
        case "bic" -> BIC;
        case "silhouette" -> SILHOUETTE;
        default ->
            throw new IllegalArgumentException(
                "criterion '" + s + "' is not one of bic, silhouette");
      };
    }

    /** The name as written in a recipe. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One candidate's outcome.
   *
   * @param k the number of clusters asked for
   * @param score the criterion's value; NaN when it could not be scored
   * @param distinct clusters the fit actually used (0 when the fit failed)
   * @param failure why this k could not be fitted or scored, or null
   */
  public record Score(int k, double score, int distinct, String failure) {}

  private final IntFunction<Clusterer> clustererForK;
  private final int[] ks;
  private final Criterion criterion;
  private final SilhouetteOptions silhouette;
  private List<Score> lastScores = List.of();
  private int lastK = -1;

  /**
   * @param clustererForK the clusterer to fit with k clusters
   * @param ks candidates, each at least 2, in the order they are tried
   * @param criterion the ranking
   * @param silhouette sampling, seed and threads of the silhouette (used for {@link
   *     Criterion#SILHOUETTE} only)
   * @throws IllegalArgumentException when {@code ks} is empty or holds a k below 2
   */
  public SelectK(
      IntFunction<Clusterer> clustererForK,
      int[] ks,
      Criterion criterion,
      SilhouetteOptions silhouette) {
    this.clustererForK = Objects.requireNonNull(clustererForK, "clustererForK");
    if (ks.length == 0) {
      throw new IllegalArgumentException("give at least one candidate k");
    }
    for (int k : ks) {
      if (k < 2) {
        throw new IllegalArgumentException("candidate k " + k + " is below 2");
      }
    }
    this.ks = ks.clone();
    this.criterion = Objects.requireNonNull(criterion, "criterion");
    this.silhouette = Objects.requireNonNull(silhouette, "silhouette");
  }

  @Override
  public ClusterResult fit(FloatMatrix x) {
    return fitPredictor(x).result();
  }

  /**
   * Fits every candidate and returns the winner's fit.
   *
   * @throws IllegalArgumentException when a candidate k exceeds the rows, or {@link Criterion#BIC}
   *     is asked of a clusterer that is not a Gaussian mixture
   */
  @Override
  public Fitted fitPredictor(FloatMatrix x) {
    List<Score> scores = new ArrayList<>();
    Fitted best = null;
    double bestScore = Double.NaN;
    for (int k : ks) {
      if (k > x.rows()) {
        throw new IllegalArgumentException(
            "candidate k " + k + " is more than the " + x.rows() + " rows clustered");
      }
      Clusterer c = clustererForK.apply(k);
      if (criterion == Criterion.BIC) {
        requireMixture(c);
      }
      Fitted f;
      try {
        f = c.fitPredictor(x);
      } catch (IllegalArgumentException e) {
        // e.g. a covariance that is not positive definite at a large k: that k is out, not all
        scores.add(new Score(k, Double.NaN, 0, e.getMessage()));
        continue;
      }
      double s = score(f, x);
      scores.add(
          new Score(
              k,
              s,
              f.result().distinctClusters(),
              Double.isNaN(s) ? "fewer than 2 clusters in use" : null));
      if (better(s, bestScore)) {
        best = f;
        bestScore = s;
      }
    }
    lastScores = List.copyOf(scores);
    if (best == null) {
      throw new IllegalArgumentException(
          "no candidate k could be scored by "
              + criterion.text()
              + ": "
              + summary(scores, -1)
              + "; widen the range or change the clusterer");
    }
    lastK = best.result().k();
    return best;
  }

  private static void requireMixture(Clusterer c) {
    if (!(c instanceof GaussianMixture)) {
      throw new IllegalArgumentException(
          "criterion bic needs a Gaussian mixture (cluster type gmm); use silhouette for others");
    }
  }

  private boolean better(double s, double bestScore) {
    if (Double.isNaN(s)) {
      return false;
    }
    if (Double.isNaN(bestScore)) {
      return true;
    }
    return criterion == Criterion.BIC ? s < bestScore : s > bestScore;
  }

  private double score(Fitted f, FloatMatrix x) {
    if (criterion == Criterion.BIC) {
      // requireMixture checked the clusterer: its model is a mixture
      return ((ClusterModel.Mixture) f.model()).mixture().bic(x);
    }
    if (f.result().distinctClusters() < 2) {
      return Double.NaN;
    }
    return InternalMetrics.silhouette(x, f.result().labels(), silhouette);
  }

  /** Each candidate of the last fit, in the order tried; empty before a fit. */
  public List<Score> lastScores() {
    return lastScores;
  }

  /** One line: the criterion per k and the choice, e.g. for a run's log. */
  @Override
  public String lastSummary() {
    if (lastScores.isEmpty()) {
      return "";
    }
    return "k chosen by " + criterion.text() + ": " + summary(lastScores, lastK);
  }

  private static String summary(List<Score> scores, int chosen) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < scores.size(); i++) {
      Score s = scores.get(i);
      sb.append(i == 0 ? "" : ", ");
      if (s.failure() != null) {
        sb.append("k=").append(s.k()).append(" not scored (").append(s.failure()).append(')');
      } else {
        sb.append(String.format(Locale.ROOT, "k=%d %.6g", s.k(), s.score()))
            .append(s.k() == chosen ? " (chosen)" : "");
      }
    }
    return sb.toString();
  }
}
