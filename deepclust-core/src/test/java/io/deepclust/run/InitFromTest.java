package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code training.init_from}: a run starts from another run's encoder and decoder. */
class InitFromTest {
  @TempDir Path tmp;

  private static Recipe recipe(String... overrides) {
    return RecipeLoader.parse("synthetic", SyntheticRunTest.RECIPE, List.of(overrides));
  }

  @Test
  void aRunWithoutTrainingFromAnotherRunEmbedsAsItDid() throws Exception {
    ImageDataset images = SyntheticImages.of(40, 8, 1);
    Path a = tmp.resolve("a");
    SyntheticRunTest.run(recipe("report.figures=[]"), images, a);
    // no training at all: the features are the source run's final encoder's
    Path b = tmp.resolve("b");
    SyntheticRunTest.run(
        recipe("report.figures=[]", "training.phases.0.epochs=0", "training.init_from=" + a),
        images,
        b);
    assertArrayEquals(
        Files.readAllBytes(a.resolve("features.npy")),
        Files.readAllBytes(b.resolve("features.npy")));
    String log = Files.readString(b.resolve("run.log"));
    assertTrue(log.contains("initialised from " + a.resolve("checkpoints")), log);
    // and the log does not call those weights untrained
    assertTrue(log.contains("clustering the encoder from training.init_from"), log);
    assertTrue(!log.contains("untrained"), log);
    // with training the run goes on from those weights: its first epoch's loss is below the
    // source's first (which started from random weights) and below its last
    Path c = tmp.resolve("c");
    SyntheticRunTest.run(recipe("report.figures=[]", "training.init_from=" + a), images, c);
    List<String> la = Files.readAllLines(a.resolve("training.csv"));
    List<String> lc = Files.readAllLines(c.resolve("training.csv"));
    double lastA = Double.parseDouble(la.get(la.size() - 1).split(",")[2]);
    double firstC = Double.parseDouble(lc.get(1).split(",")[2]);
    double firstA = Double.parseDouble(la.get(1).split(",")[2]);
    assertTrue(firstC < lastA && lastA < firstA, la + " / " + lc);
  }

  @Test
  void anotherArchitectureOrAMissingRunIsRejectedBeforeAnythingIsWritten() throws Exception {
    ImageDataset images = SyntheticImages.of(40, 8, 1);
    Path a = tmp.resolve("a");
    SyntheticRunTest.run(recipe("report.figures=[]"), images, a);
    Path b = tmp.resolve("b");
    var e =
        assertThrows(
            RecipeException.class,
            () ->
                SyntheticRunTest.run(
                    recipe("model.dims=[64, 12, 3]", "training.init_from=" + a), images, b));
    assertTrue(e.getMessage().contains("same model section"), e.getMessage());
    assertFalse(Files.exists(b));
    var missing =
        assertThrows(
            RecipeException.class,
            () ->
                SyntheticRunTest.run(
                    recipe("training.init_from=" + tmp.resolve("nope")), images, b));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    assertEquals(false, Files.exists(b));
  }

  @Test
  void theCheckpointUsedIsPinnedAndADamagedNewestFallsBackToThePreviousOne() throws Exception {
    ImageDataset images = SyntheticImages.of(40, 8, 1);
    Path a = tmp.resolve("a");
    SyntheticRunTest.run(recipe("report.figures=[]"), images, a);
    Path latest =
        a.resolve("checkpoints").resolve(Files.readString(a.resolve("checkpoints/latest")).trim());
    Path previous =
        a.resolve("checkpoints")
            .resolve(Files.readString(a.resolve("checkpoints/previous")).trim());
    // a truncated newest checkpoint: the one before it is used, and config.json names it
    Path params = latest.resolve("params.bin");
    byte[] bytes = Files.readAllBytes(params);
    Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path b = tmp.resolve("b");
    SyntheticRunTest.run(
        recipe("report.figures=[]", "training.phases.0.epochs=0", "training.init_from=" + a),
        images,
        b);
    String config = Files.readString(b.resolve("config.json"));
    assertTrue(
        config.contains("\"init_from\" : \"" + previous.toAbsolutePath().normalize() + "\""),
        config);
  }

  @Test
  void initFromNeedsAModel() {
    var e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeLoader.parse(
                    "synthetic",
                    SyntheticRunTest.RECIPE,
                    List.of(
                        "embedding.source=pixels", "training.phases=[]", "training.init_from=x")));
    assertTrue(e.getMessage().contains("remove init_from"), e.getMessage());
  }
}
