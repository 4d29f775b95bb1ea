package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.util.WorkerPool;
import java.util.SplittableRandom;

/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses and Li 2011, "Efficient k-nearest
 * neighbor graph construction for generic similarity measures", WWW; the algorithm behind
 * pynndescent, which umap-learn uses): start from random neighbours; repeatedly, for each point,
 * compare the pairs among its sampled neighbours and reverse neighbours ("a neighbour of a
 * neighbour is likely a neighbour") and keep the closer ones; stop when fewer than {@code delta n
 * k} heap entries change in an iteration.
 *
 * <p>Each iteration samples at most {@code maxCandidates} "new" and "old" candidates per point by
 * random priority (pynndescent's scheme); only pairs with at least one new candidate are compared.
 * The distances of a chunk of points are computed in parallel against a frozen state and applied
 * afterwards in point order, so the graph depends on the seed alone, never on {@code threads}.
 */
public final class NnDescent implements NearestNeighbors {

  /**
   * Settings.
   *
   * @param maxCandidates candidates sampled per point and iteration; 0 = {@code min(60, k)}, as
   *     pynndescent
   * @param maxIterations iteration cap; 0 = {@code max(5, round(log2 n))}, as pynndescent
   * @param delta stop when fewer than {@code delta n k} entries change (pynndescent: 0.001)
   * @param seed seed of the random start and the sampling
   * @param threads distance threads, at least 1; results do not depend on it
   */
  public record Config(int maxCandidates, int maxIterations, double delta, long seed, int threads) {
    /** Checks ranges. */
    public Config {
      if (maxCandidates < 0 || maxIterations < 0 || !(delta >= 0) || threads < 1) {
        throw new IllegalArgumentException(
            "NN-descent settings invalid: maxCandidates "
                + maxCandidates
                + ", maxIterations "
                + maxIterations
                + " (0 = auto, else positive), delta "
                + delta
                + " (>= 0), threads "
                + threads
                + " (>= 1)");
      }
    }

    /** pynndescent's defaults. */
    public static Config defaults(long seed, int threads) {
      return new Config(0, 0, 0.001, seed, threads);
    }
  }

  /** Distance computations buffered per chunk before they are applied (~24 MB). */
  private static final int PAIR_BUFFER = 1 << 21;

  private final Config config;

  public NnDescent(Config config) {
    this.config = config;
  }

  /** Iterations run by the last {@link #neighbours} call on this instance (for benches). */
  private volatile int lastIterations;

  public int lastIterations() {
    return lastIterations;
  }

  @Override
  public KnnGraph neighbours(FloatMatrix x, int k) {
    int n = x.rows();
    NearestNeighbors.checkK(n, k);
    int d = x.cols();
    float[] data = x.data();
    int mc = config.maxCandidates() > 0 ? config.maxCandidates() : Math.min(60, k);
    int maxIter =
        config.maxIterations() > 0
            ? config.maxIterations()
            : Math.max(5, (int) Math.round(Math.log(n) / Math.log(2)));
    SplittableRandom rng = Seeds.stream(config.seed(), "nn-descent");
    NeighborHeaps heaps = new NeighborHeaps(n, k);
    // random start: k distinct others per point
    for (int i = 0; i < n; i++) {
      int added = 0;
      while (added < k) {
        int j = rng.nextInt(n - 1);
        if (j >= i) {
          j++;
        }
        if (heaps.push(i, NeighborHeaps.squaredDistance(data, i * d, data, j * d, d), j, true)) {
          added++;
        }
      }
    }
    int iterations = 0;
    long sampleSeed = Seeds.mix(config.seed(), "nn-descent-sample");
    try (WorkerPool pool = new WorkerPool(config.threads(), "nn-descent")) {
      for (int it = 0; it < maxIter; it++) {
        iterations++;
        NeighborHeaps fresh = new NeighborHeaps(n, mc);
        NeighborHeaps old = new NeighborHeaps(n, mc);
        sampleCandidates(heaps, fresh, old, sampleSeed, it, pool);
        long updates = localJoin(heaps, fresh, old, data, d, pool);
        if (updates <= config.delta() * n * k) {
          break;
        }
      }
    }
    lastIterations = iterations;
    return heaps.toGraph();
  }

  /**
   * Fills each point's new and old candidate lists with its neighbours and reverse neighbours
   * (random priorities keep a uniform sample of at most {@code mc}), then marks the sampled new
   * neighbours old. Priorities come from a counter-based hash of (seed, iteration, slot), and each
   * worker fills only the lists of its own range of points, scanning all slots in order, so the
   * lists are the same for any number of threads.
   */
  private static void sampleCandidates(
      NeighborHeaps heaps,
      NeighborHeaps fresh,
      NeighborHeaps old,
      long seed,
      int iteration,
      WorkerPool pool) {
    int n = heaps.n;
    int k = heaps.k;
    int mc = fresh.k;
    int perWorker = (n + pool.threads() - 1) / pool.threads();
    pool.forRange(
        n,
        perWorker,
        (lo, hi) -> {
          for (int i = 0; i < n; i++) {
            boolean ownI = i >= lo && i < hi;
            for (int s = 0; s < k; s++) {
              int slot = i * k + s;
              int j = heaps.indices[slot];
              if (j < 0 || !(ownI || (j >= lo && j < hi))) {
                continue;
              }
              float priority = priority(seed, iteration, slot);
              NeighborHeaps target = heaps.flags[slot] != 0 ? fresh : old;
              if (ownI) {
                target.push(i, priority, j, false);
              }
              if (j >= lo && j < hi) {
                target.push(j, priority, i, false);
              }
            }
          }
        });
    pool.forRange(
        n,
        1024,
        (lo, hi) -> {
          for (int i = lo; i < hi; i++) {
            for (int s = 0; s < k; s++) {
              int slot = i * k + s;
              if (heaps.flags[slot] == 0) {
                continue;
              }
              int j = heaps.indices[slot];
              for (int c = 0; c < mc; c++) {
                if (fresh.indices[i * mc + c] == j) {
                  heaps.flags[slot] = 0;
                  break;
                }
              }
            }
          }
        });
  }

  /** A uniform priority in [0, 1) from (seed, iteration, slot): SplitMix64's finaliser. */
  static float priority(long seed, int iteration, int slot) {
    long z = seed + iteration * 0x9E3779B97F4A7C15L + slot * 0xC2B2AE3D27D4EB4FL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 40) * 0x1.0p-24f;
  }

  /** Compares new x new and new x old candidate pairs of every point; returns heap changes. */
  private static long localJoin(
      NeighborHeaps heaps,
      NeighborHeaps fresh,
      NeighborHeaps old,
      float[] data,
      int d,
      WorkerPool pool) {
    int n = heaps.n;
    int mc = fresh.k;
    int maxPairs = mc * (mc - 1) / 2 + mc * mc;
    int chunk = Math.max(1, Math.min(n, PAIR_BUFFER / maxPairs));
    int[] pa = new int[chunk * maxPairs];
    int[] pb = new int[chunk * maxPairs];
    float[] pd = new float[chunk * maxPairs];
    int[] counts = new int[chunk];
    java.util.concurrent.atomic.LongAdder updates = new java.util.concurrent.atomic.LongAdder();
    for (int c0 = 0; c0 < n; c0 += chunk) {
      int c1 = Math.min(n, c0 + chunk);
      int base = c0;
      pool.forRange(
          c1 - c0,
          64,
          (from, to) -> {
            for (int t = from; t < to; t++) {
              counts[t] = pairsOf(base + t, heaps, fresh, old, data, d, t * maxPairs, pa, pb, pd);
            }
          });
      int rows = c1 - c0;
      // each worker updates only the heaps of its own range of points, taking the pairs in the
      // serial order, so the result is the serial one for any number of threads
      pool.forRange(
          n,
          (n + pool.threads() - 1) / pool.threads(),
          (lo, hi) -> {
            long own = 0;
            for (int t = 0; t < rows; t++) {
              int off = t * maxPairs;
              for (int p = 0; p < counts[t]; p++) {
                int a = pa[off + p];
                int b = pb[off + p];
                if (a >= lo && a < hi && heaps.push(a, pd[off + p], b, true)) {
                  own++;
                }
                if (b >= lo && b < hi && heaps.push(b, pd[off + p], a, true)) {
                  own++;
                }
              }
            }
            updates.add(own);
          });
    }
    return updates.sum();
  }

  /** The promising candidate pairs of point {@code i}, written from {@code off}; their count. */
  private static int pairsOf(
      int i,
      NeighborHeaps heaps,
      NeighborHeaps fresh,
      NeighborHeaps old,
      float[] data,
      int d,
      int off,
      int[] pa,
      int[] pb,
      float[] pd) {
    int mc = fresh.k;
    int count = 0;
    int fb = i * mc;
    for (int u = 0; u < mc; u++) {
      int a = fresh.indices[fb + u];
      if (a < 0) {
        continue;
      }
      float worstA = heaps.worst(a);
      for (int v = u + 1; v < mc; v++) {
        int b = fresh.indices[fb + v];
        if (b < 0 || b == a) {
          continue;
        }
        float dist = NeighborHeaps.squaredDistance(data, a * d, data, b * d, d);
        if (dist < worstA || dist < heaps.worst(b)) {
          pa[off + count] = a;
          pb[off + count] = b;
          pd[off + count] = dist;
          count++;
        }
      }
      for (int v = 0; v < mc; v++) {
        int b = old.indices[fb + v];
        if (b < 0 || b == a) {
          continue;
        }
        float dist = NeighborHeaps.squaredDistance(data, a * d, data, b * d, d);
        if (dist < worstA || dist < heaps.worst(b)) {
          pa[off + count] = a;
          pb[off + count] = b;
          pd[off + count] = dist;
          count++;
        }
      }
    }
    return count;
  }
}
