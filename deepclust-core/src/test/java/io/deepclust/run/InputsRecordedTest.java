package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.data.DataLocator;
import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.DatasetSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: config.json records the absolute path and SHA-256 of every input file actually read,
 * and an explicit --data-dir is the only place looked at.
 */
class InputsRecordedTest {
  @TempDir Path tmp;

  static Path mnistRootOrSkip() {
    String env = System.getenv(DataLocator.ENV_DATA);
    Path root = Path.of(env == null ? "/work/shared/datasets" : env);
    Assumptions.assumeTrue(
        Files.isDirectory(root.resolve("mnist")), "no MNIST under " + root + ": skipped");
    return root;
  }

  @Test
  void configJsonRecordsEachFileReadWithItsSha256() throws Exception {
    Path root = mnistRootOrSkip();
    Recipe r =
        RecipeLoader.load(
            "kmeans-baselines",
            List.of(
                "data.subset=300",
                "methods.0.cluster.n_init=1",
                "methods.1.cluster.n_init=1",
                "report.figures=[]"));
    // --data-dir given: DEEPCLUST_DATA and the cache are not consulted
    DataLocator locator = new DataLocator(root, Map.of("HOME", tmp.toString()));
    RecipeRun run = RecipeRun.prepare(r, List.of(), DataSource.registry(locator), s -> {});
    Path out = tmp.resolve("run");
    try (RunFolder folder =
        RunFolder.prepare(out.getParent(), r.name(), out, RunFolder.Mode.NEW).open()) {
      run.run(folder, new RunLog(null, folder.file("run.log")), null);
    }
    JsonNode inputs =
        new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("inputs");
    DatasetSpec mnist = DatasetRegistry.MNIST;
    // split test: the test images and labels, nothing else
    assertEquals(2, inputs.size(), inputs.toString());
    String[][] expected = {
      {mnist.testImages().name(), mnist.testImages().sha256()},
      {mnist.testLabels().name(), mnist.testLabels().sha256()}
    };
    for (int i = 0; i < 2; i++) {
      Path p = Path.of(inputs.get(i).get("path").asText());
      assertTrue(p.isAbsolute(), p.toString());
      assertTrue(Files.isRegularFile(p), p.toString());
      assertTrue(p.startsWith(root.toAbsolutePath().normalize()), p.toString());
      assertTrue(p.getFileName().toString().startsWith(expected[i][0]), p.toString());
      assertEquals(expected[i][1], inputs.get(i).get("sha256").asText());
    }
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(
        10.0, metrics.get("methods").get(0).get("extra").get("distinct_clusters").asDouble());
  }
}
