package io.deepclust.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A table built from counted cells equals the one built from the labelings, metric for metric. */
class ContingencyTableCellsTest {
  @Test
  void cellsGiveTheSameTableAndMetrics() {
    SplittableRandom rnd = new SplittableRandom(4);
    int n = 5000;
    int[] truth = new int[n];
    int[] pred = new int[n];
    Map<Long, Long> cells = new HashMap<>();
    for (int i = 0; i < n; i++) {
      truth[i] = rnd.nextInt(7) - 2;
      pred[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(12) * 3 : (truth[i] + 5) * 3;
      cells.merge(((long) truth[i] << 32) | (pred[i] & 0xffffffffL), 1L, Long::sum);
    }
    // cells in hash order, one pair split in two, as a distributed GROUP BY may give them
    int m = cells.size() + 1;
    int[] t = new int[m];
    int[] p = new int[m];
    long[] c = new long[m];
    int e = 0;
    for (Map.Entry<Long, Long> x : cells.entrySet()) {
      t[e] = (int) (x.getKey() >> 32);
      p[e] = (int) (long) x.getKey();
      c[e] = x.getValue();
      e++;
    }
    t[m - 1] = t[0];
    p[m - 1] = p[0];
    c[m - 1] = 1;
    c[0] -= 1;
    if (c[0] == 0) {
      c[0] = 1;
      c[m - 1] = 0;
      m--;
    }
    ContingencyTable a = ContingencyTable.of(truth, pred);
    ContingencyTable b =
        ContingencyTable.ofCells(
            java.util.Arrays.copyOf(t, m),
            java.util.Arrays.copyOf(p, m),
            java.util.Arrays.copyOf(c, m));
    assertArrayEquals(a.toDense(), b.toDense());
    assertArrayEquals(a.classIds(), b.classIds());
    assertArrayEquals(a.clusterSizes(), b.clusterSizes());
    assertEquals(ExternalMetrics.nmi(a), ExternalMetrics.nmi(b), 0.0);
    assertEquals(ExternalMetrics.ami(a), ExternalMetrics.ami(b), 0.0);
    assertEquals(ExternalMetrics.ari(a), ExternalMetrics.ari(b), 0.0);
    assertEquals(ExternalMetrics.accuracy(a), ExternalMetrics.accuracy(b), 0.0);
    assertEquals(ExternalMetrics.purity(a), ExternalMetrics.purity(b), 0.0);
  }

  @Test
  void badCellsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ContingencyTable.ofCells(new int[] {1}, new int[] {2}, new long[] {0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> ContingencyTable.ofCells(new int[] {1}, new int[] {2}, new long[] {1, 2}));
  }
}
