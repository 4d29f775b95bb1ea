package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spread of a recipe over seeds: per method and metric the mean, the sample standard deviation
 * (divisor n - 1) and every seed's value, from each seed's {@code metrics.json}; written as {@code
 * summary.json} and a self-contained page {@code summary.html} that shows each seed's point beside
 * the mean, not only the mean. With labels, also per method the confusions between classes that
 * recur over the seeds (a confusion in every seed is the method's, one in a single seed is noise).
 */
public final class SeedSummary {
  /** The summary file in the seeds folder. */
  public static final String FILE = "summary.json";

  /** The page in the seeds folder. */
  public static final String PAGE = "summary.html";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Confusions shown per method on the page (all are in {@code summary.json}). */
  static final int CONFUSIONS_SHOWN = 8;

  private SeedSummary() {}

  /**
   * One metric of one method over the seeds.
   *
   * @param mean mean of the defined values, NaN when none is
   * @param sd sample standard deviation (n - 1), NaN for fewer than two values
   * @param n seeds with a defined value
   * @param values each seed's value in seed order, null where undefined
   */
  public record Stat(double mean, double sd, int n, List<Double> values) {
    static Stat of(List<Double> values) {
      double sum = 0;
      int n = 0;
      for (Double v : values) {
        if (v != null && Double.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      double mean = n == 0 ? Double.NaN : sum / n;
      double ss = 0;
      for (Double v : values) {
        if (v != null && Double.isFinite(v)) {
          ss += (v - mean) * (v - mean);
        }
      }
      return new Stat(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)), n, values);
    }
  }

  /**
   * One confusion of true class for another over the seeds: the pair as in {@link
   * RunRecord.ConfusedPair} and its image count in each seed whose most-confused list has it.
   *
   * @param counts per seed, in seed order: the images, or null where the pair is not in that seed's
   *     list
   * @param inSeeds the seeds whose list has the pair
   * @param meanShare the mean over those seeds of the pair's share of its true class
   */
  public record Confusion(
      String trueName, String predictedName, List<Integer> counts, int inSeeds, double meanShare) {}

  /**
   * Per method, the pairs in any seed's most-confused list, most seeds first, then most images;
   * methods without pairs (no labels) are left out.
   */
  public static Map<String, List<Confusion>> confusions(List<RunRecord> records) {
    Map<String, Map<String, Integer[]>> counts = new LinkedHashMap<>();
    Map<String, Map<String, double[]>> shares = new LinkedHashMap<>();
    Map<String, Map<String, String[]>> names = new LinkedHashMap<>();
    for (int s = 0; s < records.size(); s++) {
      for (RunRecord.Method m : records.get(s).methods()) {
        for (RunRecord.ConfusedPair p : m.confusedPairs()) {
          String key = p.trueClass() + "->" + p.predictedClass();
          Integer[] c =
              counts
                  .computeIfAbsent(m.name(), k -> new LinkedHashMap<>())
                  .computeIfAbsent(key, k -> new Integer[records.size()]);
          c[s] = p.count();
          shares.computeIfAbsent(m.name(), k -> new LinkedHashMap<>())
                  .computeIfAbsent(key, k -> new double[1])[0] +=
              p.share();
          names
              .computeIfAbsent(m.name(), k -> new LinkedHashMap<>())
              .putIfAbsent(key, new String[] {p.trueName(), p.predictedName()});
        }
      }
    }
    Map<String, List<Confusion>> out = new LinkedHashMap<>();
    counts.forEach(
        (method, byPair) -> {
          List<Confusion> l = new ArrayList<>();
          byPair.forEach(
              (key, c) -> {
                int in = 0;
                for (Integer v : c) {
                  in += v == null ? 0 : 1;
                }
                String[] n = names.get(method).get(key);
                l.add(
                    new Confusion(
                        n[0],
                        n[1],
                        java.util.Arrays.asList(c),
                        in,
                        shares.get(method).get(key)[0] / in));
              });
          l.sort(
              java.util.Comparator.comparingInt(Confusion::inSeeds)
                  .thenComparingInt(SeedSummary::total)
                  .reversed());
          out.put(method, l);
        });
    return out;
  }

  private static int total(Confusion c) {
    int t = 0;
    for (Integer v : c.counts()) {
      t += v == null ? 0 : v;
    }
    return t;
  }

  /**
   * Method name to metric to its {@link Stat} over {@code records} (one per seed, in seed order);
   * methods and metrics in the order of the first record.
   */
  public static Map<String, Map<String, Stat>> summarise(List<RunRecord> records) {
    Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    for (int s = 0; s < records.size(); s++) {
      for (RunRecord.Method m : records.get(s).methods()) {
        Map<String, List<Double>> byMetric =
            values.computeIfAbsent(m.name(), k -> new LinkedHashMap<>());
        for (Map.Entry<String, Double> e : m.metrics().entrySet()) {
          List<Double> l = byMetric.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
          while (l.size() < s) {
            l.add(null);
          }
          l.add(e.getValue());
        }
      }
    }
    Map<String, Map<String, Stat>> out = new LinkedHashMap<>();
    values.forEach(
        (method, byMetric) -> {
          Map<String, Stat> stats = new LinkedHashMap<>();
          byMetric.forEach(
              (metric, l) -> {
                while (l.size() < records.size()) {
                  l.add(null);
                }
                stats.put(metric, Stat.of(l));
              });
          out.put(method, stats);
        });
    return out;
  }

  /**
   * Reads each seed's {@code metrics.json} and writes {@code summary.json} and {@code summary.html}
   * into {@code dir}, atomically.
   *
   * @param runs each seed's run folder, in the order of {@code seeds}
   * @return the summary
   * @throws UncheckedIOException when a run's metrics.json cannot be read (naming it) or a file
   *     cannot be written
   */
  public static Map<String, Map<String, Stat>> write(
      Path dir, String recipe, List<Long> seeds, List<Path> runs) {
    return write(dir, recipe, seeds, runs, Map.of());
  }

  /**
   * As {@link #write(Path, String, List, List)}, for runs pooled after the fact ({@code deepclust
   * report --pool}): {@code differences} names, per run (as in {@code runs}), the recipe fields
   * besides the seed in which it differs from the first run (e.g. {@code training.init_from}); they
   * are written to {@code summary.json} ({@code differences}) and shown on the page.
   */
  public static Map<String, Map<String, Stat>> write(
      Path dir,
      String recipe,
      List<Long> seeds,
      List<Path> runs,
      Map<String, List<String>> differences) {
    return write(dir, recipe, seeds, runs, differences, List.of());
  }

  private static Map<String, Map<String, Stat>> write(
      Path dir,
      String recipe,
      List<Long> seeds,
      List<Path> runs,
      Map<String, List<String>> differences,
      List<Object> builds) {
    List<RunRecord> records = new ArrayList<>();
    for (Path r : runs) {
      try {
        records.add(RunRecord.read(r));
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    Map<String, Map<String, Stat>> summary = summarise(records);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("recipe", recipe);
    json.put("seeds", seeds);
    List<String> rel = new ArrayList<>();
    runs.forEach(r -> rel.add(dir.relativize(r).toString()));
    json.put("runs", rel);
    if (!builds.isEmpty()) {
      json.put("run_provenance", builds);
    }
    if (!differences.isEmpty()) {
      json.put(
          "differences_note",
          "recipe fields besides the seed in which a run differs from the first run");
      json.put("differences", differences);
    }
    json.put("sd", "sample standard deviation (divisor n - 1) over the seeds with a defined value");
    Map<String, Object> methods = new LinkedHashMap<>();
    summary.forEach(
        (m, stats) -> {
          Map<String, Object> ms = new LinkedHashMap<>();
          stats.forEach(
              (k, s) -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("mean", finite(s.mean()));
                o.put("sd", finite(s.sd()));
                o.put("n", s.n());
                o.put("values", s.values());
                ms.put(k, o);
              });
          methods.put(m, ms);
        });
    json.put("methods", methods);
    json.put("provenance", Provenance.collect());
    Map<String, List<Confusion>> confusions = confusions(records);
    if (!confusions.isEmpty()) {
      Map<String, Object> cj = new LinkedHashMap<>();
      confusions.forEach(
          (m, l) -> {
            List<Object> rows = new ArrayList<>();
            for (Confusion c : l) {
              Map<String, Object> o = new LinkedHashMap<>();
              o.put("true", c.trueName());
              o.put("taken_for", c.predictedName());
              o.put("in_seeds", c.inSeeds());
              o.put("images", c.counts());
              o.put("mean_share", c.meanShare());
              rows.add(o);
            }
            cj.put(m, rows);
          });
      json.put(
          "confused_pairs_note",
          "per method, each pair in any seed's most-confused list (metrics.json confused_pairs):"
              + " images per seed (null: not in that seed's list, or that seed had no labels),"
              + " most seeds first; mean_share averages only the seeds whose list has the pair");
      json.put("confused_pairs", cj);
    }
    try {
      AtomicFiles.writeBytes(dir.resolve(FILE), JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e, e);
    }
    AtomicFiles.writeString(
        dir.resolve(PAGE), page(recipe, seeds, rel, summary, confusions, differences));
    return summary;
  }

  /** The file that marks a folder {@link #pool} wrote (so that only such a folder is rewritten). */
  public static final String POOL_MARKER = ".deepclust-pool";

  /**
   * {@code deepclust report --pool}: summarises finished runs of one system with different seeds,
   * made separately (e.g. a seed continued from another run's pretraining), as {@code --seeds}
   * would have, in {@code out}: {@code summary.json} (with each run's build, {@code
   * run_provenance}, and what else differs, {@code differences}) and {@code summary.html}.
   * Everything is checked before the first byte is written.
   *
   * @param runs two or more run folders, each with a readable {@code metrics.json} (a finished run)
   *     and {@code config.json}, each of another {@code seed}; the summary bears the first one's
   *     recipe name
   * @param out a new or empty folder, or one an earlier {@code --pool} wrote (marked by {@link
   *     #POOL_MARKER}; its files are replaced); never a run folder or a folder inside one
   * @param differences for each run in {@code runs} (same order), the recipe fields besides the
   *     seed in which it differs from the first (empty for the first)
   * @return {@code out}'s {@code summary.html}
   * @throws RunFolderException naming the run or folder at fault, the cause and the fix
   */
  public static Path pool(List<Path> runs, Path out, List<List<String>> differences) {
    if (differences.size() != runs.size()) {
      throw new IllegalArgumentException("one list of differences per run");
    }
    String recipe = null;
    List<Long> seeds = new ArrayList<>();
    List<Path> absolute = new ArrayList<>();
    List<Object> builds = new ArrayList<>();
    for (Path run : runs) {
      Path abs = run.toAbsolutePath().normalize();
      int twice = absolute.indexOf(abs);
      if (twice >= 0) {
        throw new RunFolderException(
            run, run + " is given twice (as " + runs.get(twice) + "); pool each run once");
      }
      JsonNode config = readPoolable(run);
      String name = config.path("recipe").path("name").asText("");
      long seed = config.path("recipe").path("seed").asLong();
      // another name (e.g. a copy of the recipe file) is one of the differences the caller lists
      recipe = recipe == null ? name : recipe;
      int at = seeds.indexOf(seed);
      if (at >= 0) {
        throw new RunFolderException(
            run,
            run
                + " and "
                + runs.get(at)
                + " both ran seed "
                + seed
                + "; pool runs of different seeds");
      }
      seeds.add(seed);
      absolute.add(abs);
      builds.add(JSON.convertValue(config.path("provenance"), Object.class));
    }
    Path dir = out.toAbsolutePath().normalize();
    checkPoolOut(out, dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new RunFolderException(
          out,
          "cannot create " + out + ": " + RunFolderFiles.reason(e) + " (choose another --out)",
          e);
    }
    AtomicFiles.writeString(
        dir.resolve(POOL_MARKER), "written by deepclust report --pool; it may write here again\n");
    Map<String, List<String>> named = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      if (!differences.get(i).isEmpty()) {
        named.put(dir.relativize(absolute.get(i)).toString(), differences.get(i));
      }
    }
    write(dir, recipe, seeds, absolute, named, builds);
    return out.resolve(PAGE);
  }

  /**
   * Checks that {@code run} is a finished run {@link #pool} can take (it exists, is not a --seeds
   * sweep, and has a readable metrics.json with methods and a config.json with a seed).
   *
   * @return its config.json
   * @throws RunFolderException saying what is wrong with it and what to do
   */
  public static JsonNode readPoolable(Path run) {
    if (!Files.exists(run)) {
      throw new RunFolderException(
          run, run + " does not exist; give the folder of a finished deepclust run");
    }
    if (!Files.exists(run.resolve(RunFolder.CONFIG)) && Files.isRegularFile(run.resolve(FILE))) {
      throw new RunFolderException(
          run,
          run
              + " is a --seeds sweep, not a run; pool its seed-<S> folders, or put it beside other"
              + " runs with --compare");
    }
    if (!Files.isRegularFile(run.resolve(RunRecord.FILE))) {
      throw new RunFolderException(
          run,
          run
              + " holds no "
              + RunRecord.FILE
              + ": it is not a finished run (pool only runs that have ended; resume a stopped"
              + " one with deepclust run "
              + run
              + " --resume --out "
              + run
              + ")");
    }
    RunRecord record;
    try {
      record = RunRecord.read(run);
    } catch (IOException e) {
      IOException cause = e.getCause() instanceof IOException c ? c : e;
      throw new RunFolderException(
          run, "cannot read " + run.resolve(RunRecord.FILE) + ": " + brief(cause) + DAMAGED, e);
    }
    if (record.methods() == null || record.methods().isEmpty()) {
      throw new RunFolderException(
          run, run.resolve(RunRecord.FILE) + " holds no method's metrics" + DAMAGED);
    }
    JsonNode config;
    try {
      config = JSON.readTree(run.resolve(RunFolder.CONFIG).toFile());
    } catch (IOException e) {
      throw new RunFolderException(
          run, "cannot read " + run.resolve(RunFolder.CONFIG) + ": " + brief(e) + DAMAGED, e);
    }
    if (!config.path("recipe").path("seed").canConvertToLong()) {
      throw new RunFolderException(
          run, run.resolve(RunFolder.CONFIG) + " names no recipe seed" + DAMAGED);
    }
    return config;
  }

  private static final String DAMAGED =
      " (the run's files are damaged; run its recipe again: deepclust run RUN/config.json)";

  /** An I/O or JSON error's own reason, without Jackson's source-location lines. */
  private static String brief(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      return j.getOriginalMessage();
    }
    return RunFolderFiles.reason(e);
  }

  /** --pool's --out: not in a run folder; new, empty, or an earlier pool's. */
  private static void checkPoolOut(Path out, Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(RunFolder.CONFIG)) || RunFolder.isRunFolder(p)) {
        throw new RunFolderException(
            out,
            (p.equals(dir) ? out + " is a run folder" : out + " is inside the run folder " + p)
                + "; --pool never writes into a run's folder: choose another --out");
      }
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RunFolderException(out, out + " is a file, not a folder; choose another --out");
    }
    if (Files.isDirectory(dir)) {
      RunFolderFiles.checkWritable(out, "pooled summary folder");
      boolean earlierPool =
          Files.isRegularFile(dir.resolve(POOL_MARKER))
              && RunFolderFiles.isEmpty(dir, POOL_MARKER, FILE, PAGE);
      if (!earlierPool && !RunFolderFiles.isEmpty(dir)) {
        throw new RunFolderException(
            out,
            out
                + " holds files --pool did not write; give a new or empty folder, or one an"
                + " earlier --pool wrote");
      }
      return;
    }
    RunFolderFiles.checkCreatable(out, "pooled summary folder");
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The page: a mean ± sd table, then per metric a strip of every seed's point per method. */
  static String page(
      String recipe, List<Long> seeds, List<String> runs, Map<String, Map<String, Stat>> summary) {
    return page(recipe, seeds, runs, summary, Map.of());
  }

  /** As above, with the confusions that recur over the seeds. */
  static String page(
      String recipe,
      List<Long> seeds,
      List<String> runs,
      Map<String, Map<String, Stat>> summary,
      Map<String, List<Confusion>> confusions) {
    return page(recipe, seeds, runs, summary, confusions, Map.of());
  }

  /** As above, with the recipe fields in which pooled runs differ from the first one. */
  static String page(
      String recipe,
      List<Long> seeds,
      List<String> runs,
      Map<String, Map<String, Stat>> summary,
      Map<String, List<Confusion>> confusions,
      Map<String, List<String>> differences) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>")
        .append(Html.esc(recipe))
        .append(" over ")
        .append(seeds.size())
        .append(" seeds</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:70em}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;")
        .append("text-align:right}th:first-child,td:first-child{text-align:left}")
        .append("figure{display:inline-block;margin:0 1.5em 1.5em 0}")
        .append("</style></head><body>\n<h1>")
        .append(Html.esc(recipe))
        .append(": ")
        .append(seeds.size())
        .append(" seeds</h1>\n<p>Seeds ")
        .append(Html.esc(seeds.toString()))
        .append("; each seed's run: ");
    for (int i = 0; i < runs.size(); i++) {
      String r = Html.esc(runs.get(i));
      h.append(i == 0 ? "" : ", ")
          .append("<a href=\"")
          .append(r)
          .append("/report.html\">")
          .append(r)
          .append("</a>");
    }
    h.append(". Mean ± sample standard deviation (n − 1).</p>\n");
    if (!differences.isEmpty()) {
      h.append("<p>These runs were pooled after the fact and differ from the first in more than")
          .append(" the seed:</p>\n<ul>");
      differences.forEach(
          (run, fields) ->
              h.append("<li>")
                  .append(Html.esc(run))
                  .append(": ")
                  .append(Html.esc(String.join(", ", fields)))
                  .append("</li>"));
      h.append("</ul>\n");
    }
    List<String> metrics = new ArrayList<>();
    summary
        .values()
        .forEach(
            s ->
                s.keySet()
                    .forEach(
                        k -> {
                          if (!metrics.contains(k)) {
                            metrics.add(k);
                          }
                        }));
    h.append("<table><tr><th>method</th>");
    metrics.forEach(k -> h.append("<th>").append(Html.esc(k)).append("</th>"));
    h.append("</tr>\n");
    summary.forEach(
        (m, stats) -> {
          h.append("<tr><td>").append(Html.esc(m)).append("</td>");
          for (String k : metrics) {
            Stat s = stats.get(k);
            h.append("<td>");
            if (s != null && s.n() > 0) {
              h.append(Html.num(s.mean()));
              if (s.n() > 1) {
                h.append(" ± ").append(Html.num(s.sd()));
              }
            } else {
              h.append("\u2014");
            }
            h.append("</td>");
          }
          h.append("</tr>\n");
        });
    h.append("</table>\n<h2>Each seed</h2>\n");
    for (String k : metrics) {
      h.append(strip(k, seeds, summary));
    }
    if (!confusions.isEmpty()) {
      h.append("<h2>Most confused classes over the seeds</h2>\n<p>True class taken for another")
          .append(" (after each seed's matching of clusters to classes); images in each seed,")
          .append(" \u2014 where the pair is not among that seed's most confused.</p>\n");
      confusions.forEach(
          (m, l) -> {
            h.append("<table><caption>")
                .append(Html.esc(m))
                .append("</caption><tr><th>true class</th><th>taken for</th><th>seeds</th>");
            seeds.forEach(sd -> h.append("<th>seed ").append(sd).append("</th>"));
            h.append("</tr>\n");
            for (Confusion c : l.subList(0, Math.min(l.size(), CONFUSIONS_SHOWN))) {
              h.append("<tr><td>")
                  .append(Html.esc(c.trueName()))
                  .append("</td><td>")
                  .append(Html.esc(c.predictedName()))
                  .append("</td><td>")
                  .append(c.inSeeds())
                  .append(" of ")
                  .append(seeds.size())
                  .append("</td>");
              for (Integer v : c.counts()) {
                h.append("<td>").append(v == null ? "\u2014" : v.toString()).append("</td>");
              }
              h.append("</tr>\n");
            }
            h.append("</table>\n");
          });
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  /** One metric: a row per method, a dot per seed (hover: seed and value), a bar at the mean. */
  private static String strip(String metric, List<Long> seeds, Map<String, Map<String, Stat>> s) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Map<String, Stat> stats : s.values()) {
      Stat st = stats.get(metric);
      if (st != null) {
        for (Double v : st.values()) {
          if (v != null && Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    if (!Double.isFinite(lo)) {
      return "";
    }
    double pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(lo) * 0.05, 1e-3);
    lo -= pad;
    hi += pad;
    int labelW = 150;
    int plotW = 320;
    int rowH = 26;
    int height = rowH * s.size() + 30;
    StringBuilder g = new StringBuilder();
    g.append("<figure><figcaption>")
        .append(Html.esc(metric))
        .append("</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(labelW + plotW + 20)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.esc(metric))
        .append(" of each seed\">");
    int row = 0;
    for (Map.Entry<String, Map<String, Stat>> e : s.entrySet()) {
      Stat st = e.getValue().get(metric);
      int y = row * rowH + rowH / 2 + 4;
      g.append(
          String.format(
              Locale.ROOT,
              "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>"
                  + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>",
              y + 4,
              Html.esc(e.getKey()),
              labelW,
              labelW + plotW,
              y,
              y));
      if (st != null) {
        for (int i = 0; i < st.values().size(); i++) {
          Double v = st.values().get(i);
          if (v == null || !Double.isFinite(v)) {
            continue;
          }
          g.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"#1f77b4\" fill-opacity=\"0.7\">"
                      + "<title>seed %d: %s</title></circle>",
                  labelW + plotW * (v - lo) / (hi - lo),
                  y,
                  seeds.get(i),
                  Html.num(v)));
        }
        if (st.n() > 0) {
          double x = labelW + plotW * (st.mean() - lo) / (hi - lo);
          g.append(
              String.format(
                  Locale.ROOT,
                  "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#d62728\""
                      + " stroke-width=\"2\"><title>mean %s</title></line>",
                  x,
                  x,
                  y - 8,
                  y + 8,
                  Html.num(st.mean())));
        }
      }
      row++;
    }
    int axisY = row * rowH + 14;
    g.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
            labelW,
            axisY,
            Html.num(lo),
            labelW + plotW,
            axisY,
            Html.num(hi)));
    return g.append("</svg></figure>\n").toString();
  }
}
