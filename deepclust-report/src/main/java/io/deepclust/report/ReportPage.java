package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the HTML of one {@link HtmlReport}: a header, then one section per kind of content, each
 * left out when the run folder has nothing for it. Every piece of text from the run goes through
 * {@link Html#esc}.
 */
final class ReportPage {
  /** Figure file stems in the order a reader wants them, with their captions. */
  private static final Map<String, String> KNOWN_FIGURES = new LinkedHashMap<>();

  static {
    // loss and confusion side by side, the wide reconstruction grid on its own row, then the
    // 2-D maps in truth/cluster pairs so each pair shares a row
    KNOWN_FIGURES.put("loss", "Training loss per epoch");
    KNOWN_FIGURES.put("confusion", "Confusion matrix: true classes against matched clusters");
    KNOWN_FIGURES.put("reconstructions", "Inputs and their autoencoder reconstructions");
    KNOWN_FIGURES.put("pca2d_truth", "PCA of the clustered features, coloured by true class");
    KNOWN_FIGURES.put(
        "pca2d_clusters", "PCA of the clustered features, coloured by k-means cluster");
    KNOWN_FIGURES.put("tsne_truth", "t-SNE of the clustered features, coloured by true class");
    KNOWN_FIGURES.put(
        "tsne_clusters", "t-SNE of the clustered features, coloured by k-means cluster");
  }

  private final RunContents run;
  private final Map<String, Map<String, Double>> rows;
  private final Map<String, Map<String, Double>> paper;
  private final String title;
  private final StringBuilder out = new StringBuilder(1 << 16);

  ReportPage(RunContents run, Map<String, Map<String, Double>> paperValues, String title) {
    this.run = run;
    this.rows = run.metricRows();
    this.paper = matchPaper(rows, paperValues);
    this.title = title == null || title.isBlank() ? defaultTitle(run) : title.strip();
  }

  String render() {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<meta name=\"generator\" content=\"deepclust HtmlReport\"/>\n")
        .append("<title>")
        .append(Html.esc(title))
        .append(" \u00b7 deepclust report</title>\n<style>\n")
        .append(css())
        .append("</style>\n</head>\n<body>\n<main class=\"page\">\n");
    header();
    problems();
    metrics();
    comparison();
    paperTable();
    training();
    figures();
    timings();
    configBlock();
    logBlock();
    footer();
    out.append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  // ---- header ---------------------------------------------------------------------------

  private void header() {
    JsonNode cfg = run.config();
    JsonNode recipe = cfg.path("recipe");
    JsonNode baseline = cfg.path("baseline");
    JsonNode prov = cfg.path("provenance");
    boolean isRecipe = recipe.isObject();
    String command = isRecipe ? "recipe" : cfg.path("command").asText("");

    out.append("<header class=\"hero\">\n<div class=\"eyebrow\">deepclust \u00b7 ")
        .append(run.isBaseline() ? "baseline report" : "run report")
        .append("</div>\n<h1>")
        .append(Html.esc(title))
        .append("</h1>\n");
    String description = RunContents.text(recipe, "description");
    String paperRef = RunContents.text(recipe, "paper");
    if (!description.isEmpty() || !paperRef.isEmpty()) {
      out.append("<p class=\"lede\">").append(Html.esc(description));
      if (!paperRef.isEmpty()) {
        out.append(description.isEmpty() ? "" : " ")
            .append("<span class=\"paper-ref\">Reproduces ")
            .append(Html.esc(paperRef))
            .append("</span>");
      }
      out.append("</p>\n");
    }

    JsonNode settings = isRecipe ? recipe : baseline;
    JsonNode data = isRecipe ? recipe.path("data") : baseline;
    List<String[]> facts = new ArrayList<>();
    fact(facts, "Command", command, false);
    fact(facts, "Dataset", dataset(data), false);
    fact(facts, "Seed", RunContents.text(settings, "seed"), true);
    fact(facts, "Date", run.date(), false);
    fact(facts, "Git commit", RunContents.text(prov, "git_commit", "gitCommit"), true);
    Double total = run.seconds().get("total");
    fact(facts, "Wall time", total == null ? "" : Html.duration(total), false);
    if (isRecipe) {
      fact(facts, "Model", RunContents.text(recipe.path("model"), "architecture"), true);
    }
    fact(facts, "Machine", machine(prov), false);
    out.append("<dl class=\"facts\">\n");
    for (String[] f : facts) {
      out.append("<div><dt>")
          .append(Html.esc(f[0]))
          .append("</dt><dd")
          .append(f[2] != null ? " class=\"mono\"" : "")
          .append(">")
          .append(Html.esc(f[1]))
          .append("</dd></div>\n");
    }
    out.append("</dl>\n");

    List<String> chips = isRecipe ? recipeChips(recipe) : baselineChips(baseline);
    List<String> overrides = new ArrayList<>();
    for (JsonNode o : cfg.path("overrides")) {
      overrides.add(o.asText());
    }
    if (!chips.isEmpty() || !overrides.isEmpty()) {
      out.append("<ul class=\"chips\">");
      for (String c : chips) {
        out.append("<li>").append(Html.esc(c)).append("</li>");
      }
      for (String o : overrides) {
        out.append("<li class=\"override\" title=\"command-line override\">")
            .append(Html.esc(o))
            .append("</li>");
      }
      out.append("</ul>\n");
    }
    String software = software(prov);
    if (!software.isEmpty()) {
      out.append("<p class=\"software\">").append(Html.esc(software)).append("</p>\n");
    }
    out.append("</header>\n");
  }

  private static void fact(List<String[]> facts, String label, String value, boolean mono) {
    if (value != null && !value.isBlank()) {
      facts.add(new String[] {label, value, mono ? "mono" : null});
    }
  }

  private static String dataset(JsonNode data) {
    String name = RunContents.text(data, "dataset");
    if (name.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(name);
    String split = RunContents.text(data, "split").toLowerCase(Locale.ROOT);
    String evalSplit = RunContents.text(data, "evalSplit", "eval_split").toLowerCase(Locale.ROOT);
    if (!split.isEmpty()) {
      sb.append(" \u00b7 ").append(split);
      if (!evalSplit.isEmpty() && !evalSplit.equals(split)) {
        sb.append(" (clusters ").append(evalSplit).append(')');
      }
    }
    long subset = data.path("subset").asLong(0);
    if (subset > 0) {
      sb.append(" \u00b7 ").append(Html.num(subset)).append(" images");
    }
    return sb.toString();
  }

  private static String machine(JsonNode prov) {
    String os = RunContents.text(prov, "os");
    String cpus = RunContents.text(prov, "cpus");
    if (os.isEmpty() && cpus.isEmpty()) {
      return "";
    }
    return os + (cpus.isEmpty() ? "" : (os.isEmpty() ? "" : ", ") + cpus + " CPUs");
  }

  private static String software(JsonNode prov) {
    List<String> parts = new ArrayList<>();
    addPart(parts, "deepclust", RunContents.text(prov, "deepclust_version"));
    addPart(parts, "DJL", RunContents.text(prov, "djl_version"));
    addPart(parts, "PyTorch", RunContents.text(prov, "pytorch_version"));
    addPart(parts, "Java", RunContents.text(prov, "java_version"));
    String heap = RunContents.text(prov, "max_heap_mb");
    if (!heap.isEmpty()) {
      parts.add("heap " + heap + " MB");
    }
    return String.join(" \u00b7 ", parts);
  }

  private static void addPart(List<String> parts, String name, String version) {
    if (!version.isEmpty()) {
      parts.add(name + " " + version);
    }
  }

  private static List<String> recipeChips(JsonNode r) {
    List<String> chips = new ArrayList<>();
    JsonNode training = r.path("training");
    for (JsonNode p : training.path("phases")) {
      String type = RunContents.text(p, "type");
      String loss = RunContents.text(p, "loss");
      chips.add(
          type
              + " \u00d7 "
              + p.path("epochs").asInt(0)
              + " epochs"
              + (loss.isEmpty() ? "" : " (" + loss + ")"));
    }
    String batch = RunContents.text(training, "batchSize", "batch_size");
    if (!batch.isEmpty()) {
      chips.add("batch " + batch);
    }
    JsonNode opt = training.path("optimizer");
    String lr = RunContents.text(opt, "lr");
    if (!lr.isEmpty()) {
      chips.add(
          RunContents.text(opt, "type").isEmpty()
              ? "lr " + lr
              : opt.path("type").asText() + " lr " + lr);
    }
    JsonNode reduce = r.path("reduce");
    String rt = RunContents.text(reduce, "type");
    if (!rt.isEmpty() && !rt.equals("none")) {
      chips.add(rt.toUpperCase(Locale.ROOT) + "-" + RunContents.text(reduce, "components"));
    }
    JsonNode cl = r.path("cluster");
    String k = RunContents.text(cl, "k");
    if (!k.isEmpty()) {
      chips.add(
          RunContents.text(cl, "type").isEmpty()
              ? "k = " + k
              : cl.path("type").asText() + " k = " + k);
    }
    String nInit = RunContents.text(cl, "nInit", "n_init");
    if (!nInit.isEmpty()) {
      chips.add(nInit + " restarts");
    }
    return chips;
  }

  private static List<String> baselineChips(JsonNode b) {
    List<String> chips = new ArrayList<>();
    if (!b.isObject()) {
      return chips;
    }
    String k = RunContents.text(b, "k");
    if (!k.isEmpty()) {
      chips.add("k-means k = " + k);
    }
    String nInit = RunContents.text(b, "nInit", "n_init");
    if (!nInit.isEmpty()) {
      chips.add(nInit + " restarts");
    }
    String pca = RunContents.text(b, "pcaComponents", "pca_components");
    if (!pca.isEmpty()) {
      chips.add("PCA-" + pca);
    }
    JsonNode sil = RunContents.child(b, "silhouetteSample", "silhouette_sample");
    if (sil.isNumber()) {
      chips.add(
          sil.asLong() == 0
              ? "exact silhouette"
              : "silhouette on " + Html.num(sil.asDouble()) + " points");
    }
    return chips;
  }

  private static String defaultTitle(RunContents run) {
    if (run.isBaseline()) {
      String ds = RunContents.text(run.config().path("baseline"), "dataset");
      return "k-means baselines" + (ds.isEmpty() ? "" : " on " + ds);
    }
    return run.runName();
  }

  // ---- notices ------------------------------------------------------------------------------

  private void problems() {
    if (run.problems().isEmpty()) {
      return;
    }
    out.append("<div class=\"notice\" role=\"note\"><strong>Incomplete run folder.</strong><ul>");
    for (String p : run.problems()) {
      out.append("<li>").append(Html.esc(p)).append("</li>");
    }
    out.append("</ul></div>\n");
  }

  // ---- metric cards -------------------------------------------------------------------------

  private void metrics() {
    if (rows.isEmpty()) {
      return;
    }
    boolean several = rows.size() > 1;
    out.append("<section id=\"metrics\">\n<div class=\"section-head\"><h2>Clustering quality</h2>");
    Double clusters = null;
    for (Map<String, Double> r : rows.values()) {
      if (r.get("n_clusters") != null && !r.get("n_clusters").isNaN()) {
        clusters = r.get("n_clusters");
      }
    }
    out.append("<p class=\"section-note\">");
    if (several) {
      out.append("Best of ").append(rows.size()).append(" methods per metric.");
    }
    if (clusters != null) {
      out.append(several ? " " : "").append(Html.num(clusters)).append(" clusters used.");
    }
    out.append("</p></div>\n");
    cardGroup("Against the true labels", true);
    cardGroup("Geometry of the clusters", false);
    extraNumbers();
    out.append("</section>\n");
  }

  private void cardGroup(String heading, boolean external) {
    List<MetricInfo> present = new ArrayList<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      if (m.isCard() && m.external() == external && anyRowHas(m.key())) {
        present.add(m);
      }
    }
    if (present.isEmpty()) {
      return;
    }
    out.append("<h3 class=\"group\">").append(Html.esc(heading)).append("</h3>\n");
    out.append("<div class=\"cards\">\n");
    for (MetricInfo m : present) {
      card(m);
    }
    out.append("</div>\n");
  }

  private boolean anyRowHas(String key) {
    for (Map<String, Double> r : rows.values()) {
      if (r.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  /** The row with the best value of {@code m} (the first row with it when undirected). */
  private String bestRow(MetricInfo m) {
    String best = null;
    double bestValue = Double.NaN;
    for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
      Double v = e.getValue().get(m.key());
      if (v == null) {
        continue;
      }
      if (best == null
          || (Double.isNaN(bestValue) && !v.isNaN())
          || m.direction().better(v, bestValue)) {
        best = e.getKey();
        bestValue = v;
      }
    }
    return best;
  }

  private void card(MetricInfo m) {
    String row = bestRow(m);
    double v = rows.get(row).get(m.key());
    boolean up = m.direction() == MetricInfo.Direction.HIGHER;
    out.append("<div class=\"card\" title=\"")
        .append(Html.esc(m.help()))
        .append("\">\n<div class=\"card-head\"><span class=\"card-name\">")
        .append(Html.esc(m.label()))
        .append("</span><span class=\"dir ")
        .append(up ? "up" : "down")
        .append("\">")
        .append(up ? "\u2191 higher is better" : "\u2193 lower is better")
        .append("</span></div>\n<div class=\"card-value")
        .append(Double.isNaN(v) ? " undefined" : "")
        .append("\">")
        .append(Html.esc(Html.num(v)))
        .append("</div>\n");
    double frac = m.fraction(v);
    if (!Double.isNaN(frac)) {
      out.append("<div class=\"meter\"><span style=\"width:")
          .append(Html.percent(frac))
          .append("\"></span></div>\n");
    } else {
      out.append("<div class=\"meter blank\"></div>\n");
    }
    if (rows.size() > 1) {
      out.append("<div class=\"card-row\"><span class=\"muted\">best: </span>")
          .append(Html.esc(row))
          .append("</div>\n");
    }
    Double ref = paper.getOrDefault(row, Map.of()).get(m.key());
    if (ref != null) {
      out.append("<div class=\"card-paper\">paper ")
          .append(Html.esc(Html.num(ref)))
          .append(" <span class=\"delta ")
          .append(deltaClass(m, v, ref))
          .append("\">")
          .append(Html.esc(Html.delta(v, ref)))
          .append("</span></div>\n");
    }
    out.append("<p class=\"card-help\">").append(Html.esc(m.help())).append("</p>\n</div>\n");
  }

  private static String deltaClass(MetricInfo m, double measured, double ref) {
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

  private void extraNumbers() {
    Map<String, Double> extra = run.extraNumbers();
    if (extra.isEmpty()) {
      return;
    }
    out.append("<dl class=\"facts small\">\n");
    for (Map.Entry<String, Double> e : extra.entrySet()) {
      out.append("<div><dt>")
          .append(Html.esc(Html.label(e.getKey())))
          .append("</dt><dd class=\"mono\">")
          .append(Html.esc(Html.num(e.getValue())))
          .append("</dd></div>\n");
    }
    out.append("</dl>\n");
  }

  // ---- comparison of rows -------------------------------------------------------------------

  private List<String> columns() {
    Set<String> keys = new LinkedHashSet<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      if (anyRowHas(m.key())) {
        keys.add(m.key());
      }
    }
    for (Map<String, Double> r : rows.values()) {
      keys.addAll(r.keySet());
    }
    return new ArrayList<>(keys);
  }

  private void comparison() {
    if (rows.size() < 2) {
      return;
    }
    List<String> cols = columns();
    out.append("<section id=\"comparison\">\n<div class=\"section-head\"><h2>Methods compared</h2>")
        .append("<p class=\"section-note\">Best value per metric highlighted.</p></div>\n")
        .append("<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr><th>Method</th>");
    boolean internal = false;
    for (String c : cols) {
      MetricInfo m = MetricInfo.of(c);
      internal |= m != null && m.isCard() && !m.external();
      out.append("<th class=\"num\"")
          .append(m == null ? "" : " title=\"" + Html.esc(m.help()) + "\"")
          .append(">")
          .append(Html.esc(m == null ? Html.label(c) : m.label()));
      if (m != null && m.isCard()) {
        out.append(" <span class=\"arrow\">")
            .append(m.direction() == MetricInfo.Direction.HIGHER ? "\u2191" : "\u2193")
            .append("</span>");
      }
      out.append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    Map<String, String> best = new LinkedHashMap<>();
    for (String c : cols) {
      MetricInfo m = MetricInfo.of(c);
      if (m != null && m.isCard()) {
        best.put(c, bestRow(m));
      }
    }
    for (Map.Entry<String, Map<String, Double>> e : rows.entrySet()) {
      out.append("<tr><th scope=\"row\">").append(Html.esc(e.getKey())).append("</th>");
      for (String c : cols) {
        Double v = e.getValue().get(c);
        boolean isBest = e.getKey().equals(best.get(c)) && v != null && !v.isNaN();
        out.append("<td class=\"num")
            .append(isBest ? " best" : "")
            .append("\">")
            .append(v == null ? "" : Html.esc(Html.num(v)))
            .append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody></table></div>\n");
    if (internal) {
      out.append(
          "<p class=\"footnote\">Silhouette, Davies\u2013Bouldin and Calinski\u2013Harabasz are"
              + " computed on the features each method clustered, so they compare geometry"
              + " within a method's own feature space rather than across methods.</p>\n");
    }
    out.append("</section>\n");
  }

  // ---- paper references ---------------------------------------------------------------------

  /**
   * Paper rows keyed by the measured row they describe: same name, else same name ignoring case,
   * else the only measured row when there is one paper row; unmatched rows keep their own name.
   */
  private static Map<String, Map<String, Double>> matchPaper(
      Map<String, Map<String, Double>> rows, Map<String, Map<String, Double>> given) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Double>> e : given.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        continue;
      }
      String target = e.getKey();
      if (!rows.containsKey(target)) {
        for (String r : rows.keySet()) {
          if (r.equalsIgnoreCase(target)) {
            target = r;
          }
        }
      }
      if (!rows.containsKey(target) && rows.size() == 1 && given.size() == 1) {
        target = rows.keySet().iterator().next();
      }
      Map<String, Double> values = new LinkedHashMap<>();
      for (Map.Entry<String, Double> v : e.getValue().entrySet()) {
        if (v.getKey() != null && v.getValue() != null) {
          MetricInfo m = MetricInfo.of(v.getKey());
          values.put(m == null ? v.getKey() : m.key(), v.getValue());
        }
      }
      if (!values.isEmpty()) {
        out.computeIfAbsent(target, k -> new LinkedHashMap<>()).putAll(values);
      }
    }
    // measured rows in file order first, then reference-only rows by name: callers often pass
    // an unordered Map.of
    Map<String, Map<String, Double>> ordered = new LinkedHashMap<>();
    for (String r : rows.keySet()) {
      if (out.containsKey(r)) {
        ordered.put(r, out.get(r));
      }
    }
    out.keySet().stream().sorted().forEach(k -> ordered.putIfAbsent(k, out.get(k)));
    return ordered;
  }

  private void paperTable() {
    if (paper.isEmpty()) {
      return;
    }
    out.append("<section id=\"paper\">\n<div class=\"section-head\"><h2>Against the paper</h2>")
        .append("<p class=\"section-note\">Measured here vs reported; \u0394 = measured \u2212")
        .append(" paper, green where the measured value is better.</p></div>\n")
        .append("<div class=\"table-wrap\"><table class=\"data paper\">\n<thead><tr>")
        .append("<th>Method</th><th>Metric</th><th class=\"num\">Measured</th>")
        .append(
            "<th class=\"num\">Paper</th><th class=\"num\">\u0394</th></tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Map<String, Double>> e : paper.entrySet()) {
      Map<String, Double> measured = rows.getOrDefault(e.getKey(), Map.of());
      List<String> keys = orderedKeys(e.getValue().keySet());
      boolean first = true;
      for (String key : keys) {
        MetricInfo m = MetricInfo.of(key);
        Double ref = e.getValue().get(key);
        Double v = measured.get(key);
        out.append(first ? "<tr class=\"group-start\">" : "<tr>");
        if (first) {
          out.append("<th scope=\"rowgroup\" rowspan=\"")
              .append(keys.size())
              .append("\">")
              .append(Html.esc(e.getKey()))
              .append(rows.containsKey(e.getKey()) ? "" : " <span class=\"muted\">(not run)</span>")
              .append("</th>");
          first = false;
        }
        out.append("<td>")
            .append(Html.esc(m == null ? Html.label(key) : m.label()))
            .append("</td><td class=\"num\">")
            .append(v == null ? "\u2014" : Html.esc(Html.num(v)))
            .append("</td><td class=\"num\">")
            .append(Html.esc(Html.num(ref)))
            .append("</td><td class=\"num delta ")
            .append(v == null ? "same" : deltaClass(m, v, ref))
            .append("\">")
            .append(v == null ? "" : Html.esc(Html.delta(v, ref)))
            .append("</td></tr>\n");
      }
    }
    out.append("</tbody></table></div>\n</section>\n");
  }

  private static List<String> orderedKeys(Set<String> keys) {
    List<String> ordered = new ArrayList<>();
    for (MetricInfo m : MetricInfo.CATALOG) {
      if (keys.contains(m.key())) {
        ordered.add(m.key());
      }
    }
    for (String k : keys) {
      if (!ordered.contains(k)) {
        ordered.add(k);
      }
    }
    return ordered;
  }

  // ---- training -----------------------------------------------------------------------------

  private void training() {
    List<String> head = run.trainingHeader();
    List<List<String>> body = run.trainingRows();
    if (head.isEmpty() || body.isEmpty()) {
      return;
    }
    out.append("<section id=\"training\">\n<div class=\"section-head\"><h2>Training</h2></div>\n");
    int decimals = lossDecimals(head, body);
    trainingSummary(head, body, decimals);
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
    out.append("</tbody></table></div>\n</section>\n");
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
      return String.format(Locale.ROOT, "%." + lossDecimals + "f", v);
    }
    if (column.equals("seconds")) {
      return Html.duration(v);
    }
    if (column.contains("per_s")) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return Html.num(v);
  }

  private void trainingSummary(List<String> head, List<List<String>> body, int decimals) {
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
    List<String[]> facts = new ArrayList<>();
    facts.add(new String[] {"Epochs", Integer.toString(body.size())});
    if (!phases.isEmpty()) {
      facts.add(new String[] {"Phases", String.join(", ", phases)});
    }
    if (loss >= 0) {
      List<String> last = body.get(body.size() - 1);
      List<String> firstRow = body.get(0);
      facts.add(new String[] {"First loss", cell("loss", firstRow.get(loss), decimals)});
      facts.add(new String[] {"Final loss", cell("loss", last.get(loss), decimals)});
    }
    if (!Double.isNaN(bestVal)) {
      facts.add(
          new String[] {
            "Best validation loss", String.format(Locale.ROOT, "%." + decimals + "f", bestVal)
          });
    }
    if (secs >= 0) {
      facts.add(new String[] {"Training time", Html.duration(sumSeconds)});
    }
    if (nIps > 0) {
      facts.add(
          new String[] {"Throughput", String.format(Locale.ROOT, "%,.0f images/s", sumIps / nIps)});
    }
    out.append("<dl class=\"facts small\">\n");
    for (String[] f : facts) {
      out.append("<div><dt>")
          .append(Html.esc(f[0]))
          .append("</dt><dd class=\"mono\">")
          .append(Html.esc(f[1]))
          .append("</dd></div>\n");
    }
    out.append("</dl>\n");
  }

  private static double parse(String s, double fallback) {
    try {
      return s.isEmpty() ? fallback : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  // ---- figures ------------------------------------------------------------------------------

  private void figures() {
    List<RunContents.Figure> figs = new ArrayList<>(run.figures());
    if (figs.isEmpty()) {
      return;
    }
    List<String> order = new ArrayList<>(KNOWN_FIGURES.keySet());
    figs.sort(
        (a, b) -> {
          int ra = order.indexOf(a.stem());
          int rb = order.indexOf(b.stem());
          ra = ra < 0 ? order.size() : ra;
          rb = rb < 0 ? order.size() : rb;
          return ra != rb ? Integer.compare(ra, rb) : a.fileName().compareTo(b.fileName());
        });
    out.append("<section id=\"figures\">\n<div class=\"section-head\"><h2>Figures</h2></div>\n")
        .append("<div class=\"figures\">\n");
    for (RunContents.Figure f : figs) {
      boolean wide =
          f.stem().contains("reconstruction") || (f.height() > 0 && f.width() > 2.4 * f.height());
      String caption = KNOWN_FIGURES.getOrDefault(f.stem(), Html.label(f.stem()));
      out.append("<figure")
          .append(wide ? " class=\"wide\"" : "")
          .append(">\n<div class=\"frame\"><img src=\"data:")
          .append(f.mime())
          .append(";base64,")
          .append(Base64.getEncoder().encodeToString(f.bytes()))
          .append("\" alt=\"")
          .append(Html.esc(caption))
          .append("\"");
      if (f.width() > 0) {
        out.append(" width=\"")
            .append(f.width())
            .append("\" height=\"")
            .append(f.height())
            .append("\"");
      }
      out.append("/></div>\n<figcaption><span>")
          .append(Html.esc(caption))
          .append("</span><code>figures/")
          .append(Html.esc(f.fileName()))
          .append("</code></figcaption>\n</figure>\n");
    }
    out.append("</div>\n</section>\n");
  }

  // ---- timings ------------------------------------------------------------------------------

  private void timings() {
    Map<String, Double> seconds = new LinkedHashMap<>(run.seconds());
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

  // ---- config, log, files -------------------------------------------------------------------

  private void configBlock() {
    String json = run.configJson();
    if (json.isEmpty()) {
      return;
    }
    out.append("<section id=\"config\">\n<details>\n<summary>Resolved configuration ")
        .append("<span class=\"muted\">config.json</span></summary>\n<pre class=\"code\">")
        .append(Html.esc(json))
        .append("</pre>\n</details>\n</section>\n");
  }

  private void logBlock() {
    List<String> tail = run.logTail();
    if (tail.isEmpty()) {
      return;
    }
    int total = run.logLineCount();
    out.append("<section id=\"log\">\n<details>\n<summary>Run log ")
        .append("<span class=\"muted\">run.log, ")
        .append(
            tail.size() < total
                ? "last " + tail.size() + " of " + total + " lines"
                : total + (total == 1 ? " line" : " lines"))
        .append("</span></summary>\n<pre class=\"code log\">");
    for (String line : tail) {
      out.append(Html.esc(line)).append('\n');
    }
    out.append("</pre>\n</details>\n</section>\n");
  }

  private void footer() {
    out.append("<footer>\n");
    List<RunContents.Entry> entries = run.entries();
    if (!entries.isEmpty()) {
      out.append("<div class=\"files\"><span class=\"files-title\">In this folder</span><ul>");
      for (RunContents.Entry e : entries) {
        out.append("<li><a href=\"")
            .append(Html.esc(e.name().replace("%", "%25").replace(" ", "%20")))
            .append(e.directory() ? "/" : "")
            .append("\">")
            .append(Html.esc(e.name()))
            .append(e.directory() ? "/" : "")
            .append("</a>")
            .append(
                e.directory()
                    ? ""
                    : " <span class=\"muted\">" + Html.esc(Html.bytes(e.size())) + "</span>")
            .append("</li>");
      }
      out.append("</ul></div>\n");
    }
    Path name = run.dir().toAbsolutePath().normalize().getFileName();
    out.append("<p class=\"muted\">Written by deepclust from run folder <code>")
        .append(Html.esc(name == null ? run.dir().toString() : name.toString()))
        .append("</code>. Self-contained: figures are embedded, nothing is loaded from")
        .append(" elsewhere.</p>\n")
        .append("</footer>\n");
  }

  private static String css() {
    try (InputStream in = ReportPage.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException(
            "report.css is missing from the deepclust-core jar (io/deepclust/report/); rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report.css from the classpath", e);
    }
  }
}
