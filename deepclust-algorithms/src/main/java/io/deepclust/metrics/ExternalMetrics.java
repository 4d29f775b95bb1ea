package io.deepclust.metrics;

import java.math.BigInteger;

/**
 * External clustering metrics (a predicted labeling against ground truth), numerically matching
 * scikit-learn 1.2.1 ({@code sklearn.metrics.cluster._supervised}), including its special cases,
 * except AMI's guard against 0/0, which follows current scikit-learn (1.7 on, pull request 31065):
 * identical labelings whose mutual information equals its expectation (e.g. {@code [8, 3]} vs
 * {@code [8, 3]}) score 1.0, not 0.0. Labels are arbitrary ints; {@code truth} and {@code pred}
 * must have equal lengths, otherwise an {@link IllegalArgumentException} is thrown.
 */
public final class ExternalMetrics {
  // np.finfo(np.float64).eps
  private static final double EPS = Math.ulp(1.0);

  private ExternalMetrics() {}

  /**
   * Clustering accuracy: the fraction of samples on the best one-to-one cluster-to-class matching
   * (Hungarian on the contingency table, maximising matches). With more clusters than classes the
   * unmatched clusters count as wrong; with fewer, the unmatched classes do.
   *
   * @throws IllegalArgumentException if there are no samples
   */
  public static double accuracy(int[] truth, int[] pred) {
    return accuracy(ContingencyTable.of(truth, pred));
  }

  /** {@link #accuracy(int[], int[])} on a prebuilt table. */
  public static double accuracy(ContingencyTable table) {
    requireSamples(table, "accuracy");
    int[] match = matchClassesToClusters(table);
    int[][] dense = table.toDense();
    long correct = 0;
    for (int r = 0; r < match.length; r++) {
      if (match[r] >= 0) {
        correct += dense[r][match[r]];
      }
    }
    return (double) correct / table.n();
  }

  /**
   * Purity: each cluster votes for its majority class, {@code sum_c max_r n_rc / n}. Many small
   * clusters inflate it (n singleton clusters give 1.0).
   *
   * @throws IllegalArgumentException if there are no samples
   */
  public static double purity(int[] truth, int[] pred) {
    return purity(ContingencyTable.of(truth, pred));
  }

  /** {@link #purity(int[], int[])} on a prebuilt table. */
  public static double purity(ContingencyTable table) {
    requireSamples(table, "purity");
    int[] colMax = new int[table.nClusters()];
    for (int e = 0; e < table.cellCount.length; e++) {
      colMax[table.cellCol[e]] = Math.max(colMax[table.cellCol[e]], table.cellCount[e]);
    }
    long sum = 0;
    for (int v : colMax) {
      sum += v;
    }
    return (double) sum / table.n();
  }

  /**
   * Normalized mutual information with the arithmetic mean of the entropies ({@code
   * normalized_mutual_info_score(average_method='arithmetic')}): {@code MI / ((H(T) + H(P)) / 2)}.
   * 1.0 when both labelings are a single cluster (or empty); 0.0 when MI is 0.
   */
  public static double nmi(int[] truth, int[] pred) {
    return nmi(ContingencyTable.of(truth, pred));
  }

  /** {@link #nmi(int[], int[])} on a prebuilt table. */
  public static double nmi(ContingencyTable table) {
    if (bothTrivial(table)) {
      return 1.0;
    }
    double mi = mutualInformation(table);
    if (mi == 0) {
      return 0.0;
    }
    double hTrue = entropy(table.n(), table.classSizesView());
    double hPred = entropy(table.n(), table.clusterSizesView());
    return mi / ((hTrue + hPred) / 2);
  }

  /**
   * Adjusted Rand index (Hubert and Arabie 1985) from the pair confusion matrix, as {@code
   * adjusted_rand_score}; 1.0 on full agreement (including single cluster vs single cluster).
   */
  public static double ari(int[] truth, int[] pred) {
    return ari(ContingencyTable.of(truth, pred));
  }

