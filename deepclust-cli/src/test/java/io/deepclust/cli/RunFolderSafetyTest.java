package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.report.RunFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run folders never lose results, through the CLI: a non-empty {@code --out} is refused, {@code
 * --overwrite} clears only a run's own files, a folder in use is refused, {@code report} writes
 * only into run folders, and I/O errors keep the operating system's reason. Each case checks the
 * exit code, the message and what is on disk afterwards. (Default folders of two runs started in
 * the same second are told apart by {@code
 * RunFolderTest.twoDefaultFoldersInTheSameSecondGetASuffix} and {@code
 * defaultFoldersAreUniqueEvenWhenStartedAtOnce} in deepclust-report: through the CLI they would
 * land under the module's own {@code runs/}.)
 */
class RunFolderSafetyTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  /** A finished recipe run: checkpoints/, figures/, features.npy, ... */
  static Path recipeRun;

  /** A finished {@code baseline} run. */
  static Path baselineRun;

  static Path tinyYaml;

  @BeforeAll
  static void runOnce() throws Exception {
    tinyYaml = Cli.write(shared, "tiny.yaml", Cli.TINY_MLP);
    recipeRun = shared.resolve("recipe-run");
    Cli.Outcome r = Cli.run("run", tinyYaml.toString(), "--out", recipeRun.toString());
    assertEquals(0, r.code(), r.all());
    for (String f : List.of("figures/loss.png", "features.npy", "checkpoints/latest")) {
      assertTrue(Files.isRegularFile(recipeRun.resolve(f)), f);
    }
    baselineRun = shared.resolve("baseline-run");
    Cli.Outcome b = baseline(baselineRun);
    assertEquals(0, b.code(), b.all());
  }

  private static Cli.Outcome baseline(Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("baseline", "--subset", "300", "--n-init", "1", "--out", out.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static void assertNotEmptyMessage(Cli.Outcome o, Path out) {
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains(out + " is not empty"), o.err());
    for (String fix : List.of("--resume", "--overwrite", "another --out")) {
      assertTrue(o.err().contains(fix), fix + ": " + o.err());
    }
  }

  @Test
  void baselineIntoARecipeRunIsRefusedAndChangesNothing() {
    Path f = Cli.copy(recipeRun, tmp.resolve("f"));
    Map<String, String> before = Cli.snapshot(f);
    assertNotEmptyMessage(baseline(f), f);
    assertEquals(before, Cli.snapshot(f));
  }

  @Test
  void runIntoABaselineRunIsRefusedAndChangesNothing() {
    Path f = Cli.copy(baselineRun, tmp.resolve("f"));
    Map<String, String> before = Cli.snapshot(f);
    assertNotEmptyMessage(Cli.run("run", tinyYaml.toString(), "--out", f.toString()), f);
    assertNotEmptyMessage(Cli.run("run", "kmeans-baselines", "--out", f.toString()), f);
    assertEquals(before, Cli.snapshot(f));
  }

  @Test
  void overwriteReplacesThePreviousRun() throws Exception {
    Path f = Cli.copy(recipeRun, tmp.resolve("f"));
    Cli.Outcome o = baseline(f, "--overwrite");
    assertEquals(0, o.code(), o.all());
    // the recipe run's own entries are gone, the baseline's are there
    assertFalse(Files.exists(f.resolve("checkpoints")), Cli.list(f).toString());
    assertFalse(Files.exists(f.resolve("training.csv")), Cli.list(f).toString());
    assertFalse(Files.exists(f.resolve("figures/loss.png")), Cli.list(f).toString());
    JsonNode config = new ObjectMapper().readTree(f.resolve("config.json").toFile());
    assertEquals("kmeans-baselines", config.path("recipe").path("name").asText());
    assertEquals(
        List.of("index,true_label,kmeans_raw,kmeans_pca50"),
        Files.readAllLines(f.resolve("assignments.csv")).subList(0, 1));
    assertFalse(Files.readString(f.resolve("run.log")).contains("tiny-mlp"));
  }

  @Test
  void overwriteOfARunFolderHoldingAUsersFilesDeletesNothing() throws Exception {
    Path f = Cli.copy(recipeRun, tmp.resolve("f"));
    Cli.write(f, "notes.txt", "my notes\n");
    Cli.write(f.resolve("figures"), "my_plot.png", "mine\n");
    Cli.write(f.resolve("checkpoints"), "my_best_model.params", "mine\n");
    Map<String, String> before = Cli.snapshot(f);
    Cli.Outcome o = baseline(f, "--overwrite");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("holds files a run did not write"), o.err());
    assertTrue(
        o.err().contains("checkpoints/my_best_model.params")
            && o.err().contains("figures/my_plot.png")
            && o.err().contains("notes.txt"),
        o.err());
    assertEquals(before, Cli.snapshot(f));
  }

  @Test
  void overwriteOfAUsersFolderDeletesNothing() throws Exception {
    Path f = tmp.resolve("photos");
    Cli.write(f, "notes.txt", "my notes\n");
    Cli.write(f, "metrics.json", "{\"mine\": true}\n");
    Cli.write(f.resolve("figures"), "holiday.png", "not a png\n");
    Map<String, String> before = Cli.snapshot(f);
    for (Cli.Outcome o :
        List.of(
            baseline(f, "--overwrite"),
            Cli.run("run", tinyYaml.toString(), "--overwrite", "--out", f.toString()))) {
      assertEquals(1, o.code(), o.all());
      assertTrue(o.err().contains("not from a deepclust run"), o.err());
      assertTrue(o.err().contains("nothing was deleted"), o.err());
      assertEquals(before, Cli.snapshot(f));
    }
  }

  @Test
  void resumeAndOverwriteTogetherAreRefused() {
    Path f = Cli.copy(recipeRun, tmp.resolve("f"));
    Map<String, String> before = Cli.snapshot(f);
    Cli.Outcome o =
        Cli.run(
            "run",
            tinyYaml.toString(),
            "--resume",
            "--overwrite",
            "--epochs",
            "2",
            "--out",
            "" + f);
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("--resume") && o.err().contains("--overwrite"), o.err());
    assertTrue(o.err().contains("give one of them"), o.err());
    assertEquals(before, Cli.snapshot(f));
  }

  @Test
  void aFolderInUseByAnotherRunIsRefused() throws Exception {
    String pid = "(pid " + ProcessHandle.current().pid();
    // another run holds a finished run folder (e.g. it resumes it)
    Path f = Cli.copy(baselineRun, tmp.resolve("f"));
    try (RunFolder held = RunFolder.prepare(null, null, f, RunFolder.Mode.RESUME).open()) {
      assertTrue(held.isLocked());
      Map<String, String> before = Cli.snapshot(f);
      for (Cli.Outcome o :
          List.of(
              baseline(f),
              baseline(f, "--overwrite"),
              Cli.run("run", "kmeans-baselines", "--resume", "--out", f.toString()),
              Cli.run("report", f.toString()))) {
        assertEquals(1, o.code(), o.all());
        assertTrue(o.err().contains(f + " is in use by another run " + pid), o.err());
        assertTrue(o.err().contains("choose another --out"), o.err());
        assertEquals(before, Cli.snapshot(f));
      }
    }
    // another run has just created a new folder
    Path g = tmp.resolve("g");
    try (RunFolder held = RunFolder.prepare(null, null, g, RunFolder.Mode.NEW).open()) {
      assertTrue(held.isLocked());
      Map<String, String> before = Cli.snapshot(g);
      Cli.Outcome o = baseline(g);
      assertEquals(1, o.code(), o.all());
      assertTrue(o.err().contains(g + " is in use by another run " + pid), o.err());
      assertEquals(before, Cli.snapshot(g));
    }
    // released: the folder can be used again
    assertEquals(0, baseline(g, "--overwrite").code());
  }

  @Test
  void twoRunsIntoOneFolderAtOnceOneWinsIntact() throws Exception {
    Path f = tmp.resolve("f");
    String[] args = {"baseline", "--subset", "300", "--n-init", "1", "--out", f.toString()};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    List<Integer> codes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CyclicBarrier start = new CyclicBarrier(2);
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return Main.execute(args);
                }));
      }
      for (Future<Integer> r : runs) {
        codes.add(r.get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(List.of(0, 1), codes.stream().sorted().toList(), e);
    // the loser met the winner's lock, or (when the winner had already finished) its results
    assertTrue(
        e.contains(f + " is in use by another run (pid " + ProcessHandle.current().pid())
            || e.contains(f + " is not empty"),
        e);
    // the winner's results are whole
    JsonNode metrics = new ObjectMapper().readTree(f.resolve("metrics.json").toFile());
    assertEquals(2, metrics.get("methods").size());
    assertEquals(301, Files.readAllLines(f.resolve("assignments.csv")).size());
    assertTrue(Files.readString(f.resolve("run.log")).contains("done in"));
    assertTrue(Cli.list(f).stream().noneMatch(n -> n.endsWith(".tmp")), Cli.list(f).toString());
  }

  @Test
  void reportOutsideARunFolderIsRefusedAndWritesNothing() {
    Path root = Path.of("/");
    boolean hadReport = Files.exists(root.resolve("report.html"));
    boolean hadLock = Files.exists(root.resolve(".lock"));
    Cli.Outcome o = Cli.run("report", "/");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("/ is not a run folder (no config.json"), o.err());
    assertEquals(hadReport, Files.exists(root.resolve("report.html")));
    assertEquals(hadLock, Files.exists(root.resolve(".lock")));

    Path empty = tmp.resolve("empty");
    Cli.Outcome e = Cli.run("report", empty.toString());
    assertEquals(1, e.code(), e.all());
    assertTrue(e.err().contains("is not a run folder (no such folder)"), e.err());
    assertFalse(Files.exists(empty));
    empty.toFile().mkdirs();
    e = Cli.run("report", empty.toString());
    assertEquals(1, e.code(), e.all());
    assertTrue(e.err().contains(empty + " is not a run folder (no config.json"), e.err());
    assertEquals(List.of(), Cli.list(empty));
  }

  @Test
  void reportRewritesARunFoldersReport() throws Exception {
    Path f = Cli.copy(recipeRun, tmp.resolve("f"));
    Files.delete(f.resolve("report.html"));
    Cli.Outcome o = Cli.run("report", f.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("wrote " + f.resolve("report.html")), o.out());
    String html = Files.readString(f.resolve("report.html"));
    assertTrue(html.contains("tiny-mlp"), "the report names the recipe");
  }

  @Test
  void anOutThatCannotBeCreatedGivesTheReasonAndTheFix() throws Exception {
    Path file = Cli.write(tmp, "a-file", "x\n");
    Path under = file.resolve("sub");
    Cli.Outcome o = baseline(under);
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("cannot create run folder " + under), o.err());
    assertTrue(o.err().contains(file + " is a file, not a folder"), o.err());
    assertTrue(o.err().contains("choose another place with --out"), o.err());
    assertEquals("x\n", Files.readString(file));

    Cli.Outcome onFile = baseline(file);
    assertEquals(1, onFile.code(), onFile.all());
    assertTrue(onFile.err().contains(file + " is a file, not a folder"), onFile.err());
    assertTrue(onFile.err().contains("choose another --out"), onFile.err());
    assertEquals("x\n", Files.readString(file));

    // where the operating system refuses, its own words are kept (even for root)
    Path proc = Path.of("/proc/deepclust-x");
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux /proc");
    Cli.Outcome p = Cli.run("run", tinyYaml.toString(), "--out", proc.toString());
    assertEquals(1, p.code(), p.all());
    assertTrue(p.err().contains("cannot create run folder " + proc + ": "), p.err());
    assertTrue(
        p.err().contains("No such file or directory") || p.err().contains("Permission denied"),
        p.err());
    assertTrue(p.err().contains("choose another place with --out"), p.err());
    assertFalse(p.all().contains("null"), p.all());
  }
}
