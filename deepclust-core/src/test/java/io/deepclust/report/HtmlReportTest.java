package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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

  @Test
  void recipeRunReportHasMetricsFiguresAndEscapedName() throws Exception {
    Path dir = SampleRuns.recipeRun(tmp.resolve("20240102-030405-cae"), "cae<pca>&\"k\"", false);
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
    // header facts from config.json / metrics.json
    assertTrue(html.contains("2024-01-02 03:04"), "date from the folder name");
    assertTrue(html.contains("mnist \u00b7 all \u00b7 2,000 images"), "dataset, split and subset");
    assertTrue(html.contains("5 min 29 s"), "wall time from seconds.total");
    assertTrue(html.contains("1,194,689"), "parameter count");
    assertTrue(html.contains(">data.subset=2000</li>"), "overrides shown");
    // one embedded figure, byte for byte
    List<String> images = images(html);
    assertEquals(1, images.size());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("figures/loss.png")),
        Base64.getDecoder().decode(images.get(0)));
    // training table, timings, config and log
    assertEquals(20 + 1, doc.getElementsByTagName("tr").getLength() - 0, "20 epochs + header");
    assertTrue(html.contains("Where the time went") && html.contains("train</span>"));
    assertTrue(html.contains("&quot;cae-bn-000&quot;"), "pretty config JSON, escaped");
    assertTrue(html.contains("metrics: &lt;acc&gt; &amp; &quot;nmi&quot; done"), "log escaped");
    assertSelfContained(html);
  }

  @Test
  void everyFigureIsEmbeddedOnceInReadingOrder() throws Exception {
    Path dir = SampleRuns.recipeRun(tmp.resolve("run"), "cae-pca-kmeans", true);
    String html = HtmlReport.render(dir, Map.of(), "My title");
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
    Path dir = SampleRuns.baselineRun(tmp.resolve("baseline"));
    Map<String, Map<String, Double>> paper =
        Map.of(
            "kmeans_raw", Map.of("acc", 0.5385, "NMI", 0.4999),
            "dec", Map.of("acc", 0.8430));
    HtmlReport.write(dir, paper, null);
    String html = Files.readString(dir.resolve(HtmlReport.FILE_NAME));
    Document doc = parse(html);
    assertTrue(html.contains("k-means baselines on mnist"), "default title");
    assertTrue(html.contains("Methods compared"));
    assertTrue(html.contains("<th scope=\"row\">kmeans_raw</th>"));
    assertTrue(html.contains("<th scope=\"row\">kmeans_pca50</th>"));
    // best ACC is kmeans_pca50's; DB is lower-is-better, so also pca50
    assertTrue(html.contains("<td class=\"num best\">0.5482</td>"));
    assertTrue(html.contains("<td class=\"num best\">2.2046</td>"));
    assertTrue(html.contains("<td class=\"num best\">431.52</td>") == false);
    // the NaN silhouette is a dash, not a crash
    assertTrue(html.contains("<td class=\"num\">\u2014</td>"));
    // paper: measured, reported, difference; an unmatched paper row is still listed
    assertTrue(html.contains("Against the paper"));
    assertTrue(html.contains("0.5385") && html.contains("\u22120.0048"), "acc delta");
    assertTrue(html.contains("0.4999") && html.contains("\u22120.0037"), "nmi delta, key case");
    assertTrue(html.contains("dec <span class=\"muted\">(not run)</span>"));
    assertTrue(html.contains("PCA-50") && html.contains("10 restarts"));
    assertTrue(html.contains("kmeans_raw</span>"), "timing bars per stage");
    assertEquals(0, images(html).size());
    assertNotNull(doc.getDocumentElement());
    assertSelfContained(html);
  }

  @Test
  void singleRowIsComparedWithSinglePaperRowWhateverItsName() {
    Path dir = SampleRuns.recipeRun(tmp.resolve("r"), "cae-pca-kmeans", false);
    String html =
        HtmlReport.render(dir, Map.of("paper 000", Map.of("ari", 0.4296, "nmi", 0.5323)), null);
    assertTrue(html.contains("paper 0.4296"), "on the ARI card");
    assertTrue(html.contains("\u22120.0109"), "ARI 0.4187 - 0.4296");
    assertTrue(html.contains("<th scope=\"rowgroup\" rowspan=\"2\">cae-pca-kmeans</th>"));
  }

  @Test
  void missingFilesLeaveTheirSectionsOutAndAreNamed() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    String html = Files.readString(HtmlReport.write(empty));
    parse(html);
    assertTrue(html.contains("config.json is missing"));
    assertTrue(html.contains("metrics.json is missing"));
    assertFalse(html.contains("id=\"metrics\""));
    assertFalse(html.contains("id=\"training\""));
    assertFalse(html.contains("id=\"figures\""));
    assertTrue(html.contains("<h1>empty</h1>"), "titled after the folder");

    Path partial = SampleRuns.recipeRun(tmp.resolve("partial"), "x", false);
    Files.delete(partial.resolve("config.json"));
    Files.delete(partial.resolve("run.log"));
    String p = HtmlReport.render(partial, null, " ");
    parse(p);
    assertTrue(p.contains("id=\"metrics\"") && p.contains("id=\"training\""));
    assertFalse(p.contains("id=\"log\"") || p.contains("id=\"config\""));
  }

  @Test
  void malformedFilesDoNotBreakTheReport() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("bad"));
    Files.writeString(dir.resolve("config.json"), "{\"recipe\": {\"name\": \"half");
    Files.writeString(dir.resolve("metrics.json"), "[1, 2, 3]");
    Files.writeString(
        dir.resolve("training.csv"), "phase,epoch,loss\nrecon,1\nrecon,2,abc,extra\n");
    Files.createDirectory(dir.resolve("figures"));
    Files.write(dir.resolve("figures/not-a.png"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("run.log"), new byte[] {'o', 'k', (byte) 0xFF, 0x01, '\n'});
    String html = HtmlReport.render(dir, Map.of("x", Map.of("acc", 0.5)), null);
    parse(html);
    assertTrue(html.contains("config.json could not be read"));
    assertTrue(html.contains("metrics.json does not hold a JSON object"));
    assertTrue(html.contains("figures/not-a.png is not a PNG image"));
    assertTrue(html.contains("id=\"training\"") && html.contains(">abc</td>"));
    assertEquals(0, images(html).size());
  }

  @Test
  void rewritesAtomicallyAndRejectsMissingFolder() throws Exception {
    Path dir = SampleRuns.baselineRun(tmp.resolve("b"));
    Files.writeString(dir.resolve("report.html"), "old");
    HtmlReport.write(dir);
    assertTrue(Files.readString(dir.resolve("report.html")).startsWith("<!DOCTYPE html>"));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.write(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a folder"));
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
  void writeSamplesForInspection() {
    Path root = Path.of(System.getProperty("deepclust.report.sampleDir"));
    Path recipe =
        SampleRuns.recipeRun(
            root.resolve("20240102-030405-cae-pca-kmeans"), "cae-pca-kmeans", true);
    HtmlReport.write(
        recipe,
        Map.of("cae-pca-kmeans", Map.of("ari", 0.4296, "nmi", 0.5323, "silhouette", 0.1108)),
        null);
    Path baseline = SampleRuns.baselineRun(root.resolve("20240102-020000-baseline"));
    HtmlReport.write(
        baseline,
        Map.of(
            "kmeans_raw", Map.of("acc", 0.5385, "nmi", 0.4999, "ari", 0.3667),
            "kmeans_pca50", Map.of("acc", 0.5480, "nmi", 0.5033)),
        null);
    Path stopped =
        SampleRuns.recipeRun(root.resolve("20240102-050000-stopped"), "cae-pca-kmeans", false);
    try {
      Files.delete(stopped.resolve("metrics.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
