package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole recipe run on small synthetic images held in memory: no MNIST, a few seconds. The same
 * seed gives the same assignments, another seed other ones.
 */
class SyntheticRunTest {
  @TempDir Path tmp;

  static final String RECIPE =
      """
      name: synthetic
      seed: 3
      model:
        type: mlp
        dims: [64, 16, 3]
        input_shape: [1, 8, 8]
      training:
        batch_size: 16
        phases:
          - type: reconstruction
            epochs: 2
      methods:
        - name: kmeans
          cluster: {type: kmeans, k: 3, n_init: 2}
        - name: pca_kmeans
          reduce: {type: pca, components: 2}
          cluster: {type: kmeans, k: 3, n_init: 2}
          paper: {acc: 0.9}
      report:
        tsne_points: 120
        figures: [loss, reconstructions, pca2d, tsne, confusion]
      """;

  static RecipeRun.Result run(Recipe r, ImageDataset images, Path out) {
    RecipeRun run = RecipeRun.prepare(r, List.of(), DataSource.inMemory(images, null), s -> {});
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      return run.run(folder, new RunLog(null, folder.file("run.log")), null);
    }
  }

  private static Recipe recipe(String... overrides) {
    return RecipeLoader.parse("synthetic", RECIPE, List.of(overrides));
  }

  @Test
  void sameSeedSameAssignmentsOtherSeedOtherOnes() throws Exception {
    ImageDataset images = SyntheticImages.of(40, 8, 1);
    RecipeRun.Result a = run(recipe(), images, tmp.resolve("a"));
    RecipeRun.Result b = run(recipe(), images, tmp.resolve("b"));
    RecipeRun.Result c = run(recipe("seed=4"), images, tmp.resolve("c"));
    String assignA = Files.readString(a.folder().resolve("assignments.csv"));
    assertEquals(assignA, Files.readString(b.folder().resolve("assignments.csv")));
    assertEquals(
        Files.readString(a.folder().resolve("training.csv"))
            .lines()
            .map(l -> l.split(",")[2])
            .toList(),
        Files.readString(b.folder().resolve("training.csv"))
            .lines()
            .map(l -> l.split(",")[2])
            .toList());
    assertNotEquals(
        Files.readString(a.folder().resolve("training.csv"))
            .lines()
            .skip(1)
            .map(l -> l.split(",")[2])
            .toList(),
        Files.readString(c.folder().resolve("training.csv"))
            .lines()
            .skip(1)
            .map(l -> l.split(",")[2])
            .toList(),
        "another seed initialises and shuffles differently");
    assertEquals("index,true_label,kmeans,pca_kmeans", assignA.lines().findFirst().orElseThrow());
    assertEquals(121, assignA.lines().count());

    // the three bars are easy: both methods find them
    for (var m : a.record().methods()) {
      assertTrue(m.metrics().get("acc") > 0.9, m.name() + " " + m.metrics());
    }
    assertEquals(0.9, a.record().method("pca_kmeans").paper().get("acc"));
    assertEquals(
        64 * 16 + 16 + 16 * 3 + 3 + 3 * 16 + 16 + 16 * 64 + 64,
        (long) (double) a.record().facts().get("parameters"));
    for (String f :
        List.of("loss", "reconstructions", "pca2d_truth", "tsne_clusters", "confusion")) {
      assertTrue(Files.isRegularFile(a.folder().resolve("figures/" + f + ".png")), f);
    }
    JsonNode config = RunFolder.json().readTree(a.folder().resolve("config.json").toFile());
    assertEquals("mlp", config.get("recipe").get("model").get("type").asText());
    // the libtorch thread count as used (it decides bit-reproducibility), not a setting's text
    assertTrue(config.get("engine").get("torch_threads").isInt(), config.toString());
    assertTrue(config.get("engine").get("torch_threads").asInt() >= 1, config.toString());
  }

  @Test
  void configJsonRepeatsTheRun() throws Exception {
    ImageDataset images = SyntheticImages.of(20, 8, 2);
    RecipeRun.Result a = run(recipe(), images, tmp.resolve("a"));
    Recipe again = RecipeLoader.load(a.folder().resolve("config.json").toString(), List.of());
    assertEquals(recipe(), again);
    RecipeRun.Result b = run(again, images, tmp.resolve("b"));
    assertEquals(
        Files.readString(a.folder().resolve("assignments.csv")),
        Files.readString(b.folder().resolve("assignments.csv")));
  }

  @Test
  void aFigureThatCannotBeDrawnIsSkippedAndTheResultsStay() throws Exception {
    // t-SNE of 6 points cannot have perplexity 30
    ImageDataset images = SyntheticImages.of(2, 8, 3);
    RecipeRun.Result r = run(recipe("training.batch_size=4"), images, tmp.resolve("tiny"));
    assertTrue(Files.isRegularFile(r.folder().resolve("metrics.json")));
    assertTrue(Files.isRegularFile(r.folder().resolve("assignments.csv")));
    String log = Files.readString(r.folder().resolve("run.log"));
    assertTrue(log.contains("warning: figure 'tsne' skipped"), log);
  }

  @Test
  void umapPointsDrawsTheUmapMapsAndIsCheckedWhenParsed() throws Exception {
    assertEquals(0, recipe().report().umapPointsOf(100), "no UMAP figure by default");
    assertEquals(50, recipe("report.umap_points=50").report().umapPointsOf(100));
    assertEquals(100, recipe("report.umap_points=all").report().umapPointsOf(100));
    assertEquals(100, recipe("report.umap_points=500").report().umapPointsOf(100));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class, () -> recipe("report.umap_points=many"));
    assertTrue(e.getMessage().contains("umap_points"), e.getMessage());
    ImageDataset images = SyntheticImages.of(20, 8, 5);
    RecipeRun.Result r =
        run(recipe("report.umap_points=all", "report.figures=[umap]"), images, tmp.resolve("umap"));
    for (String f : List.of("umap_truth", "umap_clusters")) {
      assertTrue(Files.isRegularFile(r.folder().resolve("figures/" + f + ".png")), f);
    }
    String log = Files.readString(r.folder().resolve("run.log"));
    assertTrue(log.contains("UMAP map of 60 points"), log);
  }

  @Test
  void pixelsRecipeNeedsNoModel() throws Exception {
    Recipe r =
        RecipeLoader.parse(
            "pixels",
            "name: pixels\nembedding: {source: pixels}\n"
                + "methods: [{name: raw, cluster: {type: kmeans, k: 3, n_init: 2}}]\n"
                + "report: {figures: [pca2d, confusion]}\n",
            List.of());
    RecipeRun.Result res = run(r, SyntheticImages.of(30, 8, 4), tmp.resolve("p"));
    assertTrue(res.record().methods().get(0).metrics().get("acc") > 0.9);
    assertEquals(0.0, res.record().facts().get("parameters"));
  }

  @Test
  void aSubsetLargerThanTheDataIsAnError() {
    ImageDataset images = SyntheticImages.of(10, 8, 5);
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.deepclust.recipe.RecipeException.class,
            () ->
                RecipeRun.prepare(
                    recipe("data.subset=31"),
                    List.of(),
                    DataSource.inMemory(images, null),
                    s -> {}));
    assertTrue(
        e.getMessage().contains("data.subset") && e.getMessage().contains("at most 30"),
        e.getMessage());
  }
}
