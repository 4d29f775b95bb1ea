package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.deepclust.linalg.FloatMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
  static FloatMatrix rows(int n, int d) {
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = i / (float) v.length;
    }
    return new FloatMatrix(n, d, v);
  }

  @Test
  void helpers() {
    ImageDataset ds =
        new ImageDataset(
            "x",
            Split.TRAIN,
            rows(5, 6),
            new int[] {0, 2, 2, 1, 2},
            2,
            3,
            1,
            List.of("a", "b", "c"));
    assertEquals(5, ds.size());
    assertEquals(3, ds.numClasses());
    assertArrayEquals(new int[] {1, 1, 3}, ds.classCounts());
    ImageDataset sub = ds.subset(new int[] {4, 0});
    assertEquals(2, sub.size());
    assertArrayEquals(new int[] {2, 0}, sub.labels());
    assertArrayEquals(ds.pixels().row(4), sub.pixels().row(0));
    assertEquals(ds.classNames(), sub.classNames());
  }

  @Test
  void unlabelled() {
    ImageDataset ds = new ImageDataset("u", Split.ALL, rows(3, 4), null, 2, 2, 1, null);
    assertFalse(ds.hasLabels());
    assertEquals(0, ds.numClasses());
    assertNull(ds.subset(new int[] {1}).labels());
    assertThrows(IllegalStateException.class, ds::classCounts);
  }

  @Test
  void numClassesFromLabelsWhenNoNames() {
    ImageDataset ds =
        new ImageDataset("y", Split.TEST, rows(3, 4), new int[] {0, 4, 1}, 2, 2, 1, List.of());
    assertEquals(5, ds.numClasses());
    assertArrayEquals(new int[] {1, 1, 0, 0, 1}, ds.classCounts());
  }

  @Test
  void validates() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageDataset("x", Split.TRAIN, rows(2, 4), null, 2, 3, 1, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ImageDataset("x", Split.TRAIN, rows(2, 4), new int[] {0}, 2, 2, 1, null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ImageDataset(
                "x", Split.TRAIN, rows(2, 4), new int[] {0, 2}, 2, 2, 1, List.of("a", "b")));
    ImageDataset ds = new ImageDataset("x", Split.TRAIN, rows(2, 4), null, 2, 2, 1, null);
    assertThrows(IndexOutOfBoundsException.class, () -> ds.subset(new int[] {2}));
  }

  @Test
  void splitParsing() {
    assertEquals(Split.TRAIN, Split.parse("train"));
    assertEquals(Split.TEST, Split.parse(" Test "));
    assertEquals(Split.ALL, Split.parse("ALL"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Split.parse("val"));
    assertEquals("unknown split 'val'; valid values: train, test, all", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Split.parse(null));
  }
}
