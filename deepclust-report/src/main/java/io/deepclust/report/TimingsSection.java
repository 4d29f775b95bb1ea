package io.deepclust.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** "Where the time went": one bar per stage of the record's {@code seconds}. */
final class TimingsSection {
  private TimingsSection() {}

  static void render(RunContents run, StringBuilder out) {
    Map<String, Double> seconds = new LinkedHashMap<>(run.record().seconds());
    seconds.values().removeIf(v -> v == null || v.isNaN() || v < 0);
    Double total = seconds.remove("total");
    if (seconds.isEmpty()) {
      return;
    }
    double max = 0;
    for (double s : seconds.values()) {
      max = Math.max(max, s);
    }
    double scale = total != null && total >= max ? total : max;
    out.append("<section id=\"timings\">\n<div class=\"section-head\"><h2>Where the time went</h2>")
        .append("<p class=\"section-note\">");
    if (total != null) {
      out.append("Total ")
          .append(Html.esc(Html.duration(total)))
          .append("; bars are shares of it.");
    } else {
      out.append("Bars relative to the slowest stage.");
    }
    out.append("</p></div>\n<ul class=\"bars\">\n");
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      double s = e.getValue();
      out.append("<li><span class=\"bar-label\">")
          .append(Html.esc(e.getKey()))
          .append("</span><span class=\"bar-track\"><span class=\"bar-fill\" style=\"width:")
          .append(Html.percent(scale > 0 ? s / scale : 0))
          .append("\"></span></span><span class=\"bar-value\">")
          .append(Html.esc(Html.duration(s)));
      if (total != null && total > 0) {
        out.append(" <span class=\"muted\">")
            .append(String.format(Locale.ROOT, "%.0f%%", 100 * s / total))
            .append("</span>");
      }
      out.append("</span></li>\n");
    }
    out.append("</ul>\n</section>\n");
  }
}
