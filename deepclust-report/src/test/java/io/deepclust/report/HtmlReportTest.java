package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.report.RunRecord.Method;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  private static final Pattern IMG = Pattern.compile("<img src=\"data:image/png;base64,([^\"]*)\"");

  @TempDir Path tmp;

  /** Every figure the run writes gets a sentence, not its file name. */
  @Test
  void figureCaptionsDescribeEveryFigureTheRunWrites() {
    assertEquals(
        "t-SNE of the clustered features, coloured by true class",
        FiguresSection.caption("tsne_truth"));
    assertEquals(
        "Clustering phase per update: ACC and NMI on an axis fitted to their range",
        FiguresSection.caption("cluster_updates_quality"));
    assertEquals(
        "PCA of the features of method 'soft-centroids', coloured by its clusters",
        FiguresSection.caption("pca2d_soft-centroids"));
    assertEquals(
        "Loss per epoch of 'pretrain' (a training phase, or a method's clusterer)",
        FiguresSection.caption("loss_pretrain"));
    assertEquals(
        "t-SNE of the features after phase 'warmup', coloured by true class",
        FiguresSection.caption("tsne_after_warmup_truth"));
  }

  @Test
  void recipeRunReportHasMetricsFiguresAndEscapedName() throws Exception {
    Path dir =
        SampleRuns.recipeRun(tmp.resolve("20240102-030405-cae"), "cae<pca>&\"k\"", Map.of(), false);
    Path written = HtmlReport.write(dir);
    assertEquals(dir.resolve("report.html"), written);
    String html = Files.readString(written, StandardCharsets.UTF_8);
    Document doc = parse(html);

    assertTrue(html.contains("cae&lt;pca&gt;&amp;&quot;k&quot;"), "recipe name is escaped");
    assertFalse(html.contains("cae<pca>"), "no raw markup from the name");
    assertEquals("cae<pca>&\"k\" \u00b7 deepclust report", text(doc, "title"));
    // all eight cards, each with its direction
    for (String label :
        List.of(
            "ACC",
            "NMI",
            "ARI",
            "AMI",
            "Purity",
            "Silhouette",
            "Davies\u2013Bouldin",
            "Calinski\u2013Harabasz")) {
      assertTrue(html.contains(">" + label + "</span>"), label);
    }
    assertTrue(html.contains("0.6124") && html.contains("0.4187") && html.contains("287.44"));
    assertEquals(7, count(html, "higher is better"));
    assertEquals(1, count(html, "lower is better"));
    // header facts from config.json (snake_case recipe) and metrics.json
    assertTrue(html.contains("2024-01-02 03:04"), "date from the folder name");
    assertTrue(html.contains("mnist \u00b7 all \u00b7 2,000 images"), "dataset, split and subset");
    assertTrue(html.contains("5 min 29 s"), "wall time from seconds.total");
    assertTrue(html.contains("1,194,689"), "parameter count from the record's facts");
    assertTrue(html.contains(">data.subset=2000</li>"), "overrides shown");
    assertTrue(
        html.contains("<dt>Command</dt><dd>run, recipe cae&lt;pca&gt;&amp;"),
        "the command that wrote the folder and the recipe's name, escaped");
    assertTrue(html.contains(">batch 256</li>") && html.contains(">10 restarts</li>"), "chips");
    assertTrue(html.contains(">exact silhouette</li>"), "evaluation.silhouette_sample");
    assertTrue(html.contains("PyTorch \u00b7 2.7.1 \u00b7 cpu"), "engine");
    assertTrue(html.contains("10 clusters used"), "n_clusters from the row's extra numbers");
    assertFalse(html.contains("id=\"paper\""), "no paper values, no paper section");
    // one embedded figure, byte for byte
    List<String> images = images(html);
    assertEquals(1, images.size());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("figures/loss.png")),
        Base64.getDecoder().decode(images.get(0)));
    // training summary from the record, table from training.csv, timings, config and log
    assertEquals(20 + 1, doc.getElementsByTagName("tr").getLength(), "20 epochs + header");
    assertTrue(html.contains("<dt>Training time</dt><dd class=\"mono\">4 min 02 s</dd>"));
    assertTrue(html.contains("Where the time went") && html.contains("train</span>"));
    assertTrue(html.contains("&quot;cae-bn-000&quot;"), "pretty config JSON, escaped");
    assertTrue(html.contains("metrics: &lt;acc&gt; &amp; &quot;nmi&quot; done"), "log escaped");
    assertFalse(html.contains(".lock") || html.contains(RunFolder.MARKER), "hidden files");
    assertSelfContained(html);
  }

  @Test
  void confusedPairsAndClusterCountsFromOneSource() throws Exception {
    Path dir = SampleRuns.recipeRun(tmp.resolve("pairs"), "cae", Map.of(), false);
    RunRecord r = RunRecord.read(dir);
    Method m = r.methods().get(0);
    Map<String, Double> extra = new LinkedHashMap<>(m.extra());
    extra.put("k", 10.0);
    Map<String, Double> collapsed = new LinkedHashMap<>(extra);
    collapsed.put("n_clusters", 3.0);
    List<RunRecord.ConfusedPair> pairs =
        List.of(
            new RunRecord.ConfusedPair(4, "four", 9, "nine", 31, 0.31),
            new RunRecord.ConfusedPair(7, null, 1, "", 12, 0.12));
    try (RunFolder folder = RunFolder.lockExisting(dir)) {
      new RunRecord(
              r.formatVersion(),
              r.recipe(),
              r.paper(),
              List.of(
                  new Method("kmeans", m.metrics(), Map.of(), extra, null, null, pairs),
                  new Method("dec", m.metrics(), Map.of(), collapsed)),
              r.perPhase(),
              r.training(),
              r.seconds(),
              r.facts())
          .write(folder);
    }
    // the pairs survive metrics.json
    assertEquals(pairs, RunRecord.read(dir).methods().get(0).confusedPairs());
    String html = Files.readString(HtmlReport.write(dir));
    parse(html);
    assertTrue(html.contains("<h2>Clusters</h2>"), html);
    assertTrue(html.contains("<td>four</td><td>\u2192 nine</td><td class=\"num\">31</td>"));
    assertTrue(html.contains("<td>7</td><td>\u2192 1</td>"), "names default to the ids");
    assertTrue(html.contains(">31.0%<"));
    // the note and the warning agree: each row's n_clusters
    assertTrue(html.contains("Clusters used: kmeans 10, dec 3."), html);
    assertFalse(html.contains("10 clusters used"));
    assertTrue(html.contains("dec uses only 3 of its 10 clusters"));
    assertFalse(html.contains("kmeans uses only"));
  }

  @Test
  void silhouetteChipStatesThePointsUsed() {
    var sample = com.fasterxml.jackson.databind.node.IntNode.valueOf(10_000);
    var none = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    RunRecord small =
        new RunRecord(1, "r", "", List.of(), null, null, null, Map.of("images", 300.0));
    assertEquals("exact silhouette", HeaderSection.silhouette(sample, small));
    Map<String, Double> metrics = Map.of("silhouette", 0.1);
    RunRecord measured =
        new RunRecord(
            1,
            "r",
            "",
            List.of(new Method("a", metrics, Map.of(), Map.of("silhouette_points", 300.0))),
            null,
            null,
            null,
            Map.of("images", 300.0));
    assertEquals("exact silhouette, 300 points", HeaderSection.silhouette(sample, measured));
    RunRecord big =
        new RunRecord(
            1,
            "r",
            "",
            List.of(new Method("a", metrics, Map.of(), Map.of("silhouette_points", 10_000.0))),
            null,
            null,
            null,
            Map.of("images", 70_000.0));
    assertEquals("silhouette on 10,000 points", HeaderSection.silhouette(sample, big));
    assertEquals("", HeaderSection.silhouette(none, small));
  }

  @Test
  void everyFigureIsEmbeddedOnceInReadingOrder() throws Exception {
    Path dir = SampleRuns.recipeRun(tmp.resolve("run"), "cae-pca-kmeans", Map.of(), true);
    String html = HtmlReport.render(dir, "My title");
    parse(html);
    List<String> images = images(html);
    List<String> expected =
        List.of(
            "loss",
            "confusion",
            "reconstructions",
            "pca2d_truth",
            "pca2d_clusters",
            "tsne_truth",
            "tsne_clusters");
    assertEquals(expected.size(), images.size());
    for (int i = 0; i < expected.size(); i++) {
      byte[] png = Files.readAllBytes(dir.resolve("figures/" + expected.get(i) + ".png"));
      assertArrayEquals(png, Base64.getDecoder().decode(images.get(i)), expected.get(i));
    }
    assertTrue(html.contains("<h1>My title</h1>"));
    assertTrue(html.contains("coloured by true class"));
  }

  @Test
  void baselineRowsAreComparedWithEachOtherAndThePaper() throws Exception {
    Path dir =
        SampleRuns.baselineRun(tmp.resolve("baseline"), Map.of("acc", 0.5385, "nmi", 0.4999));
    HtmlReport.write(dir);
    String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
    Document doc = parse(html);
    assertTrue(html.contains("<h1>baseline-mnist</h1>") && html.contains("baseline report"));
    assertTrue(html.contains("Methods compared"));
    assertTrue(html.contains("<th scope=\"row\">kmeans_raw</th>"));
    assertTrue(html.contains("<th scope=\"row\">kmeans_pca50</th>"));
    // best ACC is kmeans_pca50's; DB is lower-is-better, so also pca50
    assertTrue(html.contains("<td class=\"num best\">0.5482</td>"));
    assertTrue(html.contains("<td class=\"num best\">2.2046</td>"));
    assertFalse(html.contains("<td class=\"num best\">431.52</td>"));
    // the undefined silhouette says so, and why; the defined one is the best
    assertTrue(
        html.contains(
            "<td class=\"num undefined\" title=\"undefined: needs at least 2 clusters, and fewer"
                + " clusters than points\">undefined</td>"));
    assertTrue(html.contains("<td class=\"num best\">0.0585</td>"));
    // paper: measured, reported, difference, for the row whose record carries them
    assertTrue(html.contains("Against the paper"));
    assertTrue(html.contains("0.5385") && html.contains("\u22120.0048"), "acc delta");
    assertTrue(html.contains("0.4999") && html.contains("\u22120.0037"), "nmi delta");
    assertTrue(html.contains("<th scope=\"rowgroup\" rowspan=\"2\">kmeans_raw</th>"));
    assertTrue(html.contains("PCA-50") && html.contains("10 restarts"));
    assertTrue(html.contains("kmeans_raw</span>"), "timing bars per stage");
    assertEquals(0, images(html).size());
    assertNotNull(doc.getDocumentElement());
    assertSelfContained(html);
  }

  @Test
  void paperValuesAreShownForAnyRecipeName() throws Exception {
    Path dir =
        SampleRuns.recipeRun(
            tmp.resolve("mine"), "my-own-recipe", Map.of("ari", 0.4296, "nmi", 0.5323), false);
    String html = Files.readString(HtmlReport.write(dir));
    parse(html);
    assertTrue(html.contains("paper 0.4296"), "on the ARI card");
    assertTrue(html.contains("\u22120.0109"), "ARI 0.4187 - 0.4296");
    assertTrue(html.contains("<th scope=\"rowgroup\" rowspan=\"2\">my-own-recipe</th>"));
    // neutral: a recipe may depart from its paper on purpose (the plus recipes)
    assertTrue(html.contains("Paper: 000 Deep autoencoder-based feature learning"));
  }

  @Test
  void undefinedMetricsSayUndefinedAndWhy() throws Exception {
    Path dir = tmp.resolve("one-cluster");
    try (RunFolder f = RunFolder.prepare(null, null, dir, RunFolder.Mode.NEW).open()) {
      f.writeJson("config.json", SampleRuns.config(Map.of("name", "one"), List.of()));
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("acc", null);
      m.put("silhouette", Double.NaN);
      m.put("davies_bouldin", null);
      new RunRecord(
              1,
              "one",
              "",
              List.of(new Method("one", m, Map.of("silhouette", 0.11), Map.of())),
              List.of(),
              Map.of(),
              Map.of(),
              Map.of())
          .write(f);
    }
    String html = HtmlReport.render(dir, null);
    parse(html);
    assertTrue(
        html.contains(
            "<div class=\"card-value undefined\" title=\"undefined: needs the true labels"));
    assertTrue(
        html.contains(
            "<div class=\"card-value undefined\" title=\"undefined: needs at least 2 clusters\">"
                + "undefined</div>"));
    assertEquals(3, count(html, ">undefined</div>"), "three undefined cards");
    assertTrue(html.contains("paper 0.1100"), "the paper's value beside it");
    assertTrue(
        html.contains(
            "title=\"undefined: needs at least 2 clusters, and fewer clusters"
                + " than points\">undefined</td>"),
        "in the paper table too");
    assertFalse(html.contains("NaN"));
  }

  @Test
  void perPhaseRowsAreShown() throws Exception {
    Path dir = tmp.resolve("phases");
    try (RunFolder f = RunFolder.prepare(null, null, dir, RunFolder.Mode.NEW).open()) {
      f.writeJson("config.json", SampleRuns.config(SampleRuns.recipe("triplet"), List.of()));
      Map<String, Double> a = SampleRuns.metrics(0.51, 0.45, 0.33, 0.44, 0.55, 0.08, 2.5, 300);
      Map<String, Double> b = SampleRuns.metrics(0.71, 0.65, 0.53, 0.64, 0.75, 0.12, 1.9, 410);
      new RunRecord(
              1,
              "triplet",
              "",
              List.of(new Method("triplet", b, Map.of(), Map.of())),
              List.of(new Method("after reconstruction", a, Map.of(), Map.of())),
              Map.of(),
              Map.of(),
              Map.of())
          .write(f);
    }
    String html = HtmlReport.render(dir, null);
    parse(html);
    assertTrue(html.contains("id=\"per-phase\"") && html.contains("After each phase"));
    assertTrue(html.contains("<th scope=\"row\">after reconstruction</th>"));
    assertTrue(html.contains("0.5100"));
  }

  @Test
  void missingFilesLeaveTheirSectionsOutAndAreNamed() throws Exception {
    Path partial = SampleRuns.recipeRun(tmp.resolve("partial"), "x", Map.of(), false);
    Files.delete(partial.resolve("metrics.json"));
    Files.delete(partial.resolve("run.log"));
    Files.delete(partial.resolve("training.csv"));
    String p = HtmlReport.render(partial, " ");
    parse(p);
    assertTrue(p.contains("metrics.json is missing"));
    assertTrue(p.contains("<h1>x</h1>"), "titled after the recipe");
    assertFalse(p.contains("id=\"metrics\"") || p.contains("id=\"training\""));
    assertFalse(p.contains("id=\"log\"") || p.contains("id=\"timings\""));
    assertTrue(p.contains("id=\"config\"") && p.contains("id=\"figures\""));
  }

  @Test
  void malformedFilesDoNotBreakTheReport() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("bad"));
    // a run's folder (its marker is there) whose files were damaged afterwards
    Files.writeString(dir.resolve(RunFolder.MARKER), "deepclust run folder\n");
    Files.writeString(dir.resolve("config.json"), "{\"recipe\": {\"name\": \"half");
    Files.writeString(dir.resolve("metrics.json"), "[1, 2, 3]");
    Files.writeString(
        dir.resolve("training.csv"), "phase,epoch,loss\nrecon,1\nrecon,2,abc,extra\n");
    Files.createDirectory(dir.resolve("figures"));
    Files.write(dir.resolve("figures/not-a.png"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("run.log"), new byte[] {'o', 'k', (byte) 0xFF, 0x01, '\n'});
    String html = Files.readString(HtmlReport.write(dir));
    parse(html);
    assertTrue(html.contains("config.json could not be read"));
    assertTrue(html.contains("metrics.json could not be read"));
    assertTrue(html.contains("figures/not-a.png is not a PNG image"));
    assertTrue(html.contains("id=\"training\"") && html.contains(">abc</td>"));
    assertTrue(html.contains("<h1>bad</h1>"), "titled after the folder");
    assertEquals(0, images(html).size());
  }

  @Test
  void rewritesAtomically() throws Exception {
    Path dir = SampleRuns.baselineRun(tmp.resolve("b"), Map.of());
    Files.writeString(dir.resolve("report.html"), "old");
    HtmlReport.write(dir);
    assertTrue(Files.readString(dir.resolve("report.html")).startsWith("<!DOCTYPE html>"));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }
  }

  @Test
  void aFolderThatIsNotARunIsRefusedAndNothingIsWritten() throws Exception {
    Path root = Path.of("/");
    boolean hadReport = Files.exists(root.resolve(HtmlReport.FILE_NAME));
    boolean hadLock = Files.exists(root.resolve(".lock"));
    RunFolderException e = assertThrows(RunFolderException.class, () -> HtmlReport.write(root));
    assertTrue(e.getMessage().contains("not a run folder (no config.json in /)"), e.getMessage());
    assertEquals(hadReport, Files.exists(root.resolve(HtmlReport.FILE_NAME)));
    assertEquals(hadLock, Files.exists(root.resolve(".lock")));

    Path empty = Files.createDirectory(tmp.resolve("empty"));
    e = assertThrows(RunFolderException.class, () -> HtmlReport.write(empty));
    assertTrue(
        e.getMessage().contains("not a run folder (no config.json in " + empty + ")"),
        e.getMessage());
    try (Stream<Path> files = Files.list(empty)) {
      assertEquals(0, files.count(), "nothing written, not even a lock file");
    }
    e = assertThrows(RunFolderException.class, () -> HtmlReport.render(tmp.resolve("nope"), null));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a run folder"));

    // a user's own folder that happens to hold a config.json
    Path mine = Files.createDirectory(tmp.resolve("mine"));
    Files.writeString(mine.resolve("config.json"), "{\"mine\": 1}");
    e = assertThrows(RunFolderException.class, () -> HtmlReport.write(mine));
    assertTrue(e.getMessage().contains("not written by a deepclust run"), e.getMessage());
    try (Stream<Path> files = Files.list(mine)) {
      assertEquals(1, files.count(), "nothing written");
    }
  }

  @Test
  void aReportIsNotWrittenIntoAFolderInUse() {
    Path dir = SampleRuns.baselineRun(tmp.resolve("busy"), Map.of());
    try (RunFolder running = RunFolder.prepare(null, null, dir, RunFolder.Mode.RESUME).open()) {
      RunFolderException e = assertThrows(RunFolderException.class, () -> HtmlReport.write(dir));
      assertTrue(e.getMessage().contains(dir + " is in use by another run (pid "), e.getMessage());
      assertFalse(Files.exists(dir.resolve(HtmlReport.FILE_NAME)));
      // the run itself writes its report under its own lock
      assertEquals(dir.resolve(HtmlReport.FILE_NAME), HtmlReport.write(running, null));
    }
    HtmlReport.write(dir);
  }

  @Test
  void formatsNumbersForReaders() {
    assertEquals("0.6124", Html.num(0.61238));
    assertEquals("\u22120.0500", Html.num(-0.05));
    assertEquals("1,234,567", Html.num(1234567));
    assertEquals("12,345.7", Html.num(12345.67));
    assertEquals("\u2014", Html.num(Double.NaN));
    assertEquals("+0.0100", Html.signed(0.01));
    assertEquals("3 min 07 s", Html.duration(187));
    assertEquals("Embedding dim", Html.label("embedding_dim"));
    assertEquals("Eval split", Html.label("evalSplit"));
    assertEquals("&lt;b&gt; &amp; &#39;q&#39;", Html.esc("<b> & 'q'"));
  }

  /**
   * Writes sample reports for looking at in a browser: {@code
   * -Ddeepclust.report.sampleDir=/tmp/report-samples}.
   */
  @Test
  @EnabledIfSystemProperty(named = "deepclust.report.sampleDir", matches = ".+")
  void writeSamplesForInspection() throws Exception {
    Path root = Path.of(System.getProperty("deepclust.report.sampleDir"));
    HtmlReport.write(
        SampleRuns.recipeRun(
            root.resolve("20240102-030405-cae-pca-kmeans"),
            "cae-pca-kmeans",
            Map.of("ari", 0.4296, "nmi", 0.5323, "silhouette", 0.1108),
            true));
    HtmlReport.write(
        SampleRuns.baselineRun(
            root.resolve("20240102-020000-baseline"),
            Map.of("acc", 0.5385, "nmi", 0.4999, "ari", 0.3667)));
    Path stopped =
        SampleRuns.recipeRun(
            root.resolve("20240102-050000-stopped"), "cae-pca-kmeans", Map.of(), false);
    Files.delete(stopped.resolve("metrics.json"));
    HtmlReport.write(stopped);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Parses the page as XML: it is written as polyglot HTML, so this checks well-formedness. */
  static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Document doc, String tag) {
    NodeList l = doc.getElementsByTagName(tag);
    return ((Element) l.item(0)).getTextContent();
  }

  private static List<String> images(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = IMG.matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** No scripts and nothing fetched from elsewhere. */
  private static void assertSelfContained(String html) {
    String lower = html.toLowerCase(java.util.Locale.ROOT);
    assertFalse(lower.contains("<script"), "no scripts");
    assertFalse(lower.contains("src=\"http") || lower.contains("href=\"http"), "no remote links");
    assertFalse(lower.contains("@import") || lower.contains("url("), "no CSS imports");
    assertFalse(lower.contains("<link"), "no linked stylesheets");
  }
}
