package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --seeds} on {@code baseline} and {@code run}: one run folder per seed, and a summary whose
 * means and standard deviations are those of the seeds' own metrics.json, with every seed's point
 * on the page.
 */
class SeedRunsTest {
  @TempDir Path tmp;

  @Test
  void seedListsAndRanges() {
    assertEquals(List.of(0L, 1L, 2L), SeedRuns.parse("0,1,2"));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), SeedRuns.parse("0-4"));
    assertEquals(List.of(0L, 1L, 2L, 7L), SeedRuns.parse("0-2, 7,1"));
    assertThrows(CommandLine.TypeConversionException.class, () -> SeedRuns.parse("a,b"));
    assertThrows(CommandLine.TypeConversionException.class, () -> SeedRuns.parse("4-1"));
    assertThrows(CommandLine.TypeConversionException.class, () -> SeedRuns.parse("3"));
    Cli.Outcome o = Cli.run("baseline", "--seeds", "x");
    assertEquals(2, o.code(), o.all());
  }

  @Test
  void baselineOverThreeSeedsSummarisesEachSeedsMetrics() throws Exception {
    Path out = tmp.resolve("seeds");
    Cli.Outcome o =
        Cli.run(
            "baseline",
            "--dataset",
            "mnist",
            "--subset",
            "300",
            "--pca",
            "5",
            "--n-init",
            "1",
            "--seeds",
            "0-2",
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    ObjectMapper json = new ObjectMapper();
    JsonNode s = json.readTree(out.resolve("summary.json").toFile());
    assertEquals("[0,1,2]", s.get("seeds").toString());
    JsonNode ari = s.get("methods").get("kmeans_raw").get("ari");
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      JsonNode m = json.readTree(out.resolve("seed-" + i + "/metrics.json").toFile());
      v[i] = m.get("methods").get(0).get("metrics").get("ari").asDouble();
      assertEquals(v[i], ari.get("values").get(i).asDouble(), 0.0);
    }
    double mean = (v[0] + v[1] + v[2]) / 3;
    double sd =
        Math.sqrt(
            ((v[0] - mean) * (v[0] - mean)
                    + (v[1] - mean) * (v[1] - mean)
                    + (v[2] - mean) * (v[2] - mean))
                / 2);
    assertEquals(mean, ari.get("mean").asDouble(), 1e-12);
    assertEquals(sd, ari.get("sd").asDouble(), 1e-12);
    assertTrue(sd > 0, "other seeds, other subsets: the ARI varies");
    String page = Files.readString(out.resolve("summary.html"));
    // one point per seed, method and metric (9 metrics, 2 methods, 3 seeds)
    assertEquals(9 * 2 * 3, page.split("<circle").length - 1);
    assertTrue(page.contains("seed 2: "), page);
    assertTrue(o.out().contains("over 3 seeds"), o.out());
    // a used folder is refused before anything runs
    o = Cli.run("baseline", "--subset", "300", "--seeds", "0,1", "--out", out.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("is not empty"), o.err());
  }

  @Test
  void runOverTwoSeeds() throws Exception {
    Path yaml = Cli.write(tmp, "tiny.yaml", Cli.TINY_MLP);
    Path out = tmp.resolve("run-seeds");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--seeds", "3,4", "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(Files.isRegularFile(out.resolve("seed-3/model/manifest.json")));
    assertTrue(Files.readString(out.resolve("seed-4/config.json")).contains("\"seed\" : 4"));
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(2, s.get("methods").get("kmeans").get("nmi").get("n").asInt());
    o = Cli.run("run", yaml.toString(), "--seeds", "3,4", "--seed", "1");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("give one of them"), o.err());
  }

  @Test
  void aStoppedSweepContinuesWithResume() throws Exception {
    Path yaml = Cli.write(tmp, "tiny.yaml", Cli.TINY_MLP);
    Path out = tmp.resolve("sweep");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--seeds", "3,4", "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    Path done = out.resolve("seed-3/metrics.json");
    byte[] doneBytes = Files.readAllBytes(done);
    var doneTime = Files.getLastModifiedTime(done);
    // seed 4 as if killed after its last checkpoint: no results yet
    Path stopped = out.resolve("seed-4/metrics.json");
    JsonNode before = new ObjectMapper().readTree(stopped.toFile());
    Files.delete(stopped);

    // refused before anything runs: other settings than the stopped seed's, a seed folder with
    // nothing to resume, no folder at all, and --overwrite
    o =
        Cli.run(
            "run",
            yaml.toString(),
            "--seeds",
            "3,4",
            "--resume",
            "--set",
            "training.batch_size=32",
            "--out",
            out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("training.batch_size"), o.err());
    Files.createDirectories(out.resolve("seed-9"));
    o = Cli.run("run", yaml.toString(), "--seeds", "3,9", "--resume", "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("seed-9 holds neither results"), o.err());
    Files.delete(out.resolve("seed-9"));
    o =
        Cli.run(
            "run",
            yaml.toString(),
            "--seeds",
            "3,4",
            "--resume",
            "--out",
            tmp.resolve("none").toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("is not a folder of an earlier sweep"), o.err());
    Path notASweep = Files.createDirectories(tmp.resolve("mine"));
    o =
        Cli.run(
            "run", yaml.toString(), "--seeds", "3,4", "--resume", "--out", notASweep.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("holds no seed-<S> folder"), o.err());
    Files.writeString(notASweep.resolve("notes.txt"), "mine");
    o =
        Cli.run(
            "run", yaml.toString(), "--seeds", "3,4", "--resume", "--out", notASweep.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("holds notes.txt, so it is not a sweep's folder"), o.err());
    try (var listing = Files.list(notASweep)) {
      assertEquals(1, listing.count(), "nothing written beside the user's file");
    }
    // a complete seed made with other settings is refused too: one sweep, one recipe
    o =
        Cli.run(
            "run",
            yaml.toString(),
            "--seeds",
            "3,4",
            "--resume",
            "--set",
            "methods.0.cluster.n_init=2",
            "--out",
            out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(
        o.err().contains("seed-3 was made with other settings")
            && o.err().contains("methods.0.cluster.n_init"),
        o.err());
    o = Cli.run("run", yaml.toString(), "--seeds", "3,4", "--overwrite", "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("continue a stopped sweep with --resume"), o.err());
    assertTrue(Files.notExists(stopped));

    // seed 3 kept as it is, seed 4 resumed to the same results, seed 5 started
    o = Cli.run("run", yaml.toString(), "--seeds", "3-5", "--resume", "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("seed-3 is complete (metrics.json); kept"), o.out());
    assertTrue(o.out().contains("seed-4, resuming from its last checkpoint"), o.out());
    assertTrue(java.util.Arrays.equals(doneBytes, Files.readAllBytes(done)));
    assertEquals(doneTime, Files.getLastModifiedTime(done));
    JsonNode after = new ObjectMapper().readTree(stopped.toFile());
    assertEquals(
        before.get("methods").get(0).get("metrics"), after.get("methods").get(0).get("metrics"));
    assertTrue(Files.isRegularFile(out.resolve("seed-5/metrics.json")));
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("[3,4,5]", s.get("seeds").toString());
    assertEquals(3, s.get("methods").get("kmeans").get("nmi").get("n").asInt());

    // a seed folder left out of --seeds is kept, and the output says it is not summarised
    o = Cli.run("run", yaml.toString(), "--seeds", "3,5", "--resume", "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("also holds seed-4, not in --seeds"), o.out());
    assertTrue(Files.isRegularFile(out.resolve("seed-4/metrics.json")));
    s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("[3,5]", s.get("seeds").toString());
  }
}
