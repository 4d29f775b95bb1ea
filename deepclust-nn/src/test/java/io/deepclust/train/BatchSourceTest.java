package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchSourceTest {
  private static BatchSource source(int n, BatchConfig c, long seed) {
    return new BatchSource(TinyModels.blobs(n, 1), TinyModels.IMAGE, c, seed);
  }

  @Test
  void epochOrderDependsOnlyOnSeedPhaseAndEpoch() {
    BatchSource a = source(100, new BatchConfig(32, true, false), 5);
    BatchSource b = source(100, new BatchConfig(32, true, false), 5);
    assertTrue(Arrays.deepEquals(a.batches("pretrain", 3), b.batches("pretrain", 3)));
    assertFalse(Arrays.deepEquals(a.batches("pretrain", 3), a.batches("pretrain", 4)));
    assertFalse(Arrays.deepEquals(a.batches("pretrain", 3), a.batches("dec", 3)));
    assertFalse(
        Arrays.deepEquals(
            a.batches("pretrain", 3),
            source(100, new BatchConfig(32, true, false), 6).batches("pretrain", 3)));
    int[][] bs = a.batches("pretrain", 1);
    assertEquals(4, bs.length);
    assertEquals(4, bs[3].length);
    int[] all = Arrays.stream(bs).flatMapToInt(Arrays::stream).sorted().toArray();
    for (int i = 0; i < 100; i++) {
      assertEquals(i, all[i]);
    }
  }

  @Test
  void dropLastAndSequential() {
    BatchSource d = source(100, new BatchConfig(32, true, true), 5);
    assertEquals(3, d.batchesPerEpoch());
    assertEquals(96, d.imagesPerEpoch());
    assertEquals(3, d.batches("x", 1).length);
    BatchSource s = source(70, BatchConfig.sequential(32), 5);
    int[][] bs = s.batches("x", 9);
    assertEquals(3, bs.length);
    assertArrayEquals(new int[] {64, 65, 66, 67, 68, 69}, bs[2]);
  }

  @Test
  void batchArrayHasImageShapeAndRows() {
    BatchSource s = source(10, BatchConfig.sequential(4), 5);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = s.toNDArray(m, new int[] {7, 2});
      assertEquals(new Shape(2, 1, 8, 8), x.getShape());
      float[] v = x.toFloatArray();
      assertArrayEquals(s.images().row(7), Arrays.copyOfRange(v, 0, 64));
      assertArrayEquals(s.images().row(2), Arrays.copyOfRange(v, 64, 128));
    }
  }

  @Test
  void rejectsBadInput() {
    FloatMatrix ok = TinyModels.blobs(4, 1);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchSource(ok, new Shape(1, 7, 7), BatchConfig.defaults(), 1));
    assertTrue(e.getMessage().contains("(C, H, W)"));
    FloatMatrix bad = ok.copy();
    bad.set(2, 5, 255f);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchSource(bad, TinyModels.IMAGE, BatchConfig.defaults(), 1));
    assertTrue(e.getMessage().contains("image 2, value 5 is 255.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BatchConfig(0, true, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BatchSource(ok, TinyModels.IMAGE, new BatchConfig(8, true, true), 1));
  }
}
