package io.deepclust.report;

import io.deepclust.report.RunRecord.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * "Against the paper": for every method whose record carries published values ({@link
 * Method#paper()}), each metric's measured value, the paper's and the difference. Works for any
 * run, a user's own recipe included: the values travel in {@code metrics.json}.
 */
final class PaperSection {
  private PaperSection() {}

  static void render(RunContents run, StringBuilder out) {
    List<Method> rows = new ArrayList<>();
    for (Method m : run.record().methods()) {
      if (!m.paper().isEmpty()) {
        rows.add(m);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    out.append("<section id=\"paper\">\n<div class=\"section-head\"><h2>Against the paper</h2>")
        .append("<p class=\"section-note\">Measured here vs reported; \u0394 = measured \u2212")
        .append(" paper, green where the measured value is better.</p></div>\n")
        .append("<div class=\"table-wrap\"><table class=\"data paper\">\n<thead><tr>")
        .append("<th>Method</th><th>Metric</th><th class=\"num\">Measured</th>")
        .append(
            "<th class=\"num\">Paper</th><th class=\"num\">\u0394</th></tr></thead>\n<tbody>\n");
    for (Method row : rows) {
      List<String> keys = Cells.ordered(row.paper().keySet());
      boolean first = true;
      for (String key : keys) {
        Double ref = row.paper().get(key);
        out.append(first ? "<tr class=\"group-start\">" : "<tr>");
        if (first) {
          out.append("<th scope=\"rowgroup\" rowspan=\"")
              .append(keys.size())
              .append("\">")
              .append(Html.esc(row.name()));
          if (!row.splits().isEmpty()) {
            out.append("<br><span class=\"muted\">")
                .append(Html.esc(row.splits()))
                .append("</span>");
          }
          out.append("</th>");
          first = false;
        }
        out.append("<td>").append(Html.esc(Cells.label(key))).append("</td>");
        Double v = Cells.value(row, key);
        if (Cells.undefined(row, key)) {
          Cells.undefinedCell(out, key);
        } else {
          out.append("<td class=\"num\">")
              .append(v == null ? "\u2014" : Html.esc(Html.num(v)))
              .append("</td>");
        }
        out.append("<td class=\"num\">")
            .append(ref == null ? "\u2014" : Html.esc(Html.num(ref)))
            .append("</td><td class=\"num delta ")
            .append(
                v == null || ref == null ? "same" : Cells.deltaClass(MetricInfo.of(key), v, ref))
            .append("\">")
            .append(v == null || ref == null ? "" : Html.esc(Html.delta(v, ref)))
            .append("</td></tr>\n");
      }
    }
    out.append("</tbody></table></div>\n</section>\n");
  }
}
