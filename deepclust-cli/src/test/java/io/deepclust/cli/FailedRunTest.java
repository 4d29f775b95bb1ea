package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot start leaves no folder behind; a run that fails after it started keeps its
 * configuration and records the error in its {@code run.log}.
 */
class FailedRunTest {
  @TempDir Path tmp;

  @Test
  void aRunThatCannotStartLeavesNoFolder() throws Exception {
    Path yaml = Cli.write(tmp, "tiny.yaml", Cli.TINY_MLP);
    Path out = tmp.resolve("out");
    record Case(String expected, String[] args) {}
    List<Case> cases =
        List.of(
            new Case(
                "unknown dataset 'cifar'",
                new String[] {"baseline", "--dataset", "cifar", "--out", out.toString()}),
            new Case(
                "unknown field 'bogus'",
                new String[] {"run", yaml.toString(), "--set", "bogus=1", "--out", "" + out}),
            new Case(
                "methods.0.cluster.k",
                new String[] {
                  "run", yaml.toString(), "--set", "methods.0.cluster.k=1", "--out", "" + out
                }),
            // more clusters than images: refused once the data is known, before the folder
            new Case(
                "invalid value for 'methods.0.cluster.k': 50 is more than the 20 images clustered",
                new String[] {
                  "run",
                  "kmeans-baselines",
                  "--subset",
                  "20",
                  "--set",
                  "methods.0.cluster.k=50",
                  "--out",
                  out.toString()
                }),
            new Case(
                "invalid value for 'methods.1.reduce.components': 50 is more than min(images,"
                    + " dimensions) = min(20, 784)",
                new String[] {"baseline", "--subset", "20", "--out", out.toString()}),
            new Case(
                "'data.subset': 20000 is more than the 10000 images",
                new String[] {"baseline", "--subset", "20000", "--out", out.toString()}));
    for (Case c : cases) {
      Cli.Outcome o = Cli.run(c.args());
      assertEquals(1, o.code(), o.all());
      assertTrue(o.err().contains(c.expected()), c.expected() + "\n" + o.err());
      assertFalse(o.err().contains("null"), o.err());
      assertFalse(Files.exists(out), String.join(" ", c.args()) + " left " + out);
    }
  }

  /** Without --out the default folder would go under runs/ of the working directory. */
  @Test
  void aRunThatCannotStartAddsNothingUnderRuns() {
    Path runs = Path.of("runs");
    List<String> before = Cli.list(runs);
    boolean existed = Files.exists(runs);
    Cli.Outcome o = Cli.run("baseline", "--dataset", "cifar");
    assertEquals(1, o.code(), o.all());
    Cli.Outcome p = Cli.run("baseline", "--subset", "20", "--k", "30");
    assertEquals(1, p.code(), p.all());
    assertEquals(existed, Files.exists(runs));
    assertEquals(before, Cli.list(runs));
  }

  @Test
  void aRunThatFailsAfterItStartedRecordsTheErrorInRunLog() throws Exception {
    // a learning rate that makes the loss diverge: found only while training
    Path yaml =
        Cli.write(
            tmp,
            "diverge.yaml",
            Cli.TINY_MLP.replace(
                "batch_size: 64", "batch_size: 64\n  optimizer: {type: sgd, lr: 1.0e+30}"));
    Path out = tmp.resolve("out");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    String log = Files.readString(out.resolve("run.log"));
    assertTrue(log.contains("error: the run stopped: training diverged"), log);
    assertTrue(Files.isRegularFile(out.resolve("config.json")));
    assertFalse(Files.exists(out.resolve("metrics.json")));
    // the failed run's folder is a run folder: --overwrite may clear it
    Cli.Outcome again =
        Cli.run(
            "run",
            Cli.write(tmp, "ok.yaml", Cli.TINY_MLP).toString(),
            "--overwrite",
            "--out",
            out.toString());
    assertEquals(0, again.code(), again.all());
    assertFalse(Files.readString(out.resolve("run.log")).contains("error"));
  }

  @Test
  void aNaNAfterACheckpointIsRetriedFromItTwiceThenReported() throws Exception {
    // phase 2's fresh optimizer makes the loss NaN after phase 1 left a checkpoint: the run
    // continues from that checkpoint twice (each time meeting the same NaN), then fails
    Path yaml =
        Cli.write(
            tmp,
            "nan-later.yaml",
            Cli.TINY_MLP.replace(
                "    - {type: reconstruction, epochs: 1}",
                "    - {type: reconstruction, epochs: 1}\n"
                    + "    - {type: reconstruction, name: blowup, epochs: 1,"
                    + " optimizer: {type: sgd, lr: 1.0e+30}}"));
    Path out = tmp.resolve("nan-later");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.out().contains("(retry 1 of 2 at this step, 1 of 10 in all)"), o.all());
    assertTrue(o.out().contains("(retry 2 of 2 at this step, 2 of 10 in all)"), o.all());
    assertFalse(o.out().contains("(retry 3"), o.all());
    assertTrue(o.err().contains("training diverged"), o.all());
    String log = Files.readString(out.resolve("run.log"));
    assertTrue(log.contains("resuming " + out), log);
    // a retried NaN is not logged as an error; the last one, not retried, is
    assertTrue(log.contains("the run stopped at a NaN step: training diverged"), log);
    assertTrue(
        log.strip()
            .lines()
            .reduce((a, b) -> b)
            .orElseThrow()
            .contains("error: the run stopped: no retry left (2 resumes after NaN steps)"),
        log);
    assertEquals(1, log.split("error: ", -1).length - 1, log);
    assertFalse(Files.exists(out.resolve("metrics.json")));
  }
}
