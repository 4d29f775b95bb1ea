package io.deepclust.report;

import io.deepclust.report.RunRecord.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Pieces the report's sections share: metric values of a {@link Method} (where {@code null} means
 * undefined), table cells that say "undefined" and why, fact lists and Δ colours.
 */
final class Cells {
  private Cells() {}

  /** Whether {@code row} has {@code key}, defined or not, among its metrics or extra numbers. */
  static boolean has(Method row, String key) {
    return row.metrics().containsKey(key) || row.extra().containsKey(key);
  }

  /** The value of {@code key} in {@code row}: null when absent or undefined. */
  static Double value(Method row, String key) {
    Double v = row.metrics().get(key);
    return v != null ? v : row.extra().get(key);
  }

  /** Whether {@code row} has {@code key} but its value is undefined. */
  static boolean undefined(Method row, String key) {
    return has(row, key) && value(row, key) == null;
  }

  /** Why {@code key} is undefined, for a tooltip. */
  static String whyUndefined(String key) {
    MetricInfo m = MetricInfo.of(key);
    return m == null ? "undefined for this run" : m.whyUndefined();
  }

  /**
   * A numeric table cell for {@code key} of {@code row}: empty when absent, "undefined" (with the
   * reason as its title) when undefined, else the value.
   */
  static void cell(StringBuilder out, Method row, String key, boolean best) {
    if (!has(row, key)) {
      out.append("<td class=\"num\"></td>");
    } else if (value(row, key) == null) {
      undefinedCell(out, key);
    } else {
      out.append("<td class=\"num")
          .append(best ? " best" : "")
          .append("\">")
          .append(Html.esc(Html.num(value(row, key))))
          .append("</td>");
    }
  }

  /** {@code <td>} saying "undefined", with the reason as title. */
  static void undefinedCell(StringBuilder out, String key) {
    out.append("<td class=\"num undefined\" title=\"")
        .append(Html.esc(whyUndefined(key)))
        .append("\">undefined</td>");
  }

  /**
   * The row with the best defined value of {@code m}; the first row holding it when none is defined
   * or the metric has no direction; null when no row has it.
   */
  static Method best(List<Method> rows, MetricInfo m) {
    Method best = null;
    Double bestValue = null;
    for (Method r : rows) {
      if (!has(r, m.key())) {
        continue;
      }
      Double v = value(r, m.key());
      if (best == null
          || (bestValue == null && v != null)
          || (v != null && m.direction().better(v, bestValue))) {
        best = r;
        bestValue = v;
      }
    }
    return best;
  }

  /** Metric keys of {@code rows} in catalog order, then the others in first-seen order. */
  static List<String> columns(Collection<Method> rows) {
    List<String> keys = new ArrayList<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      for (Method r : rows) {
        if (has(r, m.key())) {
          keys.add(m.key());
          break;
        }
      }
    }
    for (Method r : rows) {
      for (String k : r.metrics().keySet()) {
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    return keys;
  }

  /** {@code keys} in catalog order, then the others in their order. */
  static List<String> ordered(Collection<String> keys) {
    List<String> out = new ArrayList<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      if (keys.contains(m.key())) {
        out.add(m.key());
      }
    }
    for (String k : keys) {
      if (!out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The CSS class of a difference: {@code better}, {@code worse} or {@code same}. */
  static String deltaClass(MetricInfo m, double measured, double ref) {
    if (m == null || Double.isNaN(measured) || Double.isNaN(ref)) {
      return "same";
    }
    double tol = 5e-4 * Math.max(1, Math.abs(ref));
    if (Math.abs(measured - ref) <= tol) {
      return "same";
    }
    if (m.direction().better(measured, ref)) {
      return "better";
    }
    return m.direction() == MetricInfo.Direction.NONE ? "same" : "worse";
  }

  /** The display label of a metric key (catalog label, else the key as words). */
  static String label(String key) {
    MetricInfo m = MetricInfo.of(key);
    return m == null ? Html.label(key) : m.label();
  }

  /** A {@code <dl class="facts ...">} of label/value pairs; values in monospace when asked. */
  static void facts(StringBuilder out, String cssClass, Map<String, String> facts, boolean mono) {
    if (facts.isEmpty()) {
      return;
    }
    out.append("<dl class=\"").append(cssClass).append("\">\n");
    facts.forEach(
        (k, v) ->
            out.append("<div><dt>")
                .append(Html.esc(k))
                .append("</dt><dd")
                .append(mono ? " class=\"mono\"" : "")
                .append(">")
                .append(Html.esc(v))
                .append("</dd></div>\n"));
    out.append("</dl>\n");
  }
}
