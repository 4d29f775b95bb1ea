package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.report.BrowserCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepclust report --compare} on small real runs (two recipe runs on 300 MNIST images and a
 * two-seed baseline): one row per run and method, the best value per metric marked, paper values
 * shown, figures copied and still found after the folder is moved; run folders and files it did not
 * write are refused. Then the pages in headless Chromium ({@code report --check}), skipped without
 * Chromium.
 */
class ReportCompareTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  static Path runA;
  static Path runB;
  static Path seeds;

  private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]*)\"");

  @BeforeAll
  static void runs() throws Exception {
    String recipe =
        Cli.TINY_MLP.replace(
            "report: {figures: [loss]}", "report: {figures: [loss, confusion, pca2d, clusters]}");
    Path yaml = Cli.write(shared, "a.yaml", recipe);
    runA = shared.resolve("a");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--out", runA.toString());
    assertEquals(0, o.code(), o.all());
    Path yamlB =
        Cli.write(
            shared,
            "b.yaml",
            recipe
                .replace("seed: 5", "seed: 6")
                .replace(
                    "cluster: {type: kmeans, k: 10, n_init: 1}",
                    "cluster: {type: kmeans, k: 10, n_init: 1}\n    paper: {ari: 0.4321}"));
    runB = shared.resolve("b");
    o = Cli.run("run", yamlB.toString(), "--out", runB.toString());
    assertEquals(0, o.code(), o.all());
    seeds = shared.resolve("seeds");
    o =
        Cli.run(
            "baseline",
            "--subset",
            "300",
            "--pca",
            "5",
            "--n-init",
            "1",
            "--seeds",
            "0,1",
            "--out",
            seeds.toString());
    assertEquals(0, o.code(), o.all());
  }

  @Test
  void comparesRunsAndSeedsSideBySide() throws Exception {
    Path out = tmp.resolve("cmp");
    Map<String, String> before = Cli.snapshot(runA);
    Cli.Outcome o =
        Cli.run(
            "report",
            "--compare",
            runA.toString(),
            runB.toString(),
            seeds.toString(),
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    assertEquals(before, Cli.snapshot(runA), "a compared run is only read");
    JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
    assertEquals(3, json.get("runs").size());
    assertEquals("seeds", json.get("runs").get(2).get("kind").asText());
    // a, b: one method each; the baseline: kmeans_raw and kmeans_pca50
    assertEquals(4, json.get("rows").size());
    double bestAri = Double.NEGATIVE_INFINITY;
    for (JsonNode r : json.get("rows")) {
      bestAri = Math.max(bestAri, r.get("metrics").get("ari").asDouble());
    }
    assertEquals(bestAri, json.get("best").get("ari").get("value").asDouble(), 0.0);
    assertEquals(0.4321, json.get("rows").get(1).get("paper").get("ari").asDouble(), 0.0);
    assertTrue(json.get("rows").get(2).has("sd"), "a seeds folder gives sds");

    String html = Files.readString(out.resolve("compare.html"));
    assertTrue(html.contains("paper 0.4321"), "the paper's value under the measured one");
    // every directional metric has exactly one best cell (8 of them; n_clusters has no direction)
    assertEquals(8, count(html, "class=\"num best\""));
    assertTrue(html.contains(" \u00b1 "), "mean \u00b1 sd for the seeds folder");
    List<String> images = images(html);
    assertTrue(images.size() >= 6, "confusion and loss at least, per run: " + images);
    for (String src : images) {
      assertFalse(src.startsWith("/") || src.contains(".."), "relative, inside: " + src);
      assertTrue(Files.isRegularFile(out.resolve(src)), src);
    }
    // the folder works when moved
    Path moved = Files.move(out, tmp.resolve("moved"));
    for (String src : images) {
      assertTrue(Files.isRegularFile(moved.resolve(src)), src);
    }
    // an earlier comparison's folder is rewritten; a user's file there is left alone
    Files.writeString(moved.resolve("notes.txt"), "mine");
    o = Cli.run("report", "--compare", runA.toString(), runB.toString(), "--out", moved.toString());
    assertEquals(0, o.code(), o.all());
    assertEquals("mine", Files.readString(moved.resolve("notes.txt")));
  }

  @Test
  void refusesRunFoldersForeignFilesAndFoldersNoRunWrote() throws Exception {
    Map<String, String> before = Cli.snapshot(runA);
    // into a run folder, or inside one
    Cli.Outcome o =
        Cli.run("report", "--compare", runA.toString(), runB.toString(), "--out", runB.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("is inside the compared folder"), o.err());
    Path other = Cli.copy(runB, tmp.resolve("other-run"));
    o =
        Cli.run(
            "report", "--compare", runA.toString(), seeds.toString(), "--out", other.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("is a run folder"), o.err());
    o =
        Cli.run(
            "report",
            "--compare",
            runA.toString(),
            seeds.toString(),
            "--out",
            runA.resolve("cmp").toString());
    assertEquals(1, o.code(), o.all());
    assertEquals(before, Cli.snapshot(runA));
    // a folder no run wrote
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(plain.resolve("config.json"), "{}");
    o =
        Cli.run(
            "report",
            "--compare",
            runA.toString(),
            plain.toString(),
            "--out",
            tmp.resolve("x").toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("is not a run folder"), o.err());
    assertFalse(Files.exists(tmp.resolve("x")), "nothing written");
    // a non-empty folder no comparison wrote
    Path used = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(used.resolve("compare.html"), "mine");
    o = Cli.run("report", "--compare", runA.toString(), runB.toString(), "--out", used.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("no comparison wrote it"), o.err());
    assertEquals("mine", Files.readString(used.resolve("compare.html")));
    // a comparison's folder holding a file of the user's where a new figure would go
    Path cmp = tmp.resolve("cmp");
    o = Cli.run("report", "--compare", runA.toString(), seeds.toString(), "--out", cmp.toString());
    assertEquals(0, o.code(), o.all());
    Files.writeString(cmp.resolve("figures/3-loss.png"), "mine");
    Map<String, String> cmpBefore = Cli.snapshot(cmp);
    o =
        Cli.run(
            "report",
            "--compare",
            runA.toString(),
            seeds.toString(),
            runB.toString(),
            "--out",
            cmp.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("holds files no comparison wrote: figures/3-loss.png"), o.err());
    assertEquals(cmpBefore, Cli.snapshot(cmp), "nothing overwritten");
    // one run is no comparison
    o = Cli.run("report", "--compare", runA.toString());
    assertEquals(2, o.code(), o.all());
  }

  /**
   * {@code --pool}: two runs made separately (seeds 5 and 6; b's recipe also adds a paper value)
   * become one summary as --seeds writes it, naming what differs besides the seed; the runs are not
   * touched, and the pool's own folder may be written again.
   */
  @Test
  void poolsSeparateRunsAsSeeds() throws Exception {
    Path out = tmp.resolve("pool");
    Map<String, String> a = Cli.snapshot(runA);
    Map<String, String> b = Cli.snapshot(runB);
    Cli.Outcome o =
        Cli.run("report", "--pool", runA.toString(), runB.toString(), "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("differs from " + runA + " in more than the seed"), o.out());
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("[5,6]", s.get("seeds").toString());
    JsonNode acc = s.at("/methods/kmeans/acc");
    assertEquals(2, acc.get("n").asInt(), s.toString());
    double mean = (acc.at("/values/0").asDouble() + acc.at("/values/1").asDouble()) / 2;
    assertEquals(mean, acc.get("mean").asDouble(), 1e-12);
    // named as in "runs": relative to the pool's folder
    assertEquals(1, s.get("differences").size(), s.toString());
    String key = s.get("differences").fieldNames().next();
    assertEquals(s.at("/runs/1").asText(), key);
    assertEquals(runB, out.resolve(key).normalize());
    JsonNode differ = s.get("differences").get(key);
    assertTrue(differ.toString().contains("paper"), s.toString());
    assertFalse(differ.toString().contains("\"seed\""), s.toString());
    String page = Files.readString(out.resolve("summary.html"));
    assertTrue(page.contains("differ from the first in more than"), page);
    assertEquals(a, Cli.snapshot(runA));
    assertEquals(b, Cli.snapshot(runB));
    o = Cli.run("report", "--pool", runA.toString(), runB.toString(), "--out", out.toString());
    assertEquals(0, o.code(), "an earlier pool's folder is written again: " + o.all());
  }

  /**
   * --pool refuses, before writing anything: a run twice, one seed twice, an unfinished or damaged
   * run, a --seeds sweep, another system (unless allowed), an --out in a run folder or holding
   * files it did not write (a summary.json included).
   */
  @Test
  void poolRefusesBeforeWritingAnything() throws Exception {
    Path out = tmp.resolve("pool");
    String a = runA.toString();
    String b = runB.toString();
    String o1 = out.toString();
    assertRefused("is given twice", out, "report", "--pool", a, a, "--out", o1);
    Path copy = tmp.resolve("copy-of-a");
    copyTree(runA, copy);
    assertRefused(
        "both ran seed 5; pool runs of different seeds",
        out,
        "report",
        "--pool",
        a,
        copy.toString(),
        "--out",
        o1);
    Files.delete(copy.resolve("metrics.json"));
    assertRefused(
        "holds no metrics.json: it is not a finished run",
        out,
        "report",
        "--pool",
        b,
        copy.toString(),
        "--out",
        o1);
    Files.writeString(copy.resolve("metrics.json"), "{\"methods\": [");
    assertRefused(
        "metrics.json: Unexpected end-of-input",
        out,
        "report",
        "--pool",
        b,
        copy.toString(),
        "--out",
        o1);
    assertRefused(
        "is a --seeds sweep, not a run; pool its seed-<S> folders",
        out,
        "report",
        "--pool",
        a,
        seeds.toString(),
        "--out",
        o1);
    Path baselineSeed = seeds.resolve("seed-0");
    assertRefused(
        "pool only runs of one system",
        out,
        "report",
        "--pool",
        a,
        baselineSeed.toString(),
        "--out",
        o1);
    assertRefused(
        "is inside the run folder " + runB,
        runB.resolve("pool"),
        "report",
        "--pool",
        a,
        b,
        "--out",
        runB.resolve("pool").toString());
    assertRefused(
        "--pool never writes into a run's folder", null, "report", "--pool", a, b, "--out", b);
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("summary.json"), "{\"mine\": 1}");
    assertRefused(
        "holds files --pool did not write",
        null,
        "report",
        "--pool",
        a,
        b,
        "--out",
        foreign.toString());
    assertEquals("{\"mine\": 1}", Files.readString(foreign.resolve("summary.json")));
    assertEquals(List.of("summary.json"), List.of(foreign.toFile().list()));
    Path file = Files.writeString(tmp.resolve("a-file"), "x\n");
    for (var mode :
        Map.of("--pool", "pooled summary folder", "--compare", "comparison folder").entrySet()) {
      Path under = file.resolve("out");
      assertRefused(
          "cannot create " + mode.getValue() + " " + under + ": " + file + " is a file",
          null,
          "report",
          mode.getKey(),
          a,
          b,
          "--out",
          under.toString());
    }
    assertEquals("x\n", Files.readString(file));
    Cli.Outcome o = Cli.run("report", "--pool", a, b);
    assertTrue(o.code() != 0 && o.err().contains("--pool needs --out DIR"), o.all());
    // another system only when asked for, and then recorded
    o = Cli.run("report", "--pool", a, baselineSeed.toString(), "--allow-differences", "--out", o1);
    assertEquals(0, o.code(), o.all());
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertTrue(s.at("/differences").toString().contains("\"model\""), s.toString());
  }

  /** A pool's folder goes into --compare like a --seeds folder (its runs lie elsewhere). */
  @Test
  void aPoolIsComparedLikeASeedsFolder() throws Exception {
    Path pooled = tmp.resolve("pooled");
    Cli.Outcome o =
        Cli.run("report", "--pool", runA.toString(), runB.toString(), "--out", pooled.toString());
    assertEquals(0, o.code(), o.all());
    Path cmp = tmp.resolve("cmp");
    o =
        Cli.run(
            "report", "--compare", pooled.toString(), seeds.toString(), "--out", cmp.toString());
    assertEquals(0, o.code(), o.all());
    JsonNode c = new ObjectMapper().readTree(cmp.resolve("compare.json").toFile());
    assertTrue(c.toString().contains("±") || c.toString().contains("sd"), c.toString());
  }

  /** Runs {@code args}, expects exit code 1 with {@code message}, and {@code out} not created. */
  private static void assertRefused(String message, Path out, String... args) {
    Cli.Outcome o = Cli.run(args);
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains(message), message + " in: " + o.err());
    if (out != null) {
      assertFalse(Files.exists(out), "nothing written: " + out);
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else if (!p.getFileName().toString().equals(".lock")) {
          Files.copy(p, q);
        }
      }
    }
  }

  @Test
  void reportAndComparePagesLoadInChromium() throws Exception {
    assumeTrue(
        BrowserCheck.findChromium().isPresent(),
        "no Chromium on this machine: the headless-browser check is skipped");
    Path out = tmp.resolve("cmp");
    Cli.Outcome o =
        Cli.run(
            "report",
            "--compare",
            runA.toString(),
            runB.toString(),
            seeds.toString(),
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    o = Cli.run("report", "--check", runA.toString(), out.toString(), seeds.toString());
    assertEquals(0, o.code(), o.all());
    assertEquals(3, count(o.out(), "\nok ") + (o.out().startsWith("ok ") ? 1 : 0), o.out());
    // the report's and the comparison's figures are images (the seeds page draws inline SVG)
    assertTrue(o.out().contains("report.html: 5 images loaded"), o.out());
    assertTrue(o.out().contains("compare.html: 11 images loaded"), o.out());
    // a page with a missing image fails
    Path broken = Files.createDirectories(tmp.resolve("broken"));
    Files.writeString(
        broken.resolve("report.html"),
        "<!DOCTYPE html><html><body><img src=\"figures/none.png\" alt=\"x\"/></body></html>");
    o = Cli.run("report", "--check", broken.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.out().contains("image did not load: figures/none.png"), o.out());
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
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
