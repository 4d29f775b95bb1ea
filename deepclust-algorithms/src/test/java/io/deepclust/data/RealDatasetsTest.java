package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the real MNIST and Fashion-MNIST files from the root named by {@code DEEPCLUST_DATA};
 * skipped when it is not set.
 */
class RealDatasetsTest {
  static DataLocator locator;

  @BeforeAll
  static void requireData() {
    String root = System.getenv(DataLocator.ENV_DATA);
    Assumptions.assumeTrue(
        root != null && Files.isDirectory(Path.of(root)),
        "DEEPCLUST_DATA not set: real-data tests skipped");
    locator = new DataLocator(null, Map.of(DataLocator.ENV_DATA, root));
    Assumptions.assumeTrue(
        locator.find(DatasetRegistry.MNIST).isPresent(), "no mnist under " + root);
  }

  @Test
  void mnistCountsAndFirstLabels() {
    ImageDataset train = DatasetLoader.load("mnist", Split.TRAIN, locator);
    ImageDataset test = DatasetLoader.load("mnist", Split.TEST, locator);
    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    assertEquals(784, train.featureCount());
    assertEquals(5, train.labels()[0]);
    assertEquals(7, test.labels()[0]);
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        train.classCounts());
    float max = 0;
    for (float v : train.pixels().data()) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max);
  }

  @Test
  void mnistFilesHaveRegisteredChecksums() throws Exception {
    Path dir = locator.locate(DatasetRegistry.MNIST);
    for (DatasetFile f : DatasetRegistry.MNIST.files()) {
      Path p = DataLocator.resolveFile(dir, f).orElseThrow();
      assertEquals(f.sha256(), Checksums.sha256OfDecompressed(p), p.toString());
    }
  }

  @Test
  void fashionInfo() {
    Assumptions.assumeTrue(locator.find(DatasetRegistry.FASHION_MNIST).isPresent());
    DatasetInfo info = DatasetInfo.read("fashion-mnist", locator);
    assertEquals(60_000, info.trainImages());
    assertEquals(10_000, info.testImages());
    for (int k = 0; k < 10; k++) {
      assertEquals(6000, info.trainCounts()[k]);
      assertEquals(1000, info.testCounts()[k]);
    }
    assertTrue(info.toText().contains("Ankle boot"));
  }
}
