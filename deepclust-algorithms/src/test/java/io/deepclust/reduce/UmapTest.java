package io.deepclust.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.WorkerPool;
import org.junit.jupiter.api.Test;

/**
 * UMAP against independently computed values (tools/fixtures/gen_umap.py: numpy for the graph,
 * scipy's curve_fit for a and b; umap-learn is not installed) and its behavioural contracts.
 */
class UmapTest {

  @Test
  void fuzzyGraphMatchesNumpyReference() {
    JsonNode f = UmapFixtures.json();
    int n = f.get("rows").asInt();
    int nNeighbors = f.get("n_neighbors").asInt();
    FloatMatrix x = UmapFixtures.matrix(f.get("x"), n, f.get("cols").asInt());
    KnnGraph knn =
        new ExactNeighbors(new BlockedMatrixProducts(1), 1).neighbours(x, nNeighbors - 1);
    FuzzySimplicialSet.Smooth s = FuzzySimplicialSet.smoothKnn(knn, nNeighbors, 1);
    for (int i = 0; i < n; i++) {
      double rho = f.get("rho").get(i).asDouble();
      double sigma = f.get("sigma").get(i).asDouble();
      assertEquals(rho, s.rho()[i], 1e-6 * Math.max(1, rho), "rho " + i);
      assertEquals(sigma, s.sigma()[i], 1e-5 * sigma, "sigma " + i);
    }
    // point 0 has an exact duplicate: rho skips the zero distance
    assertEquals(0f, knn.distance(0, 0));
    assertTrue(s.rho()[0] > 0);
    FuzzySimplicialSet.Graph g = FuzzySimplicialSet.build(knn);
    double[] expected = new double[n * n];
    JsonNode rows = f.get("w_row");
    for (int e = 0; e < rows.size(); e++) {
      expected[rows.get(e).asInt() * n + f.get("w_col").get(e).asInt()] =
          f.get("w_val").get(e).asDouble();
    }
    double[] actual = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int p = g.rowStart()[i]; p < g.rowStart()[i + 1]; p++) {
        actual[i * n + g.columns()[p]] = g.weights()[p];
      }
    }
    assertEquals(rows.size(), g.nnz(), "non-zero entries");
    for (int i = 0; i < n * n; i++) {
      assertEquals(expected[i], actual[i], 2e-6, "w[" + i / n + ", " + i % n + "]");
    }
  }

  @Test
  void curveParametersMatchScipyCurveFit() {
    for (JsonNode fit : UmapFixtures.json().get("curve_fits")) {
      UmapCurve c = UmapCurve.fit(fit.get("spread").asDouble(), fit.get("min_dist").asDouble());
      double a = fit.get("a").asDouble();
      double b = fit.get("b").asDouble();
      assertEquals(a, c.a(), 1e-4 * a, "a for " + fit);
      assertEquals(b, c.b(), 1e-4 * b, "b for " + fit);
    }
    assertThrows(IllegalArgumentException.class, () -> UmapCurve.fit(1, 1.5));
  }

  @Test
  void exactNeighboursMatchBruteForce() {
    FloatMatrix x = UmapFixtures.blobs(700, 7, 4, 3, 11);
    int k = 6;
    KnnGraph g = new ExactNeighbors(new BlockedMatrixProducts(2), 2).neighbours(x, k);
    for (int i = 0; i < x.rows(); i += 7) {
      double[] d = new double[x.rows()];
      Integer[] order = new Integer[x.rows()];
      for (int j = 0; j < d.length; j++) {
        double s = 0;
        for (int c = 0; c < x.cols(); c++) {
          double e = x.get(i, c) - x.get(j, c);
          s += e * e;
        }
        d[j] = j == i ? Double.POSITIVE_INFINITY : Math.sqrt(s);
        order[j] = j;
      }
      java.util.Arrays.sort(order, (p, q) -> Double.compare(d[p], d[q]));
      for (int s = 0; s < k; s++) {
        assertEquals(order[s], g.index(i, s), "neighbour " + s + " of " + i);
        assertEquals(d[order[s]], g.distance(i, s), 1e-5);
      }
    }
    FloatMatrix q = UmapFixtures.blobs(30, 7, 4, 3, 12);
    KnnGraph qg = new ExactNeighbors(new BlockedMatrixProducts(1), 1).query(x, q, 3);
    assertEquals(30, qg.rows());
    assertTrue(qg.distance(0, 0) <= qg.distance(0, 1));
  }

  @Test
  void nnDescentRecallAndThreadIndependence() {
    FloatMatrix x = UmapFixtures.blobs(6000, 10, 10, 2, 5);
    int k = 14;
    KnnGraph exact = new ExactNeighbors(new BlockedMatrixProducts(2), 2).neighbours(x, k);
    KnnGraph one = new NnDescent(NnDescent.Config.defaults(3, 1)).neighbours(x, k);
    KnnGraph two = new NnDescent(NnDescent.Config.defaults(3, 2)).neighbours(x, k);
    double recall = one.recall(exact);
    System.out.println("NN-descent recall on 6000 x 10, k = 14: " + recall);
    assertTrue(recall >= 0.95, "recall " + recall);
    assertArrayEquals(one.indices(), two.indices());
    assertArrayEquals(one.distances(), two.distances());
  }

  @Test
  void iterativeSpectralInitSpansTheDenseEigenvectors() {
    FloatMatrix x = UmapFixtures.blobs(1200, 6, 3, 1.5, 21);
    FuzzySimplicialSet.Graph g = exactGraph(x, 9, 2);
    assertEquals(1, SpectralInit.components(g));
    try (WorkerPool pool = new WorkerPool(2, "test")) {
      double[] dense = SpectralInit.layout(g, 2, 0, pool, true);
      double[] iterative = SpectralInit.layout(g, 2, 0, pool, false);
      System.out.println(
          "iterative spectral: rounds, residual "
              + java.util.Arrays.toString(SpectralInit.lastIterativeStats));
      int n = g.n();
      // each iterative vector lies in the span of the two dense ones (orthonormal columns)
      for (int c = 0; c < 2; c++) {
        double norm = 0;
        double projected = 0;
        for (int b = 0; b < 2; b++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += iterative[i * 2 + c] * dense[i * 2 + b];
          }
          projected += dot * dot;
        }
        for (int i = 0; i < n; i++) {
          norm += iterative[i * 2 + c] * iterative[i * 2 + c];
        }
        assertEquals(1.0, projected / norm, 1e-4, "vector " + c);
      }
    }
  }

  @Test
  void breadthFirstStorageGivesTheSameSpectralLayoutBitForBit() {
    // blobs interleaved point by point, so that the breadth-first order differs from theirs
    FloatMatrix x = UmapFixtures.blobs(3000, 8, 5, 2, 13);
    FuzzySimplicialSet.Graph g = exactGraph(x, 9, 2);
    double[] invSqrt = SpectralInit.invSqrtDegree(g);
    SpectralInit.Operator reordered = new SpectralInit.Operator(g, invSqrt, true);
    int moved = 0;
    for (int i = 0; i < g.n(); i++) {
      moved += reordered.pos[i] != i ? 1 : 0;
    }
    assertTrue(moved > g.n() / 2, "breadth-first order moved only " + moved + " points");
    try (WorkerPool one = new WorkerPool(1, "test");
        WorkerPool two = new WorkerPool(2, "test")) {
      double[] plain = SpectralInit.iterativeLayout(g, 3, invSqrt, 7, one, false);
      double[] stats = SpectralInit.lastIterativeStats;
      assertTrue(stats[0] >= 2, "only " + stats[0] + " rounds: too easy to tell orders apart");
      assertArrayEquals(plain, SpectralInit.iterativeLayout(g, 3, invSqrt, 7, one, true));
      // the stopping residual too: it is summed over the points in their order
      assertArrayEquals(stats, SpectralInit.lastIterativeStats);
      assertArrayEquals(plain, SpectralInit.iterativeLayout(g, 3, invSqrt, 7, two, true));
      assertArrayEquals(stats, SpectralInit.lastIterativeStats);
    }
  }

  @Test
  void gramSchmidtFallbackIsTheSameInAnyRowOrder() {
    // a block with two equal columns: Cholesky QR fails, Gram-Schmidt restarts one at random
    int n = 500;
    int m = 4;
    java.util.SplittableRandom fill = new java.util.SplittableRandom(3);
    double[] v = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < m; c++) {
        v[i * m + c] = c == 3 ? v[i * m + 1] : SpectralInit.gaussian(fill);
      }
    }
    int[] identity = java.util.stream.IntStream.range(0, n).toArray();
    int[] pos = identity.clone();
    java.util.SplittableRandom shuffle = new java.util.SplittableRandom(4);
    for (int i = n - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int t = pos[i];
      pos[i] = pos[j];
      pos[j] = t;
    }
    double[] stored = new double[n * m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(v, i * m, stored, pos[i] * m, m);
    }
    try (WorkerPool pool = new WorkerPool(2, "test")) {
      SpectralInit.orthonormalise(v, identity, m, new java.util.SplittableRandom(5), pool);
      SpectralInit.orthonormalise(stored, pos, m, new java.util.SplittableRandom(5), pool);
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < m; c++) {
        assertEquals(v[i * m + c], stored[pos[i] * m + c], 0.0, "point " + i + " column " + c);
      }
    }
    // orthonormal, and the repeated column was replaced
    double dot = 0;
    for (int i = 0; i < n; i++) {
      dot += v[i * m + 1] * v[i * m + 3];
    }
    assertEquals(0, dot, 1e-9);
  }

  @Test
  void disconnectedGraphHasNoSpectralLayoutAndFallsBack() {
    // two blobs 1000 sd apart: no neighbour crosses, two components
    FloatMatrix x = UmapFixtures.blobs(200, 3, 2, 1000, 4);
    FuzzySimplicialSet.Graph g = exactGraph(x, 5, 1);
    assertEquals(2, SpectralInit.components(g));
    try (WorkerPool pool = new WorkerPool(1, "test")) {
      assertNull(SpectralInit.layout(g, 2, 0, pool));
    }
    UmapModel m = new Umap(UmapConfig.defaults().withNNeighbors(6).withNEpochs(50)).fit(x);
    assertTrue(m.initUsed().startsWith("pca (graph has 2 components)"), m.initUsed());
    assertFinite(m.embedding());
  }

  @Test
  void seededFitIsRepeatableAndIndependentOfThreads() {
    FloatMatrix x = UmapFixtures.blobs(500, 8, 5, 3, 8);
    UmapConfig cfg = UmapConfig.defaults().withNEpochs(60).withSeed(42);
    FloatMatrix a = new Umap(cfg).fit(x).embedding();
    FloatMatrix b = new Umap(cfg).fit(x).embedding();
    FloatMatrix c = new Umap(cfg.withThreads(2)).fit(x).embedding();
    assertArrayEquals(a.data(), b.data());
    assertArrayEquals(a.data(), c.data());
    FloatMatrix other = new Umap(cfg.withSeed(43)).fit(x).embedding();
    assertTrue(!java.util.Arrays.equals(a.data(), other.data()), "another seed, another map");
    // the documented parallel mode runs and stays sane (not repeatable)
    assertFinite(new Umap(cfg.withThreads(2).withParallelLayout(true)).fit(x).embedding());
  }

  @Test
  void blockedLayoutIsIndependentOfThreadsAndMatchesTheSequentialOneWithOneBlock() {
    // 9,000 points: four blocks of rows, so moves across blocks are deferred to the syncs
    FloatMatrix x = UmapFixtures.blobs(9000, 6, 5, 3, 31);
    assertEquals(4, UmapLayout.blockCount(9000));
    assertEquals(1, UmapLayout.blockCount(4095));
    assertEquals(32, UmapLayout.blockCount(1_000_000));
    UmapConfig cfg = UmapConfig.defaults().withNEpochs(20).withSeed(7).withMinDist(0);
    UmapModel one = new Umap(cfg.withThreads(1)).fit(x);
    FloatMatrix two = new Umap(cfg.withThreads(2)).fit(x).embedding();
    FloatMatrix three = new Umap(cfg.withThreads(3)).fit(x).embedding();
    assertArrayEquals(one.embedding().data(), two.data(), "1 vs 2 threads");
    assertArrayEquals(one.embedding().data(), three.data(), "1 vs 3 threads");
    assertFinite(one.embedding());
    // the blocks are in use: one block (the sequential SGD) gives another map, at any thread count
    FloatMatrix sequential = new Umap(cfg.withThreads(1), 1).fit(x).embedding();
    assertArrayEquals(sequential.data(), new Umap(cfg.withThreads(2), 1).fit(x).embedding().data());
    assertTrue(!java.util.Arrays.equals(sequential.data(), one.embedding().data()));
    // and as good a map: each point's nearest embedded neighbour from its own blob
    assertTrue(nearestSameBlob(one.embedding(), one.embedding(), 5, true) >= 0.99);
    // parallel (Hogwild) on one thread runs the blocked layout
    assertArrayEquals(
        one.embedding().data(),
        new Umap(cfg.withThreads(1).withParallelLayout(true)).fit(x).embedding().data());
    // edges out of head-row order would break the blocks' ownership: refused
    try (WorkerPool pool = new WorkerPool(1, "test")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  UmapLayout.optimise(
                      new float[4],
                      new float[4],
                      2,
                      new int[] {1, 0},
                      new int[] {0, 1},
                      new double[] {1, 1},
                      false,
                      1,
                      UmapCurve.fit(1, 0.1),
                      1,
                      5,
                      1,
                      0,
                      pool,
                      false,
                      0));
      assertTrue(e.getMessage().contains("head-row order"), e.getMessage());
    }
    // transform of new points is blocked too, so it repeats at any thread count
    FloatMatrix fresh = UmapFixtures.blobs(5000, 6, 5, 3, 32);
    UmapModel oneTwo =
        UmapModel.restore(
            cfg.withThreads(2),
            one.data(),
            one.embedding(),
            one.curve(),
            one.epochs(),
            one.initUsed(),
            one.graphEdges());
    assertArrayEquals(one.transform(fresh).data(), oneTwo.transform(fresh).data());
  }

  @Test
  void minDistZeroIsStableAndSeparatesBlobs() {
    int clusters = 5;
    FloatMatrix x = UmapFixtures.blobs(1000, 10, clusters, 4, 9);
    UmapModel m =
        new Umap(UmapConfig.defaults().withMinDist(0).withNComponents(3).withNNeighbors(20)).fit(x);
    FloatMatrix y = m.embedding();
    assertFinite(y);
    assertEquals(500, m.epochs());
    assertTrue(m.curve().b() < 1, "min_dist 0 gives b < 1: " + m.curve());
    // every point's nearest embedded neighbour is from its own blob
    assertTrue(nearestSameBlob(y, y, clusters, true) >= 0.99);
    double t = Trustworthiness.of(x, y, 10, 2);
    assertTrue(t > 0.9, "trustworthiness " + t);
  }

  @Test
  void transformPlacesNewPointsNextToTheirBlob() {
    int clusters = 4;
    FloatMatrix all = UmapFixtures.blobs(660, 6, clusters, 4, 13);
    // first 600 fitted, last 60 new (i % clusters is still the blob)
    FloatMatrix fit = all.selectRows(java.util.stream.IntStream.range(0, 600).toArray());
    FloatMatrix fresh = all.selectRows(java.util.stream.IntStream.range(600, 660).toArray());
    UmapModel m = new Umap(UmapConfig.defaults().withNEpochs(100).withSeed(1)).fit(fit);
    assertArrayEquals(m.embedding().data(), m.transform(fit).data());
    assertArrayEquals(m.embedding().data(), m.transform(fit.copy()).data());
    FloatMatrix y = m.transform(fresh);
    assertEquals(60, y.rows());
    assertEquals(2, y.cols());
    assertFinite(y);
    int agree = 0;
    for (int i = 0; i < 60; i++) {
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int j = 0; j < 600; j++) {
        double d = sq(y, i, m.embedding(), j);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (best % clusters == (600 + i) % clusters) {
        agree++;
      }
    }
    assertTrue(agree >= 57, "new points next to their blob: " + agree + "/60");
    assertArrayEquals(y.data(), m.transform(fresh).data(), "transform is repeatable");
    assertThrows(IllegalArgumentException.class, () -> m.transform(FloatMatrix.zeros(2, 5)));
  }

  @Test
  void fittedRowsAmongNewOnesKeepTheirFittedCoordinates() {
    FloatMatrix all = UmapFixtures.blobs(460, 6, 4, 4, 21);
    int[] fitRows = java.util.stream.IntStream.range(0, 400).toArray();
    FloatMatrix fit = all.selectRows(fitRows);
    FloatMatrix fresh = all.selectRows(java.util.stream.IntStream.range(400, 460).toArray());
    UmapModel m = new Umap(UmapConfig.defaults().withNEpochs(60).withSeed(3)).fit(fit);
    // a batch mixing fitted rows (7, 123, 7, 399) with new ones: the fitted ones get exactly their
    // fitted coordinates, the new ones what transform gives them alone
    int[] mixRows = {7, 400, 123, 401, 7, 402, 399};
    FloatMatrix mix = all.selectRows(mixRows);
    FloatMatrix y = m.transform(mix);
    FloatMatrix alone = m.transform(all.selectRows(new int[] {400, 401, 402}));
    int fresh2 = 0;
    for (int r = 0; r < mixRows.length; r++) {
      float[] want = mixRows[r] < 400 ? m.embedding().row(mixRows[r]) : alone.row(fresh2++);
      assertArrayEquals(want, y.row(r), "row " + r);
    }
    // a restored model (as a bundle loads it) transforms as the original
    UmapModel back =
        UmapModel.restore(
            m.config(),
            m.data().copy(),
            m.embedding().copy(),
            m.curve(),
            m.epochs(),
            m.initUsed(),
            m.graphEdges());
    assertArrayEquals(m.transform(fresh).data(), back.transform(fresh).data());
    assertArrayEquals(m.embedding().data(), back.transform(fit.copy()).data());
  }

  @Test
  void parallelLayoutKeepsTheQualityOnRealMnist() {
    FloatMatrix x = mnistTestPca20(1000);
    UmapConfig cfg = UmapConfig.defaults().withNEpochs(150).withSeed(5).withThreads(4);
    FloatMatrix serial = new Umap(cfg).fit(x).embedding();
    FloatMatrix parallel = new Umap(cfg.withParallelLayout(true)).fit(x).embedding();
    assertFinite(parallel);
    double ts = Trustworthiness.of(x, serial, 10, 2);
    double tp = Trustworthiness.of(x, parallel, 10, 2);
    // a floor for a broken layout, and parallel no worse than serial by more than noise
    assertTrue(tp > 0.88 && tp > ts - 0.02, "trustworthiness parallel " + tp + ", serial " + ts);
  }

  @Test
  void blockedLayoutKeepsTheQualityOnRealMnist() {
    FloatMatrix x = mnistTestPca20(6144); // three blocks
    UmapConfig cfg = UmapConfig.defaults().withNEpochs(100).withSeed(5).withThreads(2);
    FloatMatrix sequential = new Umap(cfg, 1).fit(x).embedding();
    FloatMatrix blocked = new Umap(cfg).fit(x).embedding();
    assertEquals(3, UmapLayout.blockCount(6144));
    double ts = Trustworthiness.of(x, sequential, 10, 2);
    double tb = Trustworthiness.of(x, blocked, 10, 2);
    // a floor for a broken layout, and blocked no worse than sequential by more than noise
    assertTrue(tb > 0.9 && tb > ts - 0.005, "trustworthiness blocked " + tb + ", sequential " + ts);
  }

  /** PCA-20 of the first {@code rows} MNIST test images; skips the test without the data. */
  private static FloatMatrix mnistTestPca20(int rows) {
    String root = System.getenv(io.deepclust.data.DataLocator.ENV_DATA);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        root != null && java.nio.file.Files.isDirectory(java.nio.file.Path.of(root)),
        "DEEPCLUST_DATA not set: real-data test skipped");
    io.deepclust.data.DataLocator locator =
        new io.deepclust.data.DataLocator(
            null, java.util.Map.of(io.deepclust.data.DataLocator.ENV_DATA, root));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        locator.find(io.deepclust.data.DatasetRegistry.MNIST).isPresent(), "no mnist");
    FloatMatrix pixels =
        io.deepclust.data.DatasetLoader.load("mnist", io.deepclust.data.Split.TEST, locator)
            .pixels()
            .selectRows(java.util.stream.IntStream.range(0, rows).toArray());
    return new Pca(new PcaConfig(20, false)).fitTransform(pixels);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Umap(UmapConfig.defaults()).fit(UmapFixtures.blobs(10, 3, 2, 1, 1)));
    FloatMatrix x = UmapFixtures.blobs(50, 3, 2, 1, 1);
    x.set(3, 1, Float.NaN);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Umap(UmapConfig.defaults()).fit(x));
    assertTrue(e.getMessage().contains("row 3 column 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> UmapConfig.defaults().withMinDist(2));
    assertThrows(IllegalArgumentException.class, () -> UmapConfig.defaults().withNNeighbors(1));
  }

  @Test
  void trustworthinessMatchesScikitLearn() {
    JsonNode f = UmapFixtures.json();
    FloatMatrix x = UmapFixtures.matrix(f.get("trust_x"), 150, f.get("trust_cols").asInt());
    FloatMatrix y = UmapFixtures.matrix(f.get("trust_y"), 150, 2);
    JsonNode expected = f.get("trustworthiness");
    for (int k : new int[] {1, 5, 12}) {
      assertEquals(
          expected.get(String.valueOf(k)).asDouble(),
          Trustworthiness.of(x, y, k, 2),
          1e-12,
          "k " + k);
    }
    assertEquals(1.0, Trustworthiness.of(x, x, 5, 1), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Trustworthiness.of(x, y, 75, 1));
    assertNotNull(x);
  }

  static double nearestSameBlob(FloatMatrix y, FloatMatrix ref, int clusters, boolean self) {
    int hits = 0;
    for (int i = 0; i < y.rows(); i++) {
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int j = 0; j < ref.rows(); j++) {
        if (self && j == i) {
          continue;
        }
        double d = sq(y, i, ref, j);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (best % clusters == i % clusters) {
        hits++;
      }
    }
    return hits / (double) y.rows();
  }

  static double sq(FloatMatrix a, int i, FloatMatrix b, int j) {
    double s = 0;
    for (int c = 0; c < a.cols(); c++) {
      double e = a.get(i, c) - b.get(j, c);
      s += e * e;
    }
    return s;
  }

  static void assertFinite(FloatMatrix m) {
    for (float v : m.data()) {
      assertTrue(Float.isFinite(v), "non-finite coordinate");
    }
  }

  /** The fuzzy graph of the exact {@code k} nearest neighbours. */
  private static FuzzySimplicialSet.Graph exactGraph(FloatMatrix x, int k, int threads) {
    return FuzzySimplicialSet.build(
        new ExactNeighbors(new BlockedMatrixProducts(threads), threads).neighbours(x, k));
  }
}
