package io.deepclust.viz;

import java.util.Locale;

/** "Nice" axis ticks (steps of 1, 2 or 5 times a power of ten) and their labels, for SVG charts. */
final class AxisTicks {
  private AxisTicks() {}

  /** A step of 1, 2 or 5 x 10^k close to {@code range / (target - 1)}. */
  static double niceStep(double range, int target) {
    double raw = range / Math.max(1, target - 1);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / magnitude;
    double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nice * magnitude;
  }

  /** Tick positions in [lo, hi] at multiples of {@link #niceStep}; about {@code target} of them. */
  static double[] ticks(double lo, double hi, int target) {
    double step = niceStep(hi - lo, target);
    long first = (long) Math.ceil(lo / step - 1e-9);
    long last = (long) Math.floor(hi / step + 1e-9);
    int n = (int) Math.max(0, last - first + 1);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = (first + i) * step;
    }
    return t;
  }

  /**
   * Ticks for a log10 axis spanning exponents [lo, hi]: the log10 of 1, 2 and 5 x 10^k inside the
   * range, or of whole decades only when that would give more than ten ticks.
   */
  static double[] logTicks(double lo, double hi) {
    double[] mantissas = {1, 2, 5};
    java.util.List<Double> all = new java.util.ArrayList<>();
    java.util.List<Double> decades = new java.util.ArrayList<>();
    for (long k = (long) Math.floor(lo); k <= (long) Math.ceil(hi); k++) {
      for (double m : mantissas) {
        double e = k + Math.log10(m);
        if (e >= lo - 1e-9 && e <= hi + 1e-9) {
          all.add(e);
          if (m == 1) {
            decades.add(e);
          }
        }
      }
    }
    java.util.List<Double> chosen = all.size() > 10 ? decades : all;
    if (chosen.size() < 2) {
      return ticks(lo, hi, 5);
    }
    double[] out = new double[chosen.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = chosen.get(i);
    }
    return out;
  }

  /** Label for tick {@code v} on an axis with spacing {@code step}. */
  static String label(double v, double step) {
    if (Math.abs(v) < step * 1e-6) {
      return "0";
    }
    double av = Math.abs(v);
    if (av >= 1e6 || av < 1e-3) {
      return trim(String.format(Locale.ROOT, "%.3g", v));
    }
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Label for a log10-axis tick at exponent {@code e}: the value 10^e, compactly. */
  static String logLabel(double e) {
    double v = Math.pow(10, e);
    if (v >= 1e-3 && v < 1e6) {
      return trim(String.format(Locale.ROOT, "%.4g", v));
    }
    return trim(String.format(Locale.ROOT, "%.3g", v));
  }

  private static String trim(String s) {
    // "1.00e-05" -> "1e-05", "0.5000" -> "0.5"
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }
}
