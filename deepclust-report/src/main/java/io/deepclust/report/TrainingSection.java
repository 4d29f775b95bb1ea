package io.deepclust.report;

import io.deepclust.report.RunRecord.PhaseSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * "Training": a summary (epochs, phases, first and final loss, best validation loss, time,
 * throughput) from the record's per-phase summaries, else from {@code training.csv}; then the
 * per-epoch table of {@code training.csv}.
 */
final class TrainingSection {
  private TrainingSection() {}

  static void render(RunContents run, StringBuilder out) {
    List<String> head = run.trainingHeader();
    List<List<String>> body = run.trainingRows();
    Map<String, PhaseSummary> phases = run.record().training();
    boolean table = !head.isEmpty() && !body.isEmpty();
    if (!table && phases.isEmpty()) {
      return;
    }
    out.append("<section id=\"training\">\n<div class=\"section-head\"><h2>Training</h2></div>\n");
    int decimals = table ? lossDecimals(head, body) : lossDecimals(phases);
    Cells.facts(
        out,
        "facts small",
        phases.isEmpty() ? summary(head, body, decimals) : summary(phases, decimals),
        true);
    if (table) {
      epochTable(head, body, decimals, out);
    }
    out.append("</section>\n");
  }

  private static void epochTable(
      List<String> head, List<List<String>> body, int decimals, StringBuilder out) {
    // a column empty in every epoch (val_loss without a validation set) is noise
    List<Integer> shown = new ArrayList<>();
    for (int j = 0; j < head.size(); j++) {
      for (List<String> r : body) {
        if (!r.get(j).isEmpty()) {
          shown.add(j);
          break;
        }
      }
    }
    out.append("<div class=\"table-wrap scroll\"><table class=\"data compact\">\n<thead><tr>");
    for (int j : shown) {
      String h = head.get(j);
      out.append("<th")
          .append(isText(h) ? "" : " class=\"num\"")
          .append(">")
          .append(Html.esc(Html.label(h)))
          .append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (List<String> r : body) {
      out.append("<tr>");
      for (int j : shown) {
        String h = head.get(j);
        out.append(isText(h) ? "<td>" : "<td class=\"num\">")
            .append(Html.esc(cell(h, r.get(j), decimals)))
            .append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div>\n");
  }

  private static boolean isText(String column) {
    return column.equals("phase");
  }

  /**
   * Decimals for a loss column: enough that its smallest value keeps about four significant digits,
   * the same for every row so the column lines up.
   */
  private static int lossDecimals(List<String> head, List<List<String>> body) {
    double min = Double.POSITIVE_INFINITY;
    for (int j = 0; j < head.size(); j++) {
      if (!head.get(j).contains("loss")) {
        continue;
      }
      for (List<String> r : body) {
        double v = Math.abs(parse(r.get(j), Double.NaN));
        if (v > 0 && v < min) {
          min = v;
        }
      }
    }
    return decimalsFor(min);
  }

  private static int lossDecimals(Map<String, PhaseSummary> phases) {
    double min = Double.POSITIVE_INFINITY;
    for (PhaseSummary p : phases.values()) {
      for (List<Double> l : List.of(p.loss(), p.valLoss())) {
        for (Double v : l) {
          if (v != null && Math.abs(v) > 0 && Math.abs(v) < min) {
            min = Math.abs(v);
          }
        }
      }
    }
    return decimalsFor(min);
  }

  private static int decimalsFor(double min) {
    if (Double.isInfinite(min)) {
      return 4;
    }
    int d = 3 + (int) Math.ceil(-Math.log10(min));
    return Math.max(4, Math.min(8, d));
  }

  private static String cell(String column, String raw, int lossDecimals) {
    if (raw.isEmpty() || isText(column)) {
      return raw;
    }
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      return raw;
    }
    if (column.contains("loss")) {
      return loss(v, lossDecimals);
    }
    if (column.equals("seconds")) {
      return Html.duration(v);
    }
    if (column.contains("per_s")) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return Html.num(v);
  }

  private static String loss(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** The summary from the record's phases. */
  private static Map<String, String> summary(Map<String, PhaseSummary> phases, int decimals) {
    int epochs = 0;
    double seconds = 0;
    double ipsWeighted = 0;
    double bestVal = Double.NaN;
    Double first = null;
    Double last = null;
    for (PhaseSummary p : phases.values()) {
      epochs += p.epochs();
      seconds += p.seconds();
      ipsWeighted += p.imagesPerSecond() * p.epochs();
      if (!p.loss().isEmpty()) {
        first = first == null ? p.loss().get(0) : first;
        last = p.loss().get(p.loss().size() - 1);
      }
      for (Double v : p.valLoss()) {
        if (v != null && !v.isNaN() && (Double.isNaN(bestVal) || v < bestVal)) {
          bestVal = v;
        }
      }
    }
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Epochs", Integer.toString(epochs));
    f.put("Phases", String.join(", ", phases.keySet()));
    if (first != null) {
      f.put("First loss", loss(first, decimals));
      f.put("Final loss", loss(last, decimals));
    }
    if (!Double.isNaN(bestVal)) {
      f.put("Best validation loss", loss(bestVal, decimals));
    }
    f.put("Training time", Html.duration(seconds));
    if (epochs > 0 && ipsWeighted > 0) {
      f.put("Throughput", String.format(Locale.ROOT, "%,.0f images/s", ipsWeighted / epochs));
    }
    return f;
  }

  /** The summary from {@code training.csv}, for runs whose record has no phase summaries. */
  private static Map<String, String> summary(
      List<String> head, List<List<String>> body, int decimals) {
    int loss = head.indexOf("loss");
    int val = head.indexOf("val_loss");
    int secs = head.indexOf("seconds");
    int ips = head.indexOf("images_per_s");
    int phase = head.indexOf("phase");
    Set<String> phases = new LinkedHashSet<>();
    double sumSeconds = 0;
    double sumIps = 0;
    int nIps = 0;
    double bestVal = Double.NaN;
    for (List<String> r : body) {
      if (phase >= 0 && !r.get(phase).isEmpty()) {
        phases.add(r.get(phase));
      }
      sumSeconds += secs >= 0 ? parse(r.get(secs), 0) : 0;
      double i = ips >= 0 ? parse(r.get(ips), Double.NaN) : Double.NaN;
      if (!Double.isNaN(i)) {
        sumIps += i;
        nIps++;
      }
      double v = val >= 0 ? parse(r.get(val), Double.NaN) : Double.NaN;
      if (!Double.isNaN(v) && (Double.isNaN(bestVal) || v < bestVal)) {
        bestVal = v;
      }
    }
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Epochs", Integer.toString(body.size()));
    if (!phases.isEmpty()) {
      f.put("Phases", String.join(", ", phases));
    }
    if (loss >= 0) {
      f.put("First loss", cell("loss", body.get(0).get(loss), decimals));
      f.put("Final loss", cell("loss", body.get(body.size() - 1).get(loss), decimals));
    }
    if (!Double.isNaN(bestVal)) {
      f.put("Best validation loss", loss(bestVal, decimals));
    }
    if (secs >= 0) {
      f.put("Training time", Html.duration(sumSeconds));
    }
    if (nIps > 0) {
      f.put("Throughput", String.format(Locale.ROOT, "%,.0f images/s", sumIps / nIps));
    }
    return f;
  }

  private static double parse(String s, double fallback) {
    try {
      return s.isEmpty() ? fallback : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
