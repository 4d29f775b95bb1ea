package io.deepclust.report;

import io.deepclust.report.RunRecord.ConfusedPair;
import io.deepclust.report.RunRecord.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * "Clusters": what each cluster is (the cluster view, {@code figures/clusters.png}: size, majority
 * class and purity, the images nearest its centre and random members) and, with labels, the most
 * confused pairs of classes per method (from {@code metrics.json}'s {@code confused_pairs}: images
 * of a true class that landed in the cluster the ACC's Hungarian matching gave another class).
 */
final class ClustersSection {
  /** The cluster view's file stem in {@code figures/}. */
  static final String FIGURE = "clusters";

  /** Pairs shown per method. */
  static final int SHOWN = 5;

  private ClustersSection() {}

  static void render(RunContents run, StringBuilder out) {
    RunContents.Figure view = null;
    for (RunContents.Figure f : run.figures()) {
      if (f.stem().equals(FIGURE)) {
        view = f;
      }
    }
    List<Method> withPairs = new ArrayList<>();
    for (Method m : run.record().methods()) {
      if (!m.confusedPairs().isEmpty()) {
        withPairs.add(m);
      }
    }
    if (view == null && withPairs.isEmpty()) {
      return;
    }
    out.append("<section id=\"clusters\">\n<div class=\"section-head\"><h2>Clusters</h2>")
        .append("<p class=\"section-note\">What each cluster holds")
        .append(withPairs.isEmpty() ? "" : ", and which classes are taken for which")
        .append(".</p></div>\n");
    if (view != null) {
      out.append("<div class=\"figures\">\n");
      FiguresSection.figure(view, out);
      out.append("</div>\n");
    }
    if (!withPairs.isEmpty()) {
      confusedPairs(withPairs, out);
    }
    out.append("</section>\n");
  }

  /** The table: per method its {@link #SHOWN} most confused pairs. */
  private static void confusedPairs(List<Method> rows, StringBuilder out) {
    boolean several = rows.size() > 1;
    out.append("<h3 class=\"group\">Most confused classes</h3>\n")
        .append("<div class=\"table-wrap\"><table class=\"data confused\">\n<thead><tr>")
        .append(several ? "<th>Method</th>" : "")
        .append("<th>True class</th><th>Clustered as</th>")
        .append("<th class=\"num\">Images</th><th class=\"num\">Share of the class</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (Method m : rows) {
      List<ConfusedPair> pairs = m.confusedPairs();
      for (int i = 0; i < Math.min(SHOWN, pairs.size()); i++) {
        ConfusedPair p = pairs.get(i);
        out.append("<tr>");
        if (several) {
          out.append("<th scope=\"row\">").append(i == 0 ? Html.esc(m.name()) : "").append("</th>");
        }
        out.append("<td>")
            .append(Html.esc(p.trueName()))
            .append("</td><td>\u2192 ")
            .append(Html.esc(p.predictedName()))
            .append("</td><td class=\"num\">")
            .append(Html.esc(Html.num(p.count())))
            .append("</td><td class=\"num\">")
            .append(Html.esc(Html.percent(p.share())))
            .append("</td></tr>\n");
      }
    }
    out.append("</tbody></table></div>\n")
        .append(
            "<p class=\"footnote\">After the ACC's one-to-one matching of clusters to classes:"
                + " images of the true class that landed in the cluster matched to the other"
                + " class, largest first. A cluster matched to no class (more clusters than"
                + " classes) forms no pair.</p>\n");
  }
}
