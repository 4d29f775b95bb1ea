package io.deepclust.cluster;

/**
 * The assignment step of Lloyd's algorithm, accelerated with Hamerly's bounds (G. Hamerly, "Making
 * k-means even faster", SDM 2010): the same nearest-centre labels as computing every distance, but
 * most samples skip the k distance computations once the centres settle.
 *
 * <p>Per sample it keeps an upper bound {@code u} on the distance to its assigned centre and a
 * lower bound {@code l} on the distance to every other centre. After the centres move by {@code
 * delta_j}, {@code u += delta_assigned} and {@code l -= max_{j != assigned} delta_j}. A sample
 * keeps its label without computing distances when {@code u <= max(l, s_assigned)}, where {@code
 * s_j} is half the distance from centre j to its nearest other centre (triangle inequality);
 * otherwise {@code u} is recomputed exactly and, if the test still fails, all k distances are
 * computed with {@link DotKernel} in blocks of 4 gathered rows.
 *
 * <p>Distances from the expansion {@code ||x||^2 - 2 x.c + ||c||^2} carry float rounding; the
 * bounds absorb a worst-case error of {@code 2 (d + 2) 2^-23 ||x|| ||c||} on each squared distance,
 * so a skipped sample is never one whose label a full computation would move by more than that
 * rounding. Labels of full computations are the plain argmin (first centre on ties), as in {@link
 * DotKernel#assign}.
 */
final class HamerlyAssigner {
  private final float[] x;
  private final double[] xNorm;
  private final int n;
  private final int d;
  private final int k;
  private final double dotError;
  private final double[] upper;
  private final double[] lower;
  private final float[] centres;
  private final double[] cNorm;
  private final double[] cLength;
  private final double[] squared;
  private final double[] halfSeparation;
  private final double[] shift;
  private final int[] todo;
  private final float[] gathered;
  private final float[] dots;
  private boolean started;

  HamerlyAssigner(float[] x, double[] xNorm, int n, int d, int k) {
    this.x = x;
    this.xNorm = xNorm;
    this.n = n;
    this.d = d;
    this.k = k;
    this.dotError = 2.0 * (d + 2) * 0x1p-23;
    this.upper = new double[n];
    this.lower = new double[n];
    this.centres = new float[k * d];
    this.cNorm = new double[k];
    this.cLength = new double[k];
    this.squared = new double[k];
    this.halfSeparation = new double[k];
    this.shift = new double[k];
    this.todo = new int[n];
    this.gathered = new float[4 * d];
    this.dots = new float[4 * k];
  }

  /**
   * Labels every sample with its nearest centre among {@code newCentres} ({@code k x d}, row-major,
   * not retained), updating {@code labels} in place. The first call computes all distances.
   */
  void assign(float[] newCentres, int[] labels) {
    if (started) {
      moveBounds(newCentres, labels);
    }
    System.arraycopy(newCentres, 0, centres, 0, k * d);
    double[] norms = DotKernel.squaredNorms(centres, k, d);
    System.arraycopy(norms, 0, cNorm, 0, k);
    for (int j = 0; j < k; j++) {
      cLength[j] = Math.sqrt(norms[j]);
    }
    computeHalfSeparation();

    int count = 0;
    if (!started) {
      for (int i = 0; i < n; i++) {
        todo[count++] = i;
      }
      started = true;
    } else {
      for (int i = 0; i < n; i++) {
        int a = labels[i];
        // The (1 - 1e-12) absorbs rounding in the double bound arithmetic itself.
        double bound = Math.max(lower[i], halfSeparation[a]) * (1 - 1e-12);
        if (upper[i] <= bound) {
          continue;
        }
        upper[i] = Math.sqrt(directSquaredDistance(i, a)) * (1 + 1e-12);
        if (upper[i] <= bound) {
          continue;
        }
        todo[count++] = i;
      }
    }
    fullAssign(count, labels);
  }

  private void moveBounds(float[] newCentres, int[] labels) {
    int far = 0;
    for (int j = 0; j < k; j++) {
      double s = 0;
      for (int f = j * d, end = f + d; f < end; f++) {
        double diff = (double) newCentres[f] - centres[f];
        s += diff * diff;
      }
      shift[j] = Math.sqrt(s);
      if (shift[j] > shift[far]) {
        far = j;
      }
    }
    double secondLargest = 0;
    for (int j = 0; j < k; j++) {
      if (j != far) {
        secondLargest = Math.max(secondLargest, shift[j]);
      }
    }
    for (int i = 0; i < n; i++) {
      int a = labels[i];
      upper[i] += shift[a];
      lower[i] -= a == far ? secondLargest : shift[far];
    }
  }

  private void computeHalfSeparation() {
    for (int j = 0; j < k; j++) {
      halfSeparation[j] = Double.POSITIVE_INFINITY;
    }
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        double s = 0;
        for (int f = 0; f < d; f++) {
          double diff = (double) centres[a * d + f] - centres[b * d + f];
          s += diff * diff;
        }
        double half = 0.5 * Math.sqrt(s);
        halfSeparation[a] = Math.min(halfSeparation[a], half);
        halfSeparation[b] = Math.min(halfSeparation[b], half);
      }
    }
  }

  private double directSquaredDistance(int i, int j) {
    return KMeans.squaredDistance(x, i * d, centres, j * d, d);
  }

  /** All k distances for the samples {@code todo[0..count)}, four gathered rows at a time. */
  private void fullAssign(int count, int[] labels) {
    for (int start = 0; start < count; start += 4) {
      int rows = Math.min(4, count - start);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x, todo[start + r] * d, gathered, r * d, d);
      }
      DotKernel.dots(gathered, 0, rows, d, centres, k, dots);
      for (int r = 0; r < rows; r++) {
        int i = todo[start + r];
        double xn = xNorm[i];
        double xLength = Math.sqrt(xn);
        int best = 0;
        double bestSq = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double sq = xn + cNorm[j] - 2.0 * dots[r * k + j];
          squared[j] = sq;
          if (sq < bestSq) {
            bestSq = sq;
            best = j;
          }
        }
        double secondLow = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          if (j != best) {
            secondLow = Math.min(secondLow, squared[j] - dotError * xLength * cLength[j]);
          }
        }
        labels[i] = best;
        upper[i] = Math.sqrt(Math.max(0.0, bestSq + dotError * xLength * cLength[best]));
        lower[i] = Math.sqrt(Math.max(0.0, secondLow));
      }
    }
  }
}
