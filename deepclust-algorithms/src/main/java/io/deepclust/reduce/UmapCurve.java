package io.deepclust.reduce;

/**
 * The low-dimensional similarity {@code 1 / (1 + a d^(2b))} of UMAP, with {@code a, b} fitted by
 * least squares to the target {@code 1} for {@code d < minDist} and {@code exp(-(d - minDist) /
 * spread)} beyond, on 300 points evenly spaced over {@code [0, 3 spread]} (McInnes et al. 2018,
 * appendix C; umap-learn's {@code find_ab_params}, which uses scipy's {@code curve_fit} from {@code
 * (1, 1)}). Solved here by Levenberg-Marquardt from the same start.
 *
 * @param a the curve's scale, positive
 * @param b the curve's exponent, positive (below 1 for small minDist: min_dist 0, spread 1 gives
 *     about a = 1.93, b = 0.79)
 */
public record UmapCurve(double a, double b) {
  static final int POINTS = 300;

  /**
   * Fits {@code a, b}.
   *
   * @param spread the scale of the embedded points, positive
   * @param minDist how tightly points may pack, {@code 0 <= minDist <= spread}
   * @throws IllegalArgumentException if out of range
   */
  public static UmapCurve fit(double spread, double minDist) {
    if (!(spread > 0) || Double.isInfinite(spread) || !(minDist >= 0) || minDist > spread) {
      throw new IllegalArgumentException(
          "UMAP spread "
              + spread
              + " / min_dist "
              + minDist
              + " invalid; need spread > 0 and 0 <= min_dist <= spread (defaults 1 and 0.1)");
    }
    double[] xs = new double[POINTS];
    double[] ys = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      // numpy.linspace(0, 3 spread, 300)
      xs[i] = 3 * spread * i / (POINTS - 1);
      ys[i] = xs[i] < minDist ? 1.0 : Math.exp(-(xs[i] - minDist) / spread);
    }
    double a = 1;
    double b = 1;
    double lambda = 1e-3;
    double cost = cost(xs, ys, a, b);
    for (int it = 0; it < 1000; it++) {
      double jaa = 0;
      double jab = 0;
      double jbb = 0;
      double ga = 0;
      double gb = 0;
      for (int i = 0; i < POINTS; i++) {
        double x = xs[i];
        if (x == 0) {
          continue; // f = 1 whatever a, b: both derivatives vanish
        }
        double p = Math.pow(x, 2 * b);
        double f = 1 / (1 + a * p);
        double r = f - ys[i];
        double da = -p * f * f;
        double db = -a * p * 2 * Math.log(x) * f * f;
        jaa += da * da;
        jab += da * db;
        jbb += db * db;
        ga += da * r;
        gb += db * r;
      }
      boolean improved = false;
      while (lambda < 1e12) {
        double maa = jaa * (1 + lambda);
        double mbb = jbb * (1 + lambda);
        double det = maa * mbb - jab * jab;
        double stepA = -(mbb * ga - jab * gb) / det;
        double stepB = -(maa * gb - jab * ga) / det;
        double na = a + stepA;
        double nb = b + stepB;
        double c = na > 0 && nb > 0 ? cost(xs, ys, na, nb) : Double.POSITIVE_INFINITY;
        if (c < cost) {
          boolean done =
              Math.abs(stepA) <= 1e-12 * (Math.abs(a) + 1e-12)
                  && Math.abs(stepB) <= 1e-12 * (Math.abs(b) + 1e-12);
          double relative = (cost - c) / Math.max(cost, 1e-300);
          a = na;
          b = nb;
          cost = c;
          lambda = Math.max(lambda / 10, 1e-12);
          improved = !(done || relative < 1e-15);
          break;
        }
        lambda *= 10;
      }
      if (!improved) {
        break;
      }
    }
    return new UmapCurve(a, b);
  }

  private static double cost(double[] xs, double[] ys, double a, double b) {
    double s = 0;
    for (int i = 0; i < POINTS; i++) {
      double f = 1 / (1 + a * Math.pow(xs[i], 2 * b));
      s += (f - ys[i]) * (f - ys[i]);
    }
    return s;
  }
}
