package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument and recipe errors of {@code deepclust run} and {@code recipes}: message and code. */
class RunCommandTest {
  @TempDir Path tmp;

  private static Cli.Outcome run(String... args) {
    return Cli.run(args);
  }

  @Test
  void recipesListsTheShippedRecipes() {
    Cli.Outcome o = run("recipes");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("cae-pca-kmeans"), o.out());
    assertTrue(o.out().contains("paper 000"), o.out());
  }

  @Test
  void unknownRecipeNamesTheShippedOnes() {
    Cli.Outcome o = run("run", "no-such-recipe");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("unknown recipe 'no-such-recipe'"), o.err());
    assertTrue(o.err().contains("cae-pca-kmeans"), o.err());
  }

  @Test
  void badOverrideNamesTheField() {
    Cli.Outcome o = run("run", "cae-pca-kmeans", "--set", "methods.0.cluster.k=1");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("methods.0.cluster.k"), o.err());
  }

  @Test
  void unknownFieldInAFileNamesFileAndField() throws Exception {
    Path yaml = tmp.resolve("mine.yaml");
    Files.writeString(yaml, "name: mine\nmodel:\n  type: cae-bn-000\nmethodz:\n  - {name: a}\n");
    Cli.Outcome o = run("run", yaml.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains(yaml.toString()), o.err());
    assertTrue(o.err().contains("methodz") && o.err().contains("did you mean 'methods'"), o.err());
  }

  @Test
  void resumeNeedsAFolderWithACheckpoint() throws Exception {
    Cli.Outcome noOut = run("run", "cae-pca-kmeans", "--resume");
    assertEquals(1, noOut.code());
    assertTrue(noOut.err().contains("--resume needs --out"), noOut.err());
    Cli.Outcome empty = run("run", "cae-pca-kmeans", "--resume", "--out", tmp.toString());
    assertEquals(1, empty.code());
    assertTrue(empty.err().contains("is not a run folder"), empty.err());
    assertTrue(empty.err().contains("nothing to resume"), empty.err());
    // a run folder whose run stopped before its first checkpoint
    Path noCheckpoint = tmp.resolve("stopped");
    Files.createDirectories(noCheckpoint);
    Files.writeString(
        noCheckpoint.resolve("config.json"), "{\"recipe\": {}, \"provenance\": {}}\n");
    Cli.Outcome stopped =
        run("run", "cae-pca-kmeans", "--resume", "--out", noCheckpoint.toString());
    assertEquals(1, stopped.code());
    assertTrue(stopped.err().contains("no checkpoint"), stopped.err());
    assertTrue(stopped.err().contains("--overwrite"), stopped.err());
  }

  @Test
  void anOptionThatWouldDoNothingOrBeOverruledIsRefused() {
    Cli.Outcome o = run("run", "kmeans-baselines", "--epochs", "2", "--out", tmp + "/a");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("has no training phases"), o.err());
    o = run("run", "kmeans-baselines", "--seed", "2", "--set", "seed=1", "--out", tmp + "/b");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("--set seed and its own option"), o.err());
    assertFalse(Files.exists(tmp.resolve("a")) || Files.exists(tmp.resolve("b")));
  }
}
