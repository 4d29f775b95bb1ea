package io.deepclust.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Rows of named metrics (one row per method), printed as an aligned text or Markdown table. */
public final class MetricsTable {
  private final Map<String, Map<String, Double>> rows = new LinkedHashMap<>();

  /** Adds (or replaces) the row {@code method}. */
  public MetricsTable add(String method, Map<String, Double> metrics) {
    rows.put(method, new LinkedHashMap<>(metrics));
    return this;
  }

  public Map<String, Map<String, Double>> rows() {
    return rows;
  }

  private List<String> columns() {
    Set<String> cols = new LinkedHashSet<>();
    rows.values().forEach(m -> cols.addAll(m.keySet()));
    return new ArrayList<>(cols);
  }

  static String format(Double v) {
    if (v == null || v.isNaN()) {
      return "undefined";
    }
    double a = Math.abs(v);
    if (v == Math.rint(v) && a < 1e6) {
      return String.format(Locale.ROOT, "%d", v.longValue());
    }
    return a >= 100 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.4f", v);
  }

  /** A fixed-width text table for the console. */
  public String toText() {
    List<String> cols = columns();
    int w0 = "method".length();
    for (String r : rows.keySet()) {
      w0 = Math.max(w0, r.length());
    }
    int[] w = new int[cols.size()];
    for (int j = 0; j < cols.size(); j++) {
      w[j] = Math.max(8, cols.get(j).length());
      for (Map<String, Double> m : rows.values()) {
        w[j] = Math.max(w[j], format(m.get(cols.get(j))).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(pad("method", w0));
    for (int j = 0; j < cols.size(); j++) {
      sb.append("  ").append(padLeft(cols.get(j), w[j]));
    }
    sb.append('\n');
    for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
      sb.append(pad(e.getKey(), w0));
      for (int j = 0; j < cols.size(); j++) {
        sb.append("  ").append(padLeft(format(e.getValue().get(cols.get(j))), w[j]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A GitHub-flavoured Markdown table. */
  public String toMarkdown() {
    List<String> cols = columns();
    StringBuilder sb = new StringBuilder("| method |");
    cols.forEach(c -> sb.append(' ').append(c).append(" |"));
    sb.append("\n| --- |");
    cols.forEach(c -> sb.append(" ---: |"));
    sb.append('\n');
    for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" |");
      for (String c : cols) {
        sb.append(' ').append(format(e.getValue().get(c))).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

  private static String padLeft(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }
}
