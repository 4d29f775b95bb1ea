package io.deepclust.report;

import java.util.Locale;

/**
 * Text helpers for {@link HtmlReport}: escaping and number formats. The report is written as
 * polyglot HTML (also well-formed XML), so only the five XML entities are ever emitted.
 */
final class Html {
  private Html() {}

  /** Escapes text for element content and double- or single-quoted attributes; null is "". */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // control characters are not allowed in XML 1.0 and mean nothing to a reader
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * A metric or measurement for display: integers with thousands separators, small values with four
   * decimals, larger ones with fewer; NaN as an em dash.
   */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "\u2014";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "\u221e" : "\u2212\u221e";
    }
    double a = Math.abs(v);
    String s;
    if (v == Math.rint(v) && a < 1e15) {
      s = String.format(Locale.ROOT, "%,d", (long) a);
    } else if (a < 1e-3 && a > 0) {
      s = String.format(Locale.ROOT, "%.3e", a);
    } else if (a < 10) {
      s = String.format(Locale.ROOT, "%.4f", a);
    } else if (a < 1000) {
      s = String.format(Locale.ROOT, "%.2f", a);
    } else {
      s = String.format(Locale.ROOT, "%,.1f", a);
    }
    return v < 0 ? "\u2212" + s : s;
  }

  /** A difference with an explicit sign, e.g. {@code +0.0123} or {@code −0.0040}. */
  static String signed(double v) {
    if (Double.isNaN(v)) {
      return "\u2014";
    }
    return (v >= 0 ? "+" : "") + num(v);
  }

  /**
   * The difference {@code measured - reference} at the precision of the values: four decimals for
   * values below 10 (so {@code +0.0002}, never scientific notation), else as {@link #signed}.
   */
  static String delta(double measured, double reference) {
    double d = measured - reference;
    if (Double.isNaN(d)) {
      return "\u2014";
    }
    if (Math.max(Math.abs(measured), Math.abs(reference)) < 10) {
      String s = String.format(Locale.ROOT, "%.4f", Math.abs(d));
      return (d < 0 && !s.equals("0.0000") ? "\u2212" : "+") + s;
    }
    return signed(d);
  }

  /** A duration such as {@code 0.42 s}, {@code 12.3 s}, {@code 3 min 07 s}, {@code 1 h 04 min}. */
  static String duration(double seconds) {
    if (Double.isNaN(seconds) || seconds < 0) {
      return "\u2014";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.2f s", seconds);
    }
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** A file size such as {@code 812 B}, {@code 4.2 KB}, {@code 31.0 MB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * A JSON key as a label: {@code embedding_dim} or {@code embeddingDim} become "Embedding dim".
   */
  static String label(String key) {
    String spaced =
        key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').trim();
    if (spaced.isEmpty()) {
      return key;
    }
    String lower = spaced.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  /** A CSS percentage for an inline width, clamped to 0..100. */
  static String percent(double fraction) {
    double p = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction)) * 100;
    return String.format(Locale.ROOT, "%.1f%%", p);
  }
}
