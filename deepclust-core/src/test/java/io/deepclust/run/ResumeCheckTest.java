package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --resume} accepts: the run's own recipe, more epochs, later phases changed. */
class ResumeCheckTest {
  @TempDir Path tmp;
  private Path run;

  /** Two phases of 2 and 1 epochs. */
  private static Recipe recipe(String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "training.phases=[{type: reconstruction, name: first, epochs: 2},"
                    + " {type: reconstruction, name: second, epochs: 1, loss: mse}]"));
    all.addAll(List.of(overrides));
    return RecipeLoader.parse("synthetic", SyntheticRunTest.RECIPE, all);
  }

  /** A run killed after the first phase: its latest checkpoint is the first phase's last. */
  @BeforeEach
  void runKilledAfterTheFirstPhase() throws Exception {
    run = tmp.resolve("run");
    SyntheticRunTest.run(recipe(), SyntheticImages.of(10, 8, 1), run);
    Path cp = run.resolve("checkpoints");
    assertTrue(Files.isDirectory(cp.resolve("p0-first-e0002")));
    Files.writeString(cp.resolve("latest"), "p0-first-e0002");
  }

  private String refused(Recipe r) {
    RecipeException e =
        assertThrows(RecipeException.class, () -> ResumeCheck.check(r, run, s -> {}));
    return e.getMessage();
  }

  @Test
  void theRunsOwnRecipeWithMoreEpochsOrALaterPhaseChangedIsAccepted() {
    Path cp = run.resolve("checkpoints");
    assertEquals(cp, ResumeCheck.check(recipe(), run, s -> {}));
    assertEquals(cp, ResumeCheck.check(recipe("training.phases.0.epochs=5"), run, s -> {}));
    assertEquals(
        cp,
        ResumeCheck.check(
            recipe("training.phases.1.epochs=3", "training.phases.1.loss=bce"), run, s -> {}),
        "the second phase had not started: its settings may change");
    assertEquals(cp, ResumeCheck.check(recipe("report.tsne_points=10"), run, s -> {}));
  }

  @Test
  void aSettingAddedSinceTheRunStartedCountsAsItsDefault() throws Exception {
    // a config.json written before the phase's loss field existed: the field is absent
    Path config = run.resolve("config.json");
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            RecipeLoader.json().readTree(config.toFile());
    var phase =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            tree.path("recipe").path("training").path("phases").get(0);
    assertTrue(phase.has("loss"), phase.toString());
    phase.remove("loss");
    RecipeLoader.json().writeValue(config.toFile(), tree);
    assertEquals(run.resolve("checkpoints"), ResumeCheck.check(recipe(), run, s -> {}));
  }

  @Test
  void otherSettingsAreRefusedNamingWhatDiffers() {
    assertTrue(
        refused(recipe("seed=9")).contains("these differ: seed;"), refused(recipe("seed=9")));
    String m = refused(recipe("data.subset=20", "methods.0.cluster.k=4"));
    assertTrue(m.contains("data.subset") && m.contains("methods.0.cluster.k"), m);
    m = refused(recipe("model.dims=[64, 8, 3]"));
    assertTrue(m.contains("model.dims"), m);
    m = refused(recipe("training.phases.0.loss=bce"));
    assertTrue(m.contains("training.phases.0.loss"), m);
  }

  @Test
  void fewerEpochsThanTheCheckpointHoldsAreRefused() {
    String m = refused(recipe("training.phases.0.epochs=1"));
    assertTrue(m.contains("'first'") && m.contains("2 epochs") && m.contains("asks for 1"), m);
  }

  @Test
  void aFolderWithoutCheckpointOrConfigIsRefused() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    RecipeException e =
        assertThrows(RecipeException.class, () -> ResumeCheck.check(recipe(), empty, s -> {}));
    assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
    Files.writeString(run.resolve("config.json"), "{ broken");
    String m = refused(recipe());
    assertTrue(m.contains("cannot read") && m.contains("config.json"), m);
  }

  /**
   * Two run folders' recipes (report --pool): the fields that differ, a field added since one of
   * them ran counting as its default, the report section left out; an unreadable config.json named.
   */
  @Test
  void differencesBetweenTwoRunFolders() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            RecipeLoader.json().readTree(run.resolve("config.json").toFile());
    var recipe = (com.fasterxml.jackson.databind.node.ObjectNode) tree.path("recipe");
    recipe.put("seed", 9);
    ((com.fasterxml.jackson.databind.node.ObjectNode) recipe.path("data")).put("subset", 7);
    ((com.fasterxml.jackson.databind.node.ObjectNode) recipe.path("report")).put("tsne_points", 9);
    ((com.fasterxml.jackson.databind.node.ObjectNode) recipe.path("training").path("phases").get(0))
        .remove("loss");
    RecipeLoader.json().writeValue(other.resolve("config.json").toFile(), tree);
    assertEquals(List.of("seed", "data.subset"), ResumeCheck.differences(run, other));
    assertEquals(List.of(), ResumeCheck.differences(run, run));
    Files.writeString(other.resolve("config.json"), "{ broken");
    RecipeException e =
        assertThrows(RecipeException.class, () -> ResumeCheck.differences(run, other));
    assertTrue(
        e.getMessage().contains("cannot read " + other.resolve("config.json"))
            && e.getMessage().contains("finished deepclust run"),
        e.getMessage());
  }
}
