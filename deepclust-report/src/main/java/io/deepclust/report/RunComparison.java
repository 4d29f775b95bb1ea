package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several runs side by side ({@code deepclust report --compare RUN_A RUN_B ...}): a page {@code
 * compare.html} and its data {@code compare.json} in a folder of their own.
 *
 * <p>The page has one row per run and method with every metric (mean ± sample sd for a seeds
 * folder), the paper's value under a measured one where the recipe gives it, the best value per
 * metric marked (by the metric's direction; the means for seeds folders), then the runs' key
 * figures side by side (confusion matrix, t-SNE or PCA by cluster and by truth, loss curves,
 * clustering updates). The figures are copied into the folder's {@code figures/} and referenced by
 * relative paths, so the folder works when moved; the links to each run's own report work while the
 * folders keep their places.
 *
 * <p>Each input is a run folder (checked as {@code deepclust report} checks one) or a seeds folder
 * written by {@code --seeds} ({@code summary.json} and its {@code seed-<S>} run folders; its
 * figures are the first seed's). The output folder must be new, empty or an earlier comparison's:
 * it is never a run folder nor inside a compared folder, and no file this class did not write
 * (listed in {@link #MARKER}) is ever replaced. Every check runs before the first byte is written;
 * each file is written to a temporary sibling and renamed.
 */
public final class RunComparison {
  /** The page. */
  public static final String PAGE = "compare.html";

  /** The data behind the page. */
  public static final String JSON_FILE = "compare.json";

  /** Lists the files a comparison wrote into its folder; only those are ever rewritten. */
  public static final String MARKER = ".deepclust-compare";

  /** Figure stems compared, in page order. */
  static final List<String> FIGURES =
      List.of(
          "confusion",
          "tsne_clusters",
          "tsne_truth",
          "pca2d_clusters",
          "pca2d_truth",
          "loss",
          "cluster_updates");

  private static final String MARKER_HEAD = "deepclust report --compare";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunComparison() {}

  /** One compared folder. */
  record Entry(
      String label,
      Path dir,
      boolean seeds,
      String recipe,
      List<Long> seedList,
      List<Row> rows,
      Path figureDir) {}

  /**
   * One method of one entry: the values (means for seeds), their sds (seeds only) and the paper's.
   */
  record Row(
      String method,
      Map<String, Double> values,
      Map<String, Double> sd,
      Map<String, Double> paper,
      String splits) {}

  /**
   * Writes {@code out/compare.html}, {@code out/compare.json} and the copied figures.
   *
   * @param inputs run folders or seeds folders, at least one, in column order
   * @param out the folder to write: new, empty, or one an earlier comparison wrote
   * @return the page
   * @throws RunFolderException when an input is not a folder a run (or {@code --seeds}) wrote, or
   *     {@code out} is a file, a run folder, inside a compared folder, or holds a file this class
   *     did not write; nothing is written then
   * @throws UncheckedIOException when a file cannot be read or written (the OS's reason kept)
   */
  public static Path write(List<Path> inputs, Path out) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no runs to compare");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> labels = new LinkedHashSet<>();
    for (Path p : inputs) {
      Entry e = read(p);
      String label = e.label();
      for (int i = 2; !labels.add(label); i++) {
        label = e.label() + " (" + i + ")";
      }
      entries.add(
          new Entry(label, e.dir(), e.seeds(), e.recipe(), e.seedList(), e.rows(), e.figureDir()));
    }
    // which figure files the page shows, and where each is copied
    Map<String, List<Path>> sources = new LinkedHashMap<>();
    Map<String, List<String>> copies = new LinkedHashMap<>();
    for (String stem : FIGURES) {
      List<Path> src = new ArrayList<>();
      List<String> dst = new ArrayList<>();
      boolean any = false;
      for (int i = 0; i < entries.size(); i++) {
        Path f = figure(entries.get(i).figureDir(), stem);
        src.add(f);
        dst.add(f == null ? null : "figures/" + (i + 1) + "-" + f.getFileName());
        any |= f != null;
      }
      if (any) {
        sources.put(stem, src);
        copies.put(stem, dst);
      }
    }
    List<String> files = new ArrayList<>();
    copies.values().forEach(l -> l.stream().filter(s -> s != null).forEach(files::add));
    files.add(JSON_FILE);
    files.add(PAGE);
    Set<String> previous = checkOut(out, entries, files);

    createDirectories(out.resolve("figures"));
    Set<String> owned = new LinkedHashSet<>(previous);
    owned.addAll(files);
    StringBuilder marker = new StringBuilder(MARKER_HEAD).append('\n');
    owned.forEach(f -> marker.append("file ").append(f).append('\n'));
    // the marker first: a killed comparison still owns what it wrote
    AtomicFiles.writeString(out.resolve(MARKER), marker.toString());
    for (Map.Entry<String, List<Path>> e : sources.entrySet()) {
      List<String> dst = copies.get(e.getKey());
      for (int i = 0; i < dst.size(); i++) {
        if (dst.get(i) != null) {
          AtomicFiles.writeBytes(out.resolve(dst.get(i)), readBytes(e.getValue().get(i)));
        }
      }
    }
    try {
      AtomicFiles.writeBytes(out.resolve(JSON_FILE), JSON.writeValueAsBytes(json(entries, copies)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(JSON_FILE) + ": " + e, e);
    }
    Path page = out.resolve(PAGE);
    AtomicFiles.writeString(page, page(entries, copies, sources, out));
    return page;
  }

  /** An input folder as an entry; refuses folders no run wrote. */
  static Entry read(Path dir) {
    String label = label(dir);
    Path summary = dir.resolve(SeedSummary.FILE);
    if (Files.isDirectory(dir)
        && !Files.exists(dir.resolve(RunFolder.CONFIG))
        && Files.isRegularFile(summary)) {
      return readSeeds(dir, label, summary);
    }
    RunFolder.requireRunFolder(dir);
    RunRecord record;
    try {
      record = RunRecord.read(dir);
    } catch (IOException e) {
      throw new RunFolderException(
          dir,
          e.getMessage()
              + " (a run that has not finished has no "
              + RunRecord.FILE
              + "; compare finished runs)",
          e);
    }
    List<Row> rows = new ArrayList<>();
    for (RunRecord.Method m : record.methods()) {
      rows.add(new Row(m.name(), m.metrics(), Map.of(), m.paper(), m.splits()));
    }
    String recipe = record.recipe().isEmpty() ? label : record.recipe();
    return new Entry(label, dir, false, recipe, List.of(), rows, dir.resolve("figures"));
  }

  private static Entry readSeeds(Path dir, String label, Path summary) {
    JsonNode s;
    try {
      s = JSON.readTree(summary.toFile());
    } catch (IOException e) {
      throw new RunFolderException(
          dir, "cannot read " + summary + ": " + e.getMessage() + " (rerun the --seeds run)", e);
    }
    JsonNode runs = s.path("runs");
    if (!s.path("methods").isObject() || !runs.isArray() || runs.isEmpty()) {
      throw new RunFolderException(
          dir,
          summary
              + " is not a --seeds summary (no methods or runs); pass a run folder or the folder"
              + " a --seeds run wrote");
    }
    Path first = dir.resolve(runs.get(0).asText()).normalize();
    // a --pool summary names runs made elsewhere; a --seeds one only its own seed-<S> folders
    if (!first.startsWith(dir.normalize())
        && !Files.isRegularFile(dir.resolve(SeedSummary.POOL_MARKER))) {
      throw new RunFolderException(
          dir, summary + " names a run outside its folder: " + runs.get(0).asText());
    }
    RunFolder.requireRunFolder(first);
    RunRecord firstRecord = null;
    try {
      firstRecord = RunRecord.read(first);
    } catch (IOException e) {
      // paper values are optional; the means come from summary.json
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, JsonNode> m : s.path("methods").properties()) {
      Map<String, Double> mean = new LinkedHashMap<>();
      Map<String, Double> sd = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> k : m.getValue().properties()) {
        mean.put(k.getKey(), number(k.getValue().path("mean")));
        sd.put(k.getKey(), number(k.getValue().path("sd")));
      }
      RunRecord.Method fm = firstRecord == null ? null : firstRecord.method(m.getKey());
      rows.add(
          new Row(
              m.getKey(),
              mean,
              sd,
              fm == null ? Map.of() : fm.paper(),
              fm == null ? "" : fm.splits()));
    }
    List<Long> seeds = new ArrayList<>();
    s.path("seeds").forEach(n -> seeds.add(n.asLong()));
    String recipe = s.path("recipe").asText(label);
    return new Entry(label, dir, true, recipe, seeds, rows, first.resolve("figures"));
  }

  private static Double number(JsonNode n) {
    return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
  }

  /** The folder's name, or its absolute path's last part. */
  private static String label(Path dir) {
    Path f = dir.toAbsolutePath().normalize().getFileName();
    return f == null ? dir.toString() : f.toString();
  }

  /** {@code dir/stem.png}, else {@code .svg}; null when neither is a file. */
  private static Path figure(Path dir, String stem) {
    for (String ext : List.of(".png", ".svg")) {
      Path p = dir.resolve(stem + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Checks the output folder, writing nothing.
   *
   * @return the files an earlier comparison recorded there
   */
  private static Set<String> checkOut(Path out, List<Entry> entries, List<String> files) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new RunFolderException(
          out, out + " is a file, not a folder; choose another --out for the comparison");
    }
    Path abs = out.toAbsolutePath().normalize();
    for (Entry e : entries) {
      Path d = e.dir().toAbsolutePath().normalize();
      if (abs.startsWith(d)) {
        throw new RunFolderException(
            out,
            out
                + " is inside the compared folder "
                + e.dir()
                + "; a comparison never writes into a run's folder: choose another --out");
      }
    }
    if (!Files.isDirectory(out)) {
      RunFolderFiles.checkCreatable(out, "comparison folder");
      return Set.of();
    }
    if (RunFolder.isRunFolder(out) || Files.exists(out.resolve(RunFolder.CONFIG))) {
      throw new RunFolderException(
          out,
          out
              + " is a run folder; a comparison never writes into a run's folder: choose another"
              + " --out");
    }
    RunFolderFiles.checkWritable(out, "comparison folder");
    if (RunFolderFiles.isEmpty(out)) {
      return Set.of();
    }
    Path marker = out.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      throw new RunFolderException(
          out,
          out
              + " is not empty and no comparison wrote it (no "
              + MARKER
              + "); nothing was written: choose a new or empty --out");
    }
    Set<String> owned = new LinkedHashSet<>();
    try {
      for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
        if (line.startsWith("file ")) {
          owned.add(line.substring(5).strip());
        }
      }
    } catch (IOException e) {
      throw new RunFolderException(
          out,
          "cannot read "
              + marker
              + ": "
              + RunFolderFiles.reason(e)
              + "; nothing was written: choose a new or empty --out",
          e);
    }
    List<String> foreign = new ArrayList<>();
    for (String f : files) {
      if (Files.exists(out.resolve(f)) && !owned.contains(f)) {
        foreign.add(f);
      }
    }
    if (Files.exists(out.resolve("figures")) && !Files.isDirectory(out.resolve("figures"))) {
      foreign.add("figures");
    }
    if (!foreign.isEmpty()) {
      throw new RunFolderException(
          out,
          out
              + " holds files no comparison wrote: "
              + String.join(", ", foreign)
              + "; nothing was overwritten: move them or choose another --out");
    }
    return owned;
  }

  private static Map<String, Object> json(List<Entry> entries, Map<String, List<String>> copies) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", 1);
    List<Map<String, Object>> runs = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("label", e.label());
      r.put("path", e.dir().toAbsolutePath().normalize().toString());
      r.put("kind", e.seeds() ? "seeds" : "run");
      r.put("recipe", e.recipe());
      if (e.seeds()) {
        r.put("seeds", e.seedList());
      }
      runs.add(r);
      for (Row row : e.rows()) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("run", e.label());
        o.put("method", row.method());
        o.put("metrics", row.values());
        if (e.seeds()) {
          o.put("sd", row.sd());
        }
        o.put("paper", row.paper());
        rows.add(o);
      }
    }
    root.put("runs", runs);
    root.put("rows", rows);
    Map<String, Object> best = new LinkedHashMap<>();
    for (String k : columns(entries)) {
      int[] at = best(entries, k);
      if (at != null) {
        Entry e = entries.get(at[0]);
        Row row = e.rows().get(at[1]);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("run", e.label());
        b.put("method", row.method());
        b.put("value", row.values().get(k));
        best.put(k, b);
      }
    }
    root.put("best", best);
    root.put("figures", copies);
    return root;
  }

  /** Metric keys of all rows: catalog order, then the others. */
  static List<String> columns(List<Entry> entries) {
    Set<String> keys = new LinkedHashSet<>();
    entries.forEach(e -> e.rows().forEach(r -> keys.addAll(r.values().keySet())));
    return Cells.ordered(keys);
  }

  /**
   * {entry, row} of the best defined value of {@code key}, the first on ties; null when the metric
   * has no direction or no row defines it.
   */
  static int[] best(List<Entry> entries, String key) {
    MetricInfo m = MetricInfo.of(key);
    if (m == null || m.direction() == MetricInfo.Direction.NONE) {
      return null;
    }
    int[] at = null;
    double bestValue = Double.NaN;
    for (int i = 0; i < entries.size(); i++) {
      List<Row> rows = entries.get(i).rows();
      for (int j = 0; j < rows.size(); j++) {
        Double v = rows.get(j).values().get(key);
        if (v != null && (at == null || m.direction().better(v, bestValue))) {
          at = new int[] {i, j};
          bestValue = v;
        }
      }
    }
    return at;
  }

  private static String page(
      List<Entry> entries,
      Map<String, List<String>> copies,
      Map<String, List<Path>> sources,
      Path out) {
    StringBuilder h = new StringBuilder(1 << 14);
    String title = "Comparison of " + entries.size() + " runs";
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<meta name=\"generator\" content=\"deepclust report --compare\"/>\n")
        .append("<title>")
        .append(Html.esc(title))
        .append(" \u00b7 deepclust</title>\n<style>\n")
        .append(ReportPage.css())
        .append(".side-by-side{display:grid;gap:18px;grid-template-columns:repeat(")
        .append(entries.size())
        .append(",minmax(0,1fr))}\n.side-by-side .missing{color:var(--muted);padding:1em}\n")
        .append("td .paper{display:block;font-size:12px;color:var(--muted);font-weight:400}\n")
        .append("</style>\n</head>\n<body>\n<main class=\"page\">\n");
    h.append("<header class=\"hero\"><h1>").append(Html.esc(title)).append("</h1>\n<ol>\n");
    for (Entry e : entries) {
      h.append("<li><strong>").append(Html.esc(e.label())).append("</strong> \u00b7 ");
      h.append(Html.esc(e.recipe()));
      if (e.seeds()) {
        h.append(" \u00b7 mean \u00b1 sd over seeds ").append(Html.esc(e.seedList().toString()));
      }
      Path report =
          e.seeds() ? e.dir().resolve(SeedSummary.PAGE) : e.dir().resolve(HtmlReport.FILE_NAME);
      if (Files.isRegularFile(report)) {
        String rel = relative(out, report);
        h.append(" \u00b7 <a href=\"")
            .append(Html.esc(rel))
            .append("\">")
            .append(e.seeds() ? "summary" : "report")
            .append("</a>");
      }
      h.append(" <code>").append(Html.esc(e.dir().toString())).append("</code></li>\n");
    }
    h.append("</ol></header>\n");
    metricsTable(entries, h);
    if (!copies.isEmpty()) {
      h.append("<section id=\"figures\">\n<div class=\"section-head\"><h2>Figures</h2>")
          .append("<p class=\"section-note\">Each run's figure in the run's column")
          .append(
              entries.stream().anyMatch(Entry::seeds)
                  ? " (for a seeds folder, its first seed's)"
                  : "")
          .append(".</p></div>\n");
      for (Map.Entry<String, List<String>> c : copies.entrySet()) {
        String caption = FiguresSection.caption(c.getKey());
        h.append("<h3 class=\"group\">").append(Html.esc(caption)).append("</h3>\n");
        h.append("<div class=\"side-by-side\">\n");
        for (int i = 0; i < entries.size(); i++) {
          String dst = c.getValue().get(i);
          String who = entries.get(i).label();
          if (dst == null) {
            h.append("<div class=\"missing\">")
                .append(Html.esc(who))
                .append(": no ")
                .append(Html.esc(c.getKey()))
                .append(" figure</div>\n");
            continue;
          }
          int[] size = {0, 0};
          if (dst.endsWith(".png")) {
            int[] s = RunContents.pngSize(readBytes(sources.get(c.getKey()).get(i)));
            size = s == null ? size : s;
          }
          FiguresSection.figure(
              dst,
              who + ": " + caption,
              who + "/figures/" + fileName(dst),
              size[0],
              size[1],
              false,
              h);
        }
        h.append("</div>\n");
      }
      h.append("</section>\n");
    }
    h.append("<footer class=\"footer\"><p>Written by <code>deepclust report --compare</code>;")
        .append(" the data is in <code>")
        .append(JSON_FILE)
        .append("</code>.</p></footer>\n</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void metricsTable(List<Entry> entries, StringBuilder h) {
    List<String> cols = columns(entries);
    Map<String, int[]> best = new LinkedHashMap<>();
    cols.forEach(k -> best.put(k, best(entries, k)));
    h.append("<section id=\"metrics\">\n<div class=\"section-head\"><h2>Metrics</h2>")
        .append("<p class=\"section-note\">One row per run and method; best value per metric")
        .append(" highlighted; the paper's value under a measured one where the recipe gives it.")
        .append("</p></div>\n<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr>")
        .append("<th>Run</th><th>Method</th>");
    for (String c : cols) {
      MetricInfo m = MetricInfo.of(c);
      h.append("<th class=\"num\"")
          .append(m == null ? "" : " title=\"" + Html.esc(m.help()) + "\"")
          .append(">")
          .append(Html.esc(Cells.label(c)));
      if (m != null && m.direction() != MetricInfo.Direction.NONE) {
        h.append(" <span class=\"arrow\">")
            .append(m.direction() == MetricInfo.Direction.HIGHER ? "\u2191" : "\u2193")
            .append("</span>");
      }
      h.append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      for (int j = 0; j < e.rows().size(); j++) {
        Row r = e.rows().get(j);
        h.append("<tr><th scope=\"row\">")
            .append(j == 0 ? Html.esc(e.label()) : "")
            .append("</th><th scope=\"row\">")
            .append(Html.esc(r.method()));
        if (!r.splits().isEmpty()) {
          h.append("<br/><span class=\"muted\">").append(Html.esc(r.splits())).append("</span>");
        }
        h.append("</th>");
        for (String c : cols) {
          cell(h, e, r, c, java.util.Arrays.equals(best.get(c), new int[] {i, j}));
        }
        h.append("</tr>\n");
      }
    }
    h.append("</tbody></table></div>\n</section>\n");
  }

  private static void cell(StringBuilder h, Entry e, Row r, String key, boolean best) {
    if (!r.values().containsKey(key)) {
      h.append("<td class=\"num\"></td>");
      return;
    }
    Double v = r.values().get(key);
    if (v == null) {
      Cells.undefinedCell(h, key);
      return;
    }
    h.append("<td class=\"num").append(best ? " best" : "").append("\"");
    if (best) {
      h.append(" title=\"best\"");
    }
    h.append(">").append(Html.esc(Html.num(v)));
    Double sd = r.sd().get(key);
    if (e.seeds() && sd != null) {
      h.append(" \u00b1 ").append(Html.esc(Html.num(sd)));
    }
    Double ref = r.paper().get(key);
    if (ref != null) {
      h.append("<span class=\"paper\">paper ")
          .append(Html.esc(Html.num(ref)))
          .append(" <span class=\"delta ")
          .append(Cells.deltaClass(MetricInfo.of(key), v, ref))
          .append("\">")
          .append(Html.esc(Html.delta(v, ref)))
          .append("</span></span>");
    }
    h.append("</td>");
  }

  /** {@code target} relative to {@code from}, with forward slashes (an absolute URI if none). */
  private static String relative(Path from, Path target) {
    Path a = from.toAbsolutePath().normalize();
    Path b = target.toAbsolutePath().normalize();
    try {
      return a.relativize(b).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return b.toUri().toString();
    }
  }

  private static String fileName(String rel) {
    String name = rel.substring(rel.lastIndexOf('/') + 1);
    return name.substring(name.indexOf('-') + 1);
  }

  private static byte[] readBytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + RunFolderFiles.reason(e), e);
    }
  }

  private static void createDirectories(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new RunFolderException(
          d, "cannot create " + d + ": " + RunFolderFiles.reason(e) + " (choose another --out)", e);
    }
  }
}
