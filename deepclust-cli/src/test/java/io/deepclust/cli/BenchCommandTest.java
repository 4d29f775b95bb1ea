package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code deepclust bench}: options, recipe models and the errors a user can make. */
class BenchCommandTest {

  @Test
  void recipeWithoutModelIsAClearError() {
    Cli.Outcome o = Cli.run("bench", "--recipe", "kmeans-baselines");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("kmeans-baselines"), o.err());
    assertTrue(o.err().contains("has no model"), o.err());
  }

  @Test
  void architectureAndRecipeTogetherIsAUsageError() {
    Cli.Outcome o = Cli.run("bench", "cae-bn-000", "--recipe", "mlp-soft-centroids");
    assertEquals(2, o.code(), o.all());
    assertTrue(o.err().contains("not both"), o.err());
  }

  @Test
  void helpShowsArchitectureAsOptional() {
    Cli.Outcome o = Cli.run("bench", "--help");
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("[ARCHITECTURE]"), o.out());
    assertTrue(o.out().contains("default cae-bn-000"), o.out());
    assertTrue(o.out().contains("--recipe"), o.out());
  }

  @Test
  void recipeModelRunsAtTheRecipesBatchSize() {
    Cli.Outcome o =
        Cli.run(
            "bench",
            "--recipe",
            "mlp-soft-centroids",
            "--steps",
            "2",
            "--runs",
            "1",
            "--warmup",
            "1");
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("recipe mlp-soft-centroids"), o.out());
    assertTrue(o.out().contains("MSE + Adam lr 0.001 weight decay 1.0E-8"), o.out());
    assertTrue(o.out().matches("(?s).*batch size\\s+32\\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*parameters\\s+218,192\\n.*"), o.out());
  }
}
