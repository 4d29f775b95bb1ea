package io.deepclust.report;

import io.deepclust.report.RunRecord.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tables of methods side by side: "Methods compared" (the run's rows, when it has several) and
 * "After each phase" (rows evaluated at the end of each training phase). Best value per metric is
 * highlighted; undefined values say so.
 */
final class ComparisonSection {
  private ComparisonSection() {}

  /** The run's method rows, when there are at least two. */
  static void methods(RunContents run, StringBuilder out) {
    List<Method> rows = run.record().methods();
    if (rows.size() < 2) {
      return;
    }
    out.append("<section id=\"comparison\">\n<div class=\"section-head\"><h2>Methods compared</h2>")
        .append("<p class=\"section-note\">Best value per metric highlighted.</p></div>\n");
    boolean internal = table(rows, out);
    if (internal) {
      out.append(
          "<p class=\"footnote\">Silhouette, Davies\u2013Bouldin and Calinski\u2013Harabasz are"
              + " computed on the features each method clustered, so they compare geometry"
              + " within a method's own feature space rather than across methods.</p>\n");
    }
    out.append("</section>\n");
  }

  /** The rows evaluated after each training phase, when the run has them. */
  static void perPhase(RunContents run, StringBuilder out) {
    List<Method> rows = run.record().perPhase();
    if (rows.isEmpty()) {
      return;
    }
    out.append("<section id=\"per-phase\">\n<div class=\"section-head\"><h2>After each phase</h2>")
        .append("<p class=\"section-note\">The run's clustering applied to the encoder as it was")
        .append(" at the end of each training phase.</p></div>\n");
    table(rows, out);
    out.append("</section>\n");
  }

  /** Writes the table; returns whether it has a geometry (internal) metric column. */
  private static boolean table(List<Method> rows, StringBuilder out) {
    List<String> cols = Cells.columns(rows);
    out.append("<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr><th>Method</th>");
    boolean internal = false;
    Map<String, Method> best = new HashMap<>();
    for (String c : cols) {
      MetricInfo m = MetricInfo.of(c);
      internal |= m != null && m.isCard() && !m.external();
      out.append("<th class=\"num\"")
          .append(m == null ? "" : " title=\"" + Html.esc(m.help()) + "\"")
          .append(">")
          .append(Html.esc(Cells.label(c)));
      if (m != null && m.isCard()) {
        out.append(" <span class=\"arrow\">")
            .append(m.direction() == MetricInfo.Direction.HIGHER ? "\u2191" : "\u2193")
            .append("</span>");
        best.put(c, Cells.best(rows, m));
      }
      out.append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (Method r : rows) {
      out.append("<tr><th scope=\"row\">").append(Html.esc(r.name()));
      if (!r.splits().isEmpty()) {
        out.append("<br><span class=\"muted\">").append(Html.esc(r.splits())).append("</span>");
      }
      out.append("</th>");
      for (String c : cols) {
        Cells.cell(out, r, c, best.get(c) == r && Cells.value(r, c) != null);
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div>\n");
    return internal;
  }
}