  /** {@link #ari(int[], int[])} on a prebuilt table. */
  public static double ari(ContingencyTable table) {
    long n = table.n();
    int[] rowSums = table.classSizesView();
    int[] colSums = table.clusterSizesView();
    long sumSquares = 0;
    long rowWeighted = 0; // sum_ij n_ij * colSum_j
    long colWeighted = 0; // sum_ij n_ij * rowSum_i
    for (int e = 0; e < table.cellCount.length; e++) {
      long c = table.cellCount[e];
      sumSquares += c * c;
      rowWeighted += c * colSums[table.cellCol[e]];
      colWeighted += c * rowSums[table.cellRow[e]];
    }
    long tp = sumSquares - n;
    long fp = rowWeighted - sumSquares;
    long fn = colWeighted - sumSquares;
    long tn = n * n - fp - fn - sumSquares;
    if (fn == 0 && fp == 0) {
      return 1.0;
    }
    // Products reach ~n^4 and overflow long at n ~ 55k: exact integers, as Python does.
    BigInteger btp = BigInteger.valueOf(tp);
    BigInteger btn = BigInteger.valueOf(tn);
    BigInteger bfp = BigInteger.valueOf(fp);
    BigInteger bfn = BigInteger.valueOf(fn);
    BigInteger num = btp.multiply(btn).subtract(bfn.multiply(bfp));
    BigInteger den = btp.add(bfn).multiply(bfn.add(btn)).add(btp.add(bfp).multiply(bfp.add(btn)));
    return 2.0 * num.doubleValue() / den.doubleValue();
  }

  /**
   * Adjusted mutual information ({@code adjusted_mutual_info_score(average_method='arithmetic')}):
   * {@code (MI - E[MI]) / (mean(H(T), H(P)) - E[MI])}, with the expected MI under the
   * hypergeometric model (Vinh, Epps and Bailey 2010) summed in log space via log-factorials,
   * O(classes x clusters x n) worst case but fast in practice (n = 70,000 in milliseconds).
   */
  public static double ami(int[] truth, int[] pred) {
    return ami(ContingencyTable.of(truth, pred));
  }

  /**
   * {@link #ami(int[], int[])} on a prebuilt table. Special cases as current scikit-learn: 1.0 when
   * both labelings are one cluster (or empty), 0.0 when exactly one of them is; numerator and
   * denominator are each kept at least machine epsilon in magnitude, sign preserved, so that {@code
   * MI = E[MI] = mean entropy} (a perfect match whose MI is no more than chance, e.g. {@code [8,
   * 3]} vs {@code [0, 1]}) gives eps / eps = 1.0 rather than 0 / eps = 0.0.
   */
  public static double ami(ContingencyTable table) {
    if (bothTrivial(table)) {
      return 1.0;
    }
    if (table.nClasses() == 1 || table.nClusters() == 1) {
      return 0.0; // no split on one side: no shared information
    }
    double mi = mutualInformation(table);
    double emi = expectedMutualInformation(table);
    double hTrue = entropy(table.n(), table.classSizesView());
    double hPred = entropy(table.n(), table.clusterSizesView());
    double normalizer = (hTrue + hPred) / 2;
    return atLeastEps(mi - emi) / atLeastEps(normalizer - emi);
  }

  /** {@code x} with magnitude at least machine epsilon, sign kept (0 counts as positive). */
  private static double atLeastEps(double x) {
    return x < 0 ? Math.min(x, -EPS) : Math.max(x, EPS);
  }

  /**
   * Raw and Hungarian-matched confusion matrices (rows truth, columns predicted); see {@link
   * ConfusionMatrix}.
   */
  public static ConfusionMatrix confusionMatrix(int[] truth, int[] pred) {
    return confusionMatrix(ContingencyTable.of(truth, pred));
  }

  /** {@link #confusionMatrix(int[], int[])} on a prebuilt table. */
  public static ConfusionMatrix confusionMatrix(ContingencyTable table) {
    int[][] raw = table.toDense();
    int classes = table.nClasses();
    int clusters = table.nClusters();
    int[] match = matchClassesToClusters(table);
    int width = Math.max(classes, clusters);
    int[] columnCluster = new int[width];
    java.util.Arrays.fill(columnCluster, -1);
    boolean[] placed = new boolean[clusters];
    for (int r = 0; r < classes; r++) {
      if (match[r] >= 0) {
        columnCluster[r] = match[r];
        placed[match[r]] = true;
      }
    }
    int next = classes;
    for (int c = 0; c < clusters; c++) {
      if (!placed[c]) {
        columnCluster[next++] = c;
      }
    }
    int[][] matched = new int[classes][width];
    for (int r = 0; r < classes; r++) {
      for (int col = 0; col < width; col++) {
        if (columnCluster[col] >= 0) {
          matched[r][col] = raw[r][columnCluster[col]];
        }
      }
    }
    return new ConfusionMatrix(table.classIds(), table.clusterIds(), raw, matched, columnCluster);
  }

