package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubsetsTest {
  /** 50 of class 0, 30 of class 1, 20 of class 2, interleaved. */
  static int[] labels5030() {
    int[] y = new int[100];
    for (int i = 0; i < 100; i++) {
      y[i] = i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2;
    }
    return y;
  }

  static int[] countsOf(int[] labels, int[] idx, int k) {
    int[] c = new int[k];
    for (int i : idx) {
      c[labels[i]]++;
    }
    return c;
  }

  @Test
  void proportionalPerClass() {
    int[] y = labels5030();
    int[] idx = Subsets.stratifiedSample(y, 10, 1);
    assertArrayEquals(new int[] {5, 3, 2}, countsOf(y, idx, 3));
    idx = Subsets.stratifiedSample(y, 37, 1); // 18.5, 11.1, 7.4 -> 19, 11, 7
    assertArrayEquals(new int[] {19, 11, 7}, countsOf(y, idx, 3));
  }

  @Test
  void largestRemainderTiesGoToLowerClass() {
    assertArrayEquals(new int[] {1, 1, 0}, Subsets.quotas(new int[] {1, 1, 1}, 3, 2));
    // remainders 7*3 mod 10 = 1, 7*7 mod 10 = 9: class 1 gets the extra one.
    assertArrayEquals(new int[] {2, 5}, Subsets.quotas(new int[] {3, 7}, 10, 7));
  }

  @Test
  void quotasSumToNAndStayWithinClass() {
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 200; t++) {
      int k = 1 + r.nextInt(12);
      int[] counts = new int[k];
      int total = 0;
      for (int c = 0; c < k; c++) {
        counts[c] = r.nextInt(30);
        total += counts[c];
      }
      if (total == 0) {
        continue;
      }
      int n = r.nextInt(total + 1);
      int[] q = Subsets.quotas(counts, total, n);
      assertEquals(n, Arrays.stream(q).sum());
      for (int c = 0; c < k; c++) {
        assertTrue(q[c] <= counts[c]);
        double exact = (double) n * counts[c] / total;
        assertTrue(Math.abs(q[c] - exact) < 1.0, "class " + c + " got " + q[c] + " for " + exact);
      }
    }
  }

  @Test
  void sortedDistinctAndDeterministic() {
    int[] y = labels5030();
    int[] a = Subsets.stratifiedSample(y, 40, 42);
    int[] b = Subsets.stratifiedSample(y, 40, 42);
    assertArrayEquals(a, b);
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1] < a[i], "sorted and distinct");
    }
  }

  @Test
  void differentSeedsDiffer() {
    int[] y = labels5030();
    assertFalse(
        Arrays.equals(Subsets.stratifiedSample(y, 40, 1), Subsets.stratifiedSample(y, 40, 2)));
    assertFalse(Arrays.equals(Subsets.randomSample(100, 40, 1), Subsets.randomSample(100, 40, 2)));
  }

  @Test
  void edgeSizes() {
    int[] y = labels5030();
    assertEquals(0, Subsets.stratifiedSample(y, 0, 1).length);
    int[] all = Subsets.stratifiedSample(y, 100, 1);
    for (int i = 0; i < 100; i++) {
      assertEquals(i, all[i]);
    }
    assertEquals(0, Subsets.stratifiedSample(new int[0], 0, 1).length);
    assertThrows(IllegalArgumentException.class, () -> Subsets.stratifiedSample(y, 101, 1));
    assertThrows(IllegalArgumentException.class, () -> Subsets.stratifiedSample(y, -1, 1));
    assertThrows(
        IllegalArgumentException.class, () -> Subsets.stratifiedSample(new int[] {0, -1}, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Subsets.stratifiedSample(null, 1, 1));
  }

  @Test
  void nullLabelsMeanPlainRandom() {
    int[] a = Subsets.sample(null, 50, 20, 7);
    assertArrayEquals(Subsets.randomSample(50, 20, 7), a);
    assertEquals(20, Arrays.stream(a).distinct().count());
    assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 50));
    int[] y = labels5030();
    assertArrayEquals(Subsets.stratifiedSample(y, 10, 7), Subsets.sample(y, 100, 10, 7));
  }

  @Test
  void sampleOfDataset() {
    int[] y = labels5030();
    ImageDataset ds =
        new ImageDataset(
            "x",
            Split.TRAIN,
            ImageDatasetTest.rows(100, 4),
            y,
            2,
            2,
            1,
            java.util.List.of("a", "b", "c"));
    ImageDataset sub = Subsets.sample(ds, 20, 5);
    assertArrayEquals(new int[] {10, 6, 4}, sub.classCounts());
  }
}
