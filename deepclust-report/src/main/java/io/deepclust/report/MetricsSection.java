package io.deepclust.report;

import io.deepclust.report.RunRecord.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Clustering quality": one card per metric with the best method's value, its direction, a meter
 * over the metric's range and the paper's value beside it; then the run's other numbers. An
 * undefined value (JSON {@code null}) shows as "undefined" with the reason as its title.
 */
final class MetricsSection {
  private MetricsSection() {}

  static void render(RunContents run, StringBuilder out) {
    List<Method> rows = run.record().methods();
    if (rows.isEmpty()) {
      return;
    }
    boolean several = rows.size() > 1;
    out.append("<section id=\"metrics\">\n<div class=\"section-head\"><h2>Clustering quality</h2>");
    // one source for the note and the warnings: each row's n_clusters (labels in use)
    Map<String, Double> used = new LinkedHashMap<>();
    for (Method r : rows) {
      Double n = Cells.value(r, "n_clusters");
      if (n != null) {
        used.put(r.name(), n);
      }
    }
    out.append("<p class=\"section-note\">");
    if (several) {
      out.append("Best of ").append(rows.size()).append(" methods per metric.");
    }
    out.append(several ? " " : "").append(Html.esc(clustersUsed(used))).append("</p></div>\n");
    for (Method r : rows) {
      Double n = used.get(r.name());
      Double k = r.extra().get("k");
      if (n != null && k != null && n < k) {
        out.append("<p class=\"warning\">")
            .append(Html.esc(r.name()))
            .append(" uses only ")
            .append(Html.num(n))
            .append(" of its ")
            .append(Html.num(k))
            .append(
                " clusters: the clustering collapsed (see cluster_updates.csv for when).</p>\n");
      }
    }
    if (!cardGroup(rows, "Against the true labels", true, out)) {
      out.append(
          "<p class=\"section-note no-labels\">No true labels: external metrics (ACC, NMI, ARI,"
              + " AMI, purity) need labels, so only the geometry of the clusters is"
              + " measured.</p>\n");
    }
    cardGroup(rows, "Geometry of the clusters", false, out);
    otherNumbers(run, out);
    out.append("</section>\n");
  }

  /**
   * "10 clusters used." when every row uses as many, else each row's count ("Clusters used: dec 3,
   * kmeans 10."); "" when no row has {@code n_clusters}.
   */
  static String clustersUsed(Map<String, Double> used) {
    if (used.isEmpty()) {
      return "";
    }
    if (new java.util.HashSet<>(used.values()).size() == 1) {
      double n = used.values().iterator().next();
      return Html.num(n) + (n == 1 ? " cluster used." : " clusters used.");
    }
    List<String> parts = new ArrayList<>();
    used.forEach((name, n) -> parts.add(name + " " + Html.num(n)));
    return "Clusters used: " + String.join(", ", parts) + ".";
  }

  /** Writes the group's cards; false when no metric of the group was measured. */
  private static boolean cardGroup(
      List<Method> rows, String heading, boolean external, StringBuilder out) {
    List<MetricInfo> present = new ArrayList<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      if (m.isCard() && m.external() == external && Cells.best(rows, m) != null) {
        present.add(m);
      }
    }
    if (present.isEmpty()) {
      return false;
    }
    out.append("<h3 class=\"group\">").append(Html.esc(heading)).append("</h3>\n");
    out.append("<div class=\"cards\">\n");
    for (MetricInfo m : present) {
      card(rows, m, out);
    }
    out.append("</div>\n");
    return true;
  }

  private static void card(List<Method> rows, MetricInfo m, StringBuilder out) {
    Method row = Cells.best(rows, m);
    Double v = Cells.value(row, m.key());
    boolean up = m.direction() == MetricInfo.Direction.HIGHER;
    out.append("<div class=\"card\" title=\"")
        .append(Html.esc(m.help()))
        .append("\">\n<div class=\"card-head\"><span class=\"card-name\">")
        .append(Html.esc(m.label()))
        .append("</span><span class=\"dir ")
        .append(up ? "up" : "down")
        .append("\">")
        .append(up ? "\u2191 higher is better" : "\u2193 lower is better")
        .append("</span></div>\n");
    if (v == null) {
      out.append("<div class=\"card-value undefined\" title=\"")
          .append(Html.esc(m.whyUndefined()))
          .append("\">undefined</div>\n<div class=\"meter blank\"></div>\n");
    } else {
      out.append("<div class=\"card-value\">").append(Html.esc(Html.num(v))).append("</div>\n");
      double frac = m.fraction(v);
      if (!Double.isNaN(frac)) {
        out.append("<div class=\"meter\"><span style=\"width:")
            .append(Html.percent(frac))
            .append("\"></span></div>\n");
      } else {
        out.append("<div class=\"meter blank\"></div>\n");
      }
    }
    if (rows.size() > 1) {
      out.append("<div class=\"card-row\"><span class=\"muted\">best: </span>")
          .append(Html.esc(row.name()))
          .append("</div>\n");
    }
    Double ref = row.paper().get(m.key());
    if (ref != null) {
      out.append("<div class=\"card-paper\">paper ").append(Html.esc(Html.num(ref)));
      if (v != null) {
        out.append(" <span class=\"delta ")
            .append(Cells.deltaClass(m, v, ref))
            .append("\">")
            .append(Html.esc(Html.delta(v, ref)))
            .append("</span>");
      }
      out.append("</div>\n");
    }
    out.append("<p class=\"card-help\">").append(Html.esc(m.help())).append("</p>\n</div>\n");
  }

  /** The record's facts (parameters, dimensions, ...) and a single method's extra numbers. */
  private static void otherNumbers(RunContents run, StringBuilder out) {
    Map<String, String> shown = new LinkedHashMap<>();
    run.record().facts().forEach((k, v) -> put(shown, k, v));
    List<Method> rows = run.record().methods();
    if (rows.size() == 1) {
      rows.get(0)
          .extra()
          .forEach(
              (k, v) -> {
                if (MetricInfo.of(k) == null) {
                  put(shown, k, v);
                }
              });
    }
    Cells.facts(out, "facts small", shown, true);
  }

  private static void put(Map<String, String> shown, String key, Double v) {
    if (v != null) {
      shown.putIfAbsent(Html.label(key), Html.num(v));
    }
  }
}
