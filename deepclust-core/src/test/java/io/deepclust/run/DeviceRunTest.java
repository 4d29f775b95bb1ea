package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.ImageDataset;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's device: the recipe's {@code device}, checked before anything is written, used for the
 * model, the head and the libtorch PCA products, and recorded in {@code config.json}.
 */
class DeviceRunTest {
  @TempDir Path tmp;

  /** A DEC-style run: reconstruction, then a clustering head; randomized PCA (libtorch). */
  static final String RECIPE =
      """
      name: device
      seed: 2
      device: cpu
      model:
        type: mlp
        dims: [64, 16, 4]
        input_shape: [1, 8, 8]
      training:
        batch_size: 16
        phases:
          - type: reconstruction
            epochs: 1
          - type: dec
            epochs: 1
            k: 3
            update_interval: 2
            kmeans_init: 2
      methods:
        - name: head
          cluster: {type: head}
        - name: pca_kmeans
          reduce: {type: pca, components: 2, solver: randomized}
          cluster: {type: kmeans, k: 3, n_init: 1}
      report:
        figures: [loss]
      """;

  private static Recipe recipe(String... overrides) {
    return RecipeLoader.parse("device", RECIPE, List.of(overrides));
  }

  @Test
  void configJsonRecordsTheDevice() throws Exception {
    ImageDataset images = SyntheticImages.of(20, 8, 1);
    RecipeRun.Result r = SyntheticRunTest.run(recipe(), images, tmp.resolve("a"));
    JsonNode config = RunFolder.json().readTree(r.folder().resolve("config.json").toFile());
    assertEquals("cpu", config.get("recipe").get("device").asText());
    JsonNode engine = config.get("engine");
    assertEquals("cpu", engine.get("device").asText(), engine.toString());
    assertEquals("cpu", engine.get("device_requested").asText());
    assertEquals("recipe", engine.get("device_from").asText());
    assertEquals(DeviceChoice.libtorchFlavour(), engine.get("libtorch_flavour").asText());
    assertEquals("2.7.1", engine.get("libtorch_version").asText());
    assertTrue(engine.get("gpu_count").isInt(), engine.toString());
    assertTrue(r.record().method("head").metrics().get("acc") > 0, r.record().toString());
  }

  @Test
  void autoIsTheDefaultAndTheEnvironmentRefinesIt() {
    Recipe r = recipe("device=null");
    assertEquals(Recipe.AUTO_DEVICE, r.device());
    DeviceSettings byEnv = DeviceSettings.resolve(r, Map.of(DeviceChoice.ENV, "cpu"));
    assertEquals(Device.cpu(), byEnv.device());
    assertEquals(DeviceChoice.ENV, byEnv.from());
    DeviceSettings plain = DeviceSettings.resolve(r, Map.of());
    assertEquals("default", plain.from());
    assertEquals(DeviceChoice.resolve("auto"), plain.device());
    // an explicit device in the recipe (or from --device) wins over the environment
    assertEquals(
        "recipe", DeviceSettings.resolve(recipe(), Map.of(DeviceChoice.ENV, "gpu:3")).from());
  }

  @Test
  void aGpuThisBuildCannotUseFailsInPrepare() {
    assumeTrue(DeviceChoice.seen().usableGpus() == 0, "this machine's build can use a GPU");
    RecipeException e =
        assertThrows(
            RecipeException.class,
            () ->
                RecipeRun.prepare(
                    recipe("device=gpu"),
                    List.of(),
                    DataSource.inMemory(SyntheticImages.of(20, 8, 1), null),
                    s -> {}));
    assertTrue(e.getMessage().startsWith("device 'gpu:0' asks for a GPU"), e.getMessage());
    assertTrue(e.getMessage().contains("DJL sees"), e.getMessage());
  }

  @Test
  void aMalformedDeviceNamesTheField() {
    RecipeException e = assertThrows(RecipeException.class, () -> recipe("device=cuda:0"));
    assertTrue(e.getMessage().contains("device"), e.getMessage());
    assertTrue(e.getMessage().contains("'cuda:0' is not a device"), e.getMessage());
  }
}
