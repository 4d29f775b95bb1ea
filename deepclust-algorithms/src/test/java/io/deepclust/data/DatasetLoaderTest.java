package io.deepclust.data;

import static io.deepclust.data.IdxFixtures.labels;
import static io.deepclust.data.IdxFixtures.write;
import static io.deepclust.data.IdxReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
  @TempDir Path root;
  final IdxFixtures.Tiny tiny = new IdxFixtures.Tiny();

  @Test
  void loadsTrainScaledToUnitInterval() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), true);
    ImageDataset ds = DatasetLoader.load(tiny.spec(), Split.TRAIN, dir);
    assertEquals(6, ds.size());
    assertEquals(35, ds.featureCount());
    assertEquals(5, ds.height());
    assertEquals(7, ds.width());
    assertEquals(1, ds.channels());
    assertArrayEquals(IdxFixtures.Tiny.TRAIN_LABELS, ds.labels());
    byte[] raw = IdxFixtures.pixels(6, 5, 7);
    for (int i = 0; i < raw.length; i++) {
      assertEquals((raw[i] & 0xFF) / 255f, ds.pixels().data()[i]);
    }
    assertEquals(Split.TRAIN, ds.split());
    assertEquals("tiny", ds.name());
  }

  @Test
  void allIsTrainThenTest() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), false);
    ImageDataset train = DatasetLoader.load(tiny.spec(), Split.TRAIN, dir);
    ImageDataset test = DatasetLoader.load(tiny.spec(), Split.TEST, dir);
    ImageDataset all = DatasetLoader.load(tiny.spec(), Split.ALL, dir);
    assertEquals(10, all.size());
    assertArrayEquals(new int[] {0, 1, 2, 2, 1, 0, 2, 0, 1, 1}, all.labels());
    assertArrayEquals(train.pixels().row(5), all.pixels().row(5));
    assertArrayEquals(test.pixels().row(0), all.pixels().row(6));
    assertArrayEquals(test.pixels().row(3), all.pixels().row(9));
  }

  @Test
  void loadsThroughLocator() throws Exception {
    tiny.writeTo(root.resolve("tiny"), true);
    ImageDataset ds = DatasetLoader.load(tiny.spec(), Split.TEST, DataLocator.onlyRoot(root));
    assertEquals(4, ds.size());
  }

  @Test
  void countMismatchNamesBothFiles() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), false);
    Path labelFile = write(dir.resolve("t10k-labels-idx1-ubyte"), labels(0, 1, 2));
    Path imageFile = dir.resolve("t10k-images-idx3-ubyte");
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class, () -> DatasetLoader.load(tiny.spec(), Split.TEST, dir));
    assertMessage(
        e,
        imageFile,
        "holds 4 images",
        labelFile.toString(),
        "holds 3 labels",
        "./deepclust data fetch tiny");
  }

  @Test
  void labelOutsideClassesIsRejected() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), false);
    Path labelFile = write(dir.resolve("t10k-labels-idx1-ubyte"), labels(0, 1, 7, 2));
    assertMessage(
        assertThrows(
            IdxFormatException.class, () -> DatasetLoader.load(tiny.spec(), Split.TEST, dir)),
        labelFile,
        "label 7 at index 2");
  }

  @Test
  void shapeOtherThanRegisteredIsRejected() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), false);
    Path img = write(dir.resolve("t10k-images-idx3-ubyte"), IdxFixtures.images(4, 7, 5));
    assertMessage(
        assertThrows(
            IdxFormatException.class, () -> DatasetLoader.load(tiny.spec(), Split.TEST, dir)),
        img,
        "images are 7x5",
        "5x7x1");
  }

  @Test
  void malformedFileErrorCarriesRefetchHint() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), false);
    Path img = dir.resolve("train-images-idx3-ubyte");
    Files.write(img, java.util.Arrays.copyOf(Files.readAllBytes(img), 100));
    assertMessage(
        assertThrows(
            IdxFormatException.class, () -> DatasetLoader.load(tiny.spec(), Split.ALL, dir)),
        img,
        "truncated",
        "re-fetch with: ./deepclust data fetch tiny");
  }

  @Test
  void missingFileSaysHowToFetch() throws Exception {
    Path dir = tiny.writeTo(root.resolve("tiny"), true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    MissingDatasetException e =
        assertThrows(
            MissingDatasetException.class, () -> DatasetLoader.load(tiny.spec(), Split.TEST, dir));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
    assertTrue(e.getMessage().contains("./deepclust data fetch tiny"), e.getMessage());
  }

  @Test
  void unknownNameListsKnownDatasets() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DatasetLoader.load("cifar", Split.TEST, DataLocator.onlyRoot(root)));
    assertTrue(e.getMessage().contains("mnist, fashion-mnist"), e.getMessage());
  }

  @Test
  void infoSummarisesCountsAndBalance() throws Exception {
    tiny.writeTo(root.resolve("tiny"), true);
    DatasetInfo info = DatasetInfo.read(tiny.spec(), root.resolve("tiny"));
    assertEquals(6, info.trainImages());
    assertEquals(4, info.testImages());
    assertArrayEquals(new int[] {2, 2, 2}, info.trainCounts());
    assertArrayEquals(new int[] {1, 2, 1}, info.testCounts());
    String text = info.toText();
    assertTrue(text.contains("train 6, test 4, all 10"), text);
    assertTrue(text.contains("5x7x1"), text);
    // class b: 2 of 6 train, 2 of 4 test, 4 of 10 overall
    assertTrue(text.contains("2 (33.33%)"), text);
    assertTrue(text.contains("2 (50.00%)"), text);
    assertTrue(text.contains("4 (40.00%)"), text);
  }
}
