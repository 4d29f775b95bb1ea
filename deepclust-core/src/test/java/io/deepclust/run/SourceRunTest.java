package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.SourceReader;
import io.deepclust.data.SourceSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.recipe.UserDatasets;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.train.BatchConfig;
import io.deepclust.train.BatchSource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipe run end to end on a folder of the user's own images: colour PNGs in class subfolders,
 * and the same images without labels; the model takes the images' shape.
 */
class SourceRunTest {
  @TempDir Path tmp;

  static final String RECIPE =
      """
      name: own-images
      seed: 1
      data: {dataset: mnist}
      model: {type: mlp, dims: [192, 16, 3], input_shape: [1, 8, 24]}
      training:
        batch_size: 8
        phases:
          - {type: reconstruction, epochs: 1}
      methods:
        - name: kmeans
          cluster: {type: kmeans, k: 3, n_init: 2}
      report: {figures: [loss, reconstructions, pca2d, confusion]}
      """;

  /** 3 colours x 6 noisy 8x8 RGB PNGs, in class subfolders when {@code labelled}. */
  private Path folder(String name, boolean labelled) throws Exception {
    Path root = tmp.resolve(name);
    int[][] colours = {{220, 30, 30}, {30, 220, 30}, {30, 30, 220}};
    String[] classes = {"red", "green", "blue"};
    SplittableRandom rnd = new SplittableRandom(7);
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < 6; i++) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            int r = Math.min(255, colours[k][0] + rnd.nextInt(30));
            int g = Math.min(255, colours[k][1] + rnd.nextInt(30));
            int b = Math.min(255, colours[k][2] + rnd.nextInt(30));
            img.setRGB(x, y, (r << 16) | (g << 8) | b);
          }
        }
        Path f =
            labelled
                ? root.resolve(classes[k]).resolve(i + ".png")
                : root.resolve(classes[k] + i + ".png");
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "png", f.toFile());
      }
    }
    return root;
  }

  private RecipeRun.Result run(Recipe r, Path out) {
    RecipeRun run =
        RecipeRun.prepare(
            r, List.of(), DataSource.registry(DataLocator.onlyRoot(tmp.resolve("none"))), s -> {});
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      return run.run(folder, new RunLog(null, folder.file("run.log")), null);
    }
  }

  @Test
  void labelledFolderRunsEndToEndWithTheModelBuiltForItsShape() throws Exception {
    Path root = folder("pets", true);
    Recipe r = RecipeLoader.parse("t", RECIPE, List.of("data.dataset=\"folder:" + root + "\""));
    List<String> log = new ArrayList<>();
    RecipeRun prepared =
        RecipeRun.prepare(r, List.of(), DataSource.registry(DataLocator.onlyRoot(tmp)), log::add);
    assertEquals(new Shape(3, 8, 8), prepared.recipe().model().inputShape());
    assertTrue(log.stream().anyMatch(l -> l.contains("3 classes from subfolders")), "" + log);
    assertTrue(
        log.stream().anyMatch(l -> l.contains("built for the images' shape (3, 8, 8)")), "" + log);
    RecipeRun.Result res = run(r, tmp.resolve("runs/a"));
    assertTrue(res.record().methods().get(0).metrics().containsKey("acc"));
    JsonNode config = RecipeLoader.json().readTree(res.folder().resolve("config.json").toFile());
    assertEquals("[3,8,8]", config.at("/recipe/model/input_shape").toString());
    assertTrue(Files.isRegularFile(res.folder().resolve("figures/reconstructions.png")));
    // the run folder repeats: its config.json already has the model for the images
    Recipe again = RecipeLoader.load(res.folder().toString(), List.of());
    assertEquals(new Shape(3, 8, 8), again.model().inputShape());
    // each clustered image's file, relative to the folder, beside its cluster
    List<String> rows = Files.readAllLines(res.folder().resolve("assignments.csv"));
    assertEquals("index,file,true_label,kmeans", rows.get(0));
    assertEquals(19, rows.size());
    assertTrue(rows.get(1).startsWith("0,blue/0.png,0,"), rows.get(1));
  }

  @Test
  void aSubsetOfAFolderKeepsEachRowsFileName() throws Exception {
    Path root = folder("some", true);
    Recipe r =
        RecipeLoader.parse(
            "t", RECIPE, List.of("data.dataset=\"folder:" + root + "\"", "data.subset=9"));
    RecipeRun.Result res = run(r, tmp.resolve("runs/s"));
    List<String> rows = Files.readAllLines(res.folder().resolve("assignments.csv"));
    assertEquals(10, rows.size());
    // the subset is stratified: 3 of each colour, each row's class folder is its true label's
    String[] classes = {"blue", "green", "red"};
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      assertTrue(f[1].startsWith(classes[Integer.parseInt(f[2])] + "/"), row);
    }
  }

  @Test
  void unlabelledFolderReportsInternalMetricsOnlyAndSaysWhy() throws Exception {
    Path root = folder("scans", false);
    Recipe r = RecipeLoader.parse("t", RECIPE, List.of("data.dataset=\"folder:" + root + "\""));
    RecipeRun.Result res = run(r, tmp.resolve("runs/b"));
    var metrics = res.record().methods().get(0).metrics();
    assertFalse(metrics.containsKey("acc"), metrics.toString());
    assertTrue(metrics.containsKey("silhouette"), metrics.toString());
    assertTrue(Files.readString(res.folder().resolve("run.log")).contains("no true labels"));
    assertTrue(
        Files.readString(res.folder().resolve("report.html"))
            .contains("external metrics (ACC, NMI, ARI, AMI, purity) need labels"));
    assertFalse(Files.exists(res.folder().resolve("labels.npy")));
    List<String> rows = Files.readAllLines(res.folder().resolve("assignments.csv"));
    assertEquals("index,file,true_label,kmeans", rows.get(0));
    assertTrue(rows.get(1).startsWith("0,blue0.png,,"), rows.get(1));
  }

  @Test
  void aShapeTheModelCannotTakeIsAnErrorBeforeTrainingNamingBothShapes() throws Exception {
    Path root = folder("odd", true);
    String cae =
        RECIPE
            .replace(
                "{type: mlp, dims: [192, 16, 3], input_shape: [1, 8, 24]}", "{type: cae-bn-000}")
            .replace("cluster: {type: kmeans, k: 3, n_init: 2}", "cluster: {type: kmeans, k: 3}");
    Recipe ok = RecipeLoader.parse("t", cae, List.of("data.dataset=\"folder:" + root + "\""));
    RecipeRun fits =
        RecipeRun.prepare(ok, List.of(), DataSource.registry(DataLocator.onlyRoot(tmp)), s -> {});
    assertEquals(new Shape(3, 8, 8), fits.recipe().model().inputShape());
    Recipe odd =
        RecipeLoader.parse(
            "t", cae, List.of("data.dataset=\"folder:" + root + "\"", "data.shape=[3, 10, 10]"));
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeRun.prepare(
                    odd, List.of(), DataSource.registry(DataLocator.onlyRoot(tmp)), s -> {}));
    assertTrue(e.getMessage().contains("(3, 10, 10)"), e.getMessage());
    assertTrue(e.getMessage().contains("(1, 28, 28)"), e.getMessage());
    Recipe mlp =
        RecipeLoader.parse(
            "t",
            RECIPE.replace("192", "784").replace("[1, 8, 24]", "[1, 28, 28]"),
            List.of("data.dataset=\"folder:" + root + "\""));
    e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeRun.prepare(
                    mlp, List.of(), DataSource.registry(DataLocator.onlyRoot(tmp)), s -> {}));
    assertTrue(e.getMessage().contains("(3, 8, 8) = 192 values"), e.getMessage());
    assertTrue(e.getMessage().contains("data.shape"), e.getMessage());
  }

  @Test
  void colourChannelsReachTheBatchInTheirPlace() throws Exception {
    Path root = tmp.resolve("one");
    Files.createDirectories(root);
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        // R, G and B differ and vary with the position
        img.setRGB(x, y, ((10 * y + x) << 16) | ((100 + x) << 8) | (200 + y));
      }
    }
    ImageIO.write(img, "png", root.resolve("a.png").toFile());
    ImageDataset d = SourceReader.read(SourceSpec.parse("folder:" + root), "one", null).data();
    BatchSource batches =
        new BatchSource(
            d.pixels(),
            new Shape(d.channels(), d.height(), d.width()),
            new BatchConfig(1, false, false),
            0);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = batches.toNDArray(m, new int[] {0});
      assertEquals(new Shape(1, 3, 2, 3), x.getShape());
      for (int y = 0; y < 2; y++) {
        for (int c = 0; c < 3; c++) {
          assertEquals((10 * y + c) / 255f, x.getFloat(0, 0, y, c), 0f);
          assertEquals((100 + c) / 255f, x.getFloat(0, 1, y, c), 0f);
          assertEquals((200 + y) / 255f, x.getFloat(0, 2, y, c), 0f);
        }
      }
    }
  }

  @Test
  void aNameFromTheUsersDatasetsFileIsADataset() throws Exception {
    Path root = folder("mine", true);
    Path file = tmp.resolve("datasets.yaml");
    Files.writeString(
        file, "datasets:\n  my-scans:\n    source: folder:mine\n    description: test\n");
    String before = System.getProperty(UserDatasets.PROPERTY);
    System.setProperty(UserDatasets.PROPERTY, file.toString());
    try {
      Recipe r = RecipeLoader.parse("t", RECIPE, List.of("data.dataset=my-scans"));
      RunData data = DataSource.registry(DataLocator.onlyRoot(tmp)).load(r, s -> {});
      assertEquals(18, data.eval().size());
      assertArrayEquals(new int[] {6, 6, 6}, data.eval().classCounts());
      assertEquals(root.resolve("blue"), root.resolve(data.eval().classNames().get(0)));
      RecipeException e =
          assertThrows(
              RecipeException.class,
              () -> RecipeLoader.parse("t", RECIPE, List.of("data.dataset=my-scan")));
      assertTrue(e.getMessage().contains("my-scans"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(UserDatasets.PROPERTY);
      } else {
        System.setProperty(UserDatasets.PROPERTY, before);
      }
    }
  }
}
