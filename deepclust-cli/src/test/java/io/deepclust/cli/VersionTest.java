package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionTest {
  @Test
  void versionNamesTheBuildAndItsCommit() {
    Cli.Outcome o = Cli.run("--version");
    assertEquals(0, o.code(), o.all());
    String line = o.out().strip();
    assertTrue(line.startsWith("deepclust "), line);
    // the same commit as each run's config.json names
    assertTrue(
        line.contains(
            "(commit " + io.deepclust.report.Provenance.collect().get("git_commit") + ")"),
        line);
    assertTrue(line.contains("DJL 0.35.1, PyTorch 2.7.1"), line);
  }
}