  /**
   * Mutual information in nats, as {@code mutual_info_score}: 0 if either labeling has a single
   * cluster; terms below machine epsilon are zeroed and the sum is clipped at 0.
   */
  public static double mutualInformation(ContingencyTable table) {
    if (table.nClasses() == 1 || table.nClusters() == 1) {
      return 0.0;
    }
    int[] rowSums = table.classSizesView();
    int[] colSums = table.clusterSizesView();
    double total = table.n();
    double logTotal = Math.log(total);
    double sum = 0;
    for (int e = 0; e < table.cellCount.length; e++) {
      double c = table.cellCount[e];
      double p = c / total;
      long outer = (long) rowSums[table.cellRow[e]] * colSums[table.cellCol[e]];
      double logOuter = -Math.log((double) outer) + logTotal + logTotal;
      double term = p * (Math.log(c) - logTotal) + p * logOuter;
      sum += Math.abs(term) < EPS ? 0.0 : term;
    }
    return Math.max(sum, 0.0);
  }

  /**
   * Expected mutual information of two random labelings with the table's margins (sklearn's {@code
   * expected_mutual_information}).
   */
  static double expectedMutualInformation(ContingencyTable table) {
    int[] a = table.classSizesView();
    int[] b = table.clusterSizesView();
    if (a.length == 1 || b.length == 1) {
      return 0.0;
    }
    int n = table.n();
    double bigN = n;
    double[] logFact = logFactorials(n);
    double logN = Math.log(bigN);
    double glnN = logFact[n];
    double emi = 0;
    for (int i = 0; i < a.length; i++) {
      int ai = a[i];
      double logA = Math.log(ai);
      double glnAi = logFact[ai] + logFact[n - ai];
      for (int j = 0; j < b.length; j++) {
        int bj = b[j];
        double logB = Math.log(bj);
        double glnBase = glnAi + logFact[bj] + logFact[n - bj] - glnN;
        int start = Math.max(ai + bj - n, 1);
        int end = Math.min(ai, bj);
        for (int nij = start; nij <= end; nij++) {
          double term1 = nij / bigN;
          double term2 = logN + Math.log(nij) - logA - logB;
          double gln =
              glnBase
                  - logFact[nij]
                  - logFact[ai - nij]
                  - logFact[bj - nij]
                  - logFact[n - ai - bj + nij];
          emi += term1 * term2 * Math.exp(gln);
        }
      }
    }
    return emi;
  }

  /** {@code ln(m!)} for m = 0..n: exact products for small m, Stirling's series beyond. */
  static double[] logFactorials(int n) {
    double[] lf = new double[n + 1];
    double fact = 1;
    for (int m = 0; m <= n; m++) {
      if (m < 20) {
        if (m > 0) {
          fact *= m; // exact in double up to 18!
        }
        lf[m] = Math.log(fact);
      } else {
        lf[m] = logGamma(m + 1.0);
      }
    }
    return lf;
  }

  /** ln Gamma(x) for x &gt;= 21 by Stirling's series; truncation error below 1e-14 absolute. */
  private static double logGamma(double x) {
    double inv = 1.0 / x;
    double inv2 = inv * inv;
    double series =
        inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
  }

  /** Entropy in nats of a labeling given its cluster sizes; sklearn returns 1.0 for no samples. */
  static double entropy(int n, int[] sizes) {
    if (n == 0) {
      return 1.0;
    }
    int nonEmpty = 0;
    for (int s : sizes) {
      if (s > 0) {
        nonEmpty++;
      }
    }
    if (nonEmpty == 1) {
      return 0.0;
    }
    double total = n;
    double logTotal = Math.log(total);
    double sum = 0;
    for (int s : sizes) {
      if (s > 0) {
        sum += (s / total) * (Math.log(s) - logTotal);
      }
    }
    return -sum;
  }

  /** sklearn's "no split at all" case: both single-cluster, or both empty. */
  private static boolean bothTrivial(ContingencyTable table) {
    return (table.nClasses() == 1 && table.nClusters() == 1)
        || (table.nClasses() == 0 && table.nClusters() == 0);
  }

  /** match[r] = cluster index matched to class r, or -1. */
  private static int[] matchClassesToClusters(ContingencyTable table) {
    int[][] dense = table.toDense();
    double[][] w = new double[dense.length][];
    for (int r = 0; r < dense.length; r++) {
      w[r] = new double[dense[r].length];
      for (int c = 0; c < dense[r].length; c++) {
        w[r][c] = dense[r][c];
      }
    }
    return Hungarian.maximize(w);
  }

  private static void requireSamples(ContingencyTable table, String metric) {
    if (table.n() == 0) {
      throw new IllegalArgumentException(
          metric + ": truth and pred are empty; it needs at least one labeled sample");
    }
  }
}
