package io.deepclust.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HungarianTest {

  @Test
  void matchesScipyOptimalTotals() {
    for (JsonNode c : MetricsFixtures.root().get("hungarian")) {
      JsonNode w = c.get("weights");
      double[][] m = new double[w.size()][];
      for (int i = 0; i < m.length; i++) {
        m[i] = new double[w.get(i).size()];
        for (int j = 0; j < m[i].length; j++) {
          m[i][j] = w.get(i).get(j).doubleValue();
        }
      }
      int[] assignment = Hungarian.maximize(m);
      assertValid(assignment, m.length, m[0].length);
      double expected = c.get("max_total").doubleValue();
      assertEquals(
          expected,
          Hungarian.total(m, assignment),
          MetricsFixtures.tol(expected),
          c.get("name").asText());
    }
  }

  @Test
  void agreesWithBruteForceOnSmallRectangularMatrices() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + random.nextInt(6);
      int cols = 1 + random.nextInt(6);
      double[][] m = new double[rows][cols];
      for (double[] row : m) {
        for (int j = 0; j < cols; j++) {
          row[j] = random.nextInt(5) - 2; // many ties, negatives
        }
      }
      int[] max = Hungarian.maximize(m);
      int[] min = Hungarian.minimize(m);
      assertValid(max, rows, cols);
      assertValid(min, rows, cols);
      assertEquals(brute(m, 0, new boolean[cols], true), Hungarian.total(m, max), 1e-12);
      assertEquals(brute(m, 0, new boolean[cols], false), Hungarian.total(m, min), 1e-12);
    }
  }

  @Test
  void squareIdentityAndEmpty() {
    double[][] m = {{0, 0, 9}, {9, 0, 0}, {0, 9, 0}};
    assertArrayEquals(new int[] {2, 0, 1}, Hungarian.maximize(m));
    assertEquals(0, Hungarian.maximize(new double[0][0]).length);
    assertArrayEquals(new int[] {-1, -1}, Hungarian.maximize(new double[2][0]));
  }

  @Test
  void rejectsRaggedAndNonFinite() {
    IllegalArgumentException ragged =
        assertThrows(
            IllegalArgumentException.class, () -> Hungarian.maximize(new double[][] {{1, 2}, {3}}));
    assertTrue(ragged.getMessage().contains("row 1 has 1 values, expected 2"), ragged.getMessage());
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () -> Hungarian.minimize(new double[][] {{1, Double.NaN}}));
    assertTrue(nan.getMessage().contains("costs[0][1] is NaN"), nan.getMessage());
  }

  private static void assertValid(int[] assignment, int rows, int cols) {
    assertEquals(rows, assignment.length);
    boolean[] used = new boolean[cols];
    int assigned = 0;
    for (int a : assignment) {
      if (a >= 0) {
        assertTrue(a < cols);
        assertTrue(!used[a], "column used twice");
        used[a] = true;
        assigned++;
      }
    }
    assertEquals(Math.min(rows, cols), assigned);
  }

  /**
   * Best total over assignments of rows i.. to unused columns (rows may be skipped if rows > cols).
   */
  private static double brute(double[][] m, int i, boolean[] used, boolean maximize) {
    int rows = m.length;
    int cols = m[0].length;
    if (i == rows) {
      return 0;
    }
    int usedCount = 0;
    for (boolean u : used) {
      usedCount += u ? 1 : 0;
    }
    double best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    // skipping row i is allowed only while enough rows remain to fill all columns
    if (rows - i - 1 >= cols - usedCount) {
      best = brute(m, i + 1, used, maximize);
    }
    for (int j = 0; j < cols; j++) {
      if (!used[j]) {
        used[j] = true;
        double v = m[i][j] + brute(m, i + 1, used, maximize);
        used[j] = false;
        best = maximize ? Math.max(best, v) : Math.min(best, v);
      }
    }
    return best;
  }
}
