package io.deepclust.metrics;

import static io.deepclust.metrics.MetricsFixtures.tol;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ExternalMetricsTest {

  @Test
  void matchesSklearnOnStoredLabelings() {
    int cases = 0;
    for (JsonNode c : MetricsFixtures.root().get("external")) {
      int[] truth = MetricsFixtures.ints(c.get("truth"));
      int[] pred = MetricsFixtures.ints(c.get("pred"));
      assertAll(c, truth, pred);
      cases++;
    }
    assertTrue(cases >= 25);
  }

  @Test
  void matchesSklearnOnLcgLabelingsUpTo70k() {
    for (JsonNode c : MetricsFixtures.root().get("external_lcg")) {
      int[][] labels =
          MetricsFixtures.lcgLabels(
              c.get("n").intValue(),
              c.get("seed").longValue(),
              c.get("k_true").intValue(),
              c.get("k_pred").intValue(),
              c.get("agree_percent").intValue(),
              c.get("true_scale").intValue(),
              c.get("true_offset").intValue());
      assertAll(c, labels[0], labels[1]);
    }
  }

  private static void assertAll(JsonNode c, int[] truth, int[] pred) {
    String name = c.get("name").asText();
    ContingencyTable table = ContingencyTable.of(truth, pred);
    check(c, "acc", ExternalMetrics.accuracy(truth, pred), name);
    check(c, "nmi", ExternalMetrics.nmi(table), name);
    check(c, "ari", ExternalMetrics.ari(table), name);
    check(c, "ami", ExternalMetrics.ami(table), name);
    check(c, "purity", ExternalMetrics.purity(table), name);
    ConfusionMatrix cm = ExternalMetrics.confusionMatrix(table);
    assertEquals(
        c.get("acc").doubleValue(), (double) cm.matchedCorrect() / truth.length, 1e-12, name);
  }

  private static void check(JsonNode c, String key, double actual, String name) {
    double expected = c.get(key).doubleValue();
    assertEquals(expected, actual, tol(expected), name + " " + key);
  }

  @Test
  void identicalLabelingsScoreOneEvenWhenMiEqualsItsExpectation() {
    // issue 12: MI = E[MI] = mean entropy here, and AMI was 0 / eps = 0.0
    int[][][] pairs = {
      {{8, 3}, {8, 3}}, {{8, 3}, {0, 1}}, {{2, 9, 4, 6}, {2, 9, 4, 6}}, {{0, 1}, {1, 0}}
    };
    for (int[][] p : pairs) {
      String name = java.util.Arrays.deepToString(p);
      assertEquals(1.0, ExternalMetrics.ami(p[0], p[1]), 1e-12, name + " ami");
      assertEquals(1.0, ExternalMetrics.nmi(p[0], p[1]), 1e-12, name + " nmi");
      assertEquals(1.0, ExternalMetrics.ari(p[0], p[1]), 0.0, name + " ari");
      assertEquals(1.0, ExternalMetrics.accuracy(p[0], p[1]), 0.0, name + " acc");
    }
    // one side a single cluster, the other split: no shared information
    assertEquals(0.0, ExternalMetrics.ami(new int[] {1, 1, 1}, new int[] {0, 1, 2}), 0.0);
    assertEquals(0.0, ExternalMetrics.ami(new int[] {0, 1, 2}, new int[] {4, 4, 4}), 0.0);
  }

  @Test
  void contingencyTableKeepsSortedArbitraryIds() {
    int[] truth = {5, -2, 5, 9, -2, 5};
    int[] pred = {0, 2, 5, 5, 2, 0};
    ContingencyTable t = ContingencyTable.of(truth, pred);
    assertArrayEquals(new int[] {-2, 5, 9}, t.classIds());
    assertArrayEquals(new int[] {0, 2, 5}, t.clusterIds());
    assertArrayEquals(new int[][] {{0, 2, 0}, {2, 0, 1}, {0, 0, 1}}, t.toDense());
    assertArrayEquals(new int[] {2, 3, 1}, t.classSizes());
    assertArrayEquals(new int[] {2, 2, 2}, t.clusterSizes());
    assertEquals(2, t.count(1, 0));
    assertEquals(0, t.count(2, 1));
    assertEquals(4, t.nonZeroCells());
    assertEquals(6, t.n());
  }

  @Test
  void confusionMatrixWithMoreClustersThanClasses() {
    int[] truth = {0, 0, 0, 1, 1, 1};
    int[] pred = {7, 7, 3, 1, 1, 3};
    ConfusionMatrix cm = ExternalMetrics.confusionMatrix(truth, pred);
    assertArrayEquals(new int[] {1, 3, 7}, cm.clusterIds());
    assertArrayEquals(new int[][] {{0, 1, 2}, {2, 1, 0}}, cm.raw());
    // class 0 <-> cluster 7 (index 2), class 1 <-> cluster 1 (index 0), then unmatched cluster 3
    assertArrayEquals(new int[] {2, 0, 1}, cm.matchedColumnCluster());
    assertArrayEquals(new int[][] {{2, 0, 1}, {0, 2, 1}}, cm.matched());
    assertEquals(4, cm.matchedCorrect());
    assertEquals(4.0 / 6, ExternalMetrics.accuracy(truth, pred), 1e-15);
  }

  @Test
  void confusionMatrixWithFewerClustersThanClasses() {
    int[] truth = {0, 0, 1, 1, 2, 2};
    int[] pred = {4, 4, 4, 9, 9, 9};
    ConfusionMatrix cm = ExternalMetrics.confusionMatrix(truth, pred);
    assertEquals(3, cm.matched()[0].length);
    int emptyColumns = 0;
    for (int col : cm.matchedColumnCluster()) {
      emptyColumns += col < 0 ? 1 : 0;
    }
    assertEquals(1, emptyColumns);
    assertEquals(4, cm.matchedCorrect());
  }

  @Test
  void confusedPairsAfterMatchingLargestFirst() {
    // classes 1..3 (ids from 1); cluster 40 holds one image of class 3 and is matched to none
    int[] truth = new int[30];
    int[] pred = new int[30];
    int i = 0;
    int[][] cells = {{1, 10, 8}, {1, 20, 2}, {2, 20, 7}, {2, 10, 3}, {3, 30, 9}, {3, 40, 1}};
    for (int[] c : cells) {
      for (int j = 0; j < c[2]; j++, i++) {
        truth[i] = c[0];
        pred[i] = c[1];
      }
    }
    ConfusionMatrix cm = ExternalMetrics.confusionMatrix(truth, pred);
    assertEquals(
        java.util.List.of(
            new ConfusionMatrix.ConfusedPair(2, 1, 3, 0.3),
            new ConfusionMatrix.ConfusedPair(1, 2, 2, 0.2)),
        cm.confusedPairs(5));
    assertEquals(1, cm.confusedPairs(1).size());
    assertEquals(0, cm.confusedPairs(0).size());
    assertThrows(IllegalArgumentException.class, () -> cm.confusedPairs(-1));
    // a perfect clustering confuses nothing
    assertEquals(0, ExternalMetrics.confusionMatrix(truth, truth).confusedPairs(5).size());
  }

  @Test
  void emiAndLogFactorialsAreAccurate() {
    double[] lf = ExternalMetrics.logFactorials(200);
    double exact = 0;
    for (int m = 1; m <= 200; m++) {
      exact += Math.log(m);
      assertEquals(exact, lf[m], 1e-12 * Math.max(1, exact), "ln " + m + "!");
    }
  }

  @Test
  void mismatchedLengthsAreRejectedWithBothSizes() {
    int[] truth = {0, 1, 2};
    int[] pred = {0, 1};
    for (Runnable r :
        new Runnable[] {
          () -> ExternalMetrics.accuracy(truth, pred),
          () -> ExternalMetrics.nmi(truth, pred),
          () -> ExternalMetrics.ari(truth, pred),
          () -> ExternalMetrics.ami(truth, pred),
          () -> ExternalMetrics.purity(truth, pred),
          () -> ExternalMetrics.confusionMatrix(truth, pred),
        }) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage().contains("truth has 3 labels but pred has 2"), e.getMessage());
    }
  }

  @Test
  void emptyInputsFollowSklearnOrFailClearly() {
    int[] none = {};
    assertEquals(1.0, ExternalMetrics.nmi(none, none));
    assertEquals(1.0, ExternalMetrics.ari(none, none));
    assertEquals(1.0, ExternalMetrics.ami(none, none));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExternalMetrics.accuracy(none, none));
    assertTrue(e.getMessage().contains("at least one labeled sample"), e.getMessage());
  }
}
