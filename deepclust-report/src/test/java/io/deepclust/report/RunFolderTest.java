package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.report.RunFolder.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
  @TempDir Path tmp;

  @Test
  void defaultFoldersAreUniqueEvenWhenStartedAtOnce() throws Exception {
    Path root = tmp.resolve("runs");
    int n = 8;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<RunFolder>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(
          pool.submit(
              () -> {
                RunFolder.Plan plan = RunFolder.prepare(root, "same name", null, Mode.NEW);
                start.await();
                return plan.open();
              }));
    }
    Set<Path> dirs = new HashSet<>();
    for (Future<RunFolder> f : futures) {
      try (RunFolder folder = f.get(30, TimeUnit.SECONDS)) {
        assertTrue(Files.isDirectory(folder.dir()));
        assertTrue(
            folder.dir().getFileName().toString().matches("\\d{8}-\\d{6}-same_name(-\\d+)?"));
        dirs.add(folder.dir());
      }
    }
    pool.shutdown();
    assertEquals(n, dirs.size(), "every run got its own folder");
  }

  @Test
  void twoDefaultFoldersInTheSameSecondGetASuffix() {
    Path root = tmp.resolve("runs");
    RunFolder.Plan a = RunFolder.prepare(root, "x", null, Mode.NEW);
    RunFolder.Plan b = RunFolder.prepare(root, "x", null, Mode.NEW);
    assertEquals(a.dir(), b.dir(), "same second, same first choice");
    try (RunFolder fa = a.open();
        RunFolder fb = b.open()) {
      assertEquals(a.dir(), fa.dir());
      assertEquals(a.dir().resolveSibling(a.dir().getFileName() + "-2"), fb.dir());
    }
  }

  @Test
  void twoRunsIntoOneFolderAtOnceOneIsRefused() throws Exception {
    Path out = tmp.resolve("out");
    CyclicBarrier start = new CyclicBarrier(2);
    CountDownLatch bothTried = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      results.add(
          pool.submit(
              () -> {
                RunFolder.Plan plan = RunFolder.prepare(null, null, out, Mode.NEW);
                start.await();
                RunFolder folder = null;
                try {
                  folder = plan.open();
                  folder.writeText("run.log", "mine\n");
                  return "opened";
                } catch (RunFolderException e) {
                  return e.getMessage();
                } finally {
                  bothTried.countDown();
                  bothTried.await(30, TimeUnit.SECONDS);
                  if (folder != null) {
                    folder.close();
                  }
                }
              }));
    }
    List<String> outcomes = new ArrayList<>();
    for (Future<String> f : results) {
      outcomes.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals(1, outcomes.stream().filter("opened"::equals).count(), outcomes.toString());
    String refused = outcomes.stream().filter(s -> !s.equals("opened")).findFirst().orElseThrow();
    assertTrue(
        refused.contains(out + " is in use by another run (pid " + ProcessHandle.current().pid()),
        refused);
    assertEquals("mine\n", Files.readString(out.resolve("run.log")));
  }

  @Test
  void newIntoANonEmptyFolderIsRefused() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    RunFolderException e =
        assertThrows(RunFolderException.class, () -> RunFolder.prepare(null, null, out, Mode.NEW));
    assertEquals(
        out
            + " is not empty; continue it with --resume, clear it with --overwrite, or choose"
            + " another --out",
        e.getMessage());
    assertEquals(List.of("notes.txt"), names(out));
    // an empty one is fine
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    try (RunFolder f = RunFolder.prepare(null, null, empty, Mode.NEW).open()) {
      assertTrue(f.isLocked());
    }
  }

  @Test
  void prepareWritesNothing() {
    Path out = tmp.resolve("a/b/out");
    RunFolder.Plan plan = RunFolder.prepare(null, null, out, Mode.NEW);
    assertFalse(Files.exists(tmp.resolve("a")));
    RunFolder.prepare(tmp.resolve("runs"), "x", null, Mode.NEW);
    assertFalse(Files.exists(tmp.resolve("runs")));
    try (RunFolder f = plan.open()) {
      assertEquals(out, f.dir());
      assertTrue(Files.isDirectory(out));
      assertThrows(IllegalStateException.class, plan::open);
    }
  }

  @Test
  void overwriteOfAUsersFolderIsRefused() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("mine"));
    Files.writeString(out.resolve("thesis.tex"), "years of work");
    Files.writeString(out.resolve("config.json"), "{\"editor\": \"vim\"}");
    Files.writeString(out.resolve("run.log"), "my own log");
    RunFolderException e =
        assertThrows(
            RunFolderException.class, () -> RunFolder.prepare(null, null, out, Mode.OVERWRITE));
    assertTrue(e.getMessage().contains("holds files that are not from a deepclust run"));
    assertTrue(e.getMessage().contains("nothing was deleted"));
    assertEquals(List.of("config.json", "run.log", "thesis.tex"), names(out));
  }

  @Test
  void overwriteClearsWhatARunWrote() throws Exception {
    Path out = tmp.resolve("run");
    try (RunFolder f = RunFolder.prepare(null, null, out, Mode.NEW).open()) {
      f.writeJson("config.json", Map.of("provenance", Map.of()));
      f.writeText("metrics.json", "{}");
      f.writeText("figures/loss.png", "png");
      f.writeText("embeddings.bin", "recorded by the marker");
    }
    Files.createDirectories(out.resolve("checkpoints/p0-reconstruction-e0001"));
    Files.writeString(out.resolve("checkpoints/latest"), "p0-reconstruction-e0001");
    Files.writeString(out.resolve("checkpoints/p0-reconstruction-e0001/params.bin"), "w");
    Files.writeString(out.resolve(".metrics.json.123.tmp"), "left by a kill");
    try (RunFolder f = RunFolder.prepare(null, null, out, Mode.OVERWRITE).open()) {
      assertEquals(List.of(".deepclust-run", ".lock"), names(out));
      f.writeText("run.log", "new run\n");
    }
  }

  @Test
  void overwriteRefusesAFolderHoldingAUsersFilesAndDeletesNothing() throws Exception {
    Path out = tmp.resolve("run");
    try (RunFolder f = RunFolder.prepare(null, null, out, Mode.NEW).open()) {
      f.writeJson("config.json", Map.of("provenance", Map.of()));
      f.writeText("figures/loss.png", "png");
    }
    Files.createDirectories(out.resolve("checkpoints"));
    for (String mine :
        List.of("notes.txt", "figures/my_plot.png", "checkpoints/my_best_model.params")) {
      Path p = out.resolve(mine);
      Files.writeString(p, "the user's");
      RunFolderException e =
          assertThrows(
              RunFolderException.class,
              () -> RunFolder.prepare(null, null, out, Mode.OVERWRITE).open());
      assertTrue(
          e.getMessage().contains("holds files a run did not write: " + mine), e.getMessage());
      assertTrue(e.getMessage().contains("nothing was deleted"), e.getMessage());
      assertEquals("the user's", Files.readString(p));
      assertTrue(Files.isRegularFile(out.resolve("figures/loss.png")));
      Files.delete(p);
    }
  }

  @Test
  void resumeNeedsARunFolder() throws Exception {
    RunFolderException missing =
        assertThrows(
            RunFolderException.class,
            () -> RunFolder.prepare(null, null, tmp.resolve("none"), Mode.RESUME));
    assertTrue(missing.getMessage().contains("does not exist: nothing to resume"));
    Path other = Files.createDirectory(tmp.resolve("other"));
    Files.writeString(other.resolve("x.txt"), "x");
    RunFolderException notRun =
        assertThrows(
            RunFolderException.class, () -> RunFolder.prepare(null, null, other, Mode.RESUME));
    assertTrue(notRun.getMessage().contains("is not a run folder"));
    RunFolderException noOut =
        assertThrows(
            RunFolderException.class, () -> RunFolder.prepare(tmp, "x", null, Mode.RESUME));
    assertTrue(noOut.getMessage().contains("--resume needs --out"));

    Path run = tmp.resolve("run");
    try (RunFolder f = RunFolder.prepare(null, null, run, Mode.NEW).open()) {
      f.writeText("run.log", "first\n");
    }
    try (RunFolder f = RunFolder.prepare(null, null, run, Mode.RESUME).open()) {
      assertEquals("first\n", Files.readString(f.dir().resolve("run.log")));
    }
  }

  @Test
  void aSecondRunIntoAFolderInUseIsRefusedWithTheHolder() {
    Path run = tmp.resolve("run");
    try (RunFolder f = RunFolder.prepare(null, null, run, Mode.NEW).open()) {
      f.writeJson("config.json", Map.of("provenance", Map.of()));
      for (Mode m : List.of(Mode.RESUME, Mode.OVERWRITE)) {
        RunFolderException e =
            assertThrows(RunFolderException.class, () -> RunFolder.prepare(null, null, run, m));
        assertTrue(
            e.getMessage().matches(".* is in use by another run \\(pid \\d+, started .*\\).*"),
            e.getMessage());
      }
    }
    // released on close
    try (RunFolder f = RunFolder.prepare(null, null, run, Mode.RESUME).open()) {
      assertTrue(f.isLocked());
    }
  }

  @Test
  void aStaleLockFileIsTakenOver() throws Exception {
    Path run = Files.createDirectory(tmp.resolve("killed"));
    Files.writeString(run.resolve(".lock"), "pid 999999, started 2024-01-01 00:00:00\n");
    Files.writeString(run.resolve(RunFolder.MARKER), "deepclust run folder\n");
    try (RunFolder f = RunFolder.prepare(null, null, run, Mode.RESUME).open()) {
      assertTrue(
          Files.readString(f.dir().resolve(".lock"))
              .startsWith("pid " + ProcessHandle.current().pid() + ", started "));
    }
  }

  @Test
  void aReadOnlyPlaceGivesTheReasonAndTheFix() throws Exception {
    Path ro = Files.createDirectory(tmp.resolve("ro"));
    try {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("no POSIX permissions here");
    }
    try {
      Assumptions.assumeFalse(Files.isWritable(ro), "running as root: read-only bits ignored");
      Path out = ro.resolve("run");
      RunFolderException e =
          assertThrows(
              RunFolderException.class, () -> RunFolder.prepare(null, null, out, Mode.NEW));
      assertEquals(
          "cannot create run folder "
              + out
              + ": Permission denied (choose another place with --out)",
          e.getMessage());
      RunFolderException d =
          assertThrows(
              RunFolderException.class,
              () -> RunFolder.prepare(ro.resolve("runs"), "x", null, Mode.NEW));
      assertTrue(d.getMessage().contains(": Permission denied (choose another place with --out)"));
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void filesStayInsideTheFolder() {
    RunFolder f = RunFolder.prepare(null, null, tmp.resolve("r"), Mode.NEW).open();
    assertThrows(IllegalArgumentException.class, () -> f.file("../escape.txt"));
    f.close();
    assertThrows(IllegalStateException.class, () -> f.writeText("late.txt", "x"));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
