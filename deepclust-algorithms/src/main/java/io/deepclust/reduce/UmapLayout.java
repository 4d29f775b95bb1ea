package io.deepclust.reduce;

import io.deepclust.util.WorkerPool;

/**
 * UMAP's stochastic gradient descent on the fuzzy cross-entropy between the graph and the embedding
 * (McInnes et al. 2018, section 3.2 and Algorithm 5), with umap-learn's schedule: edge e with
 * weight {@code w_e} is sampled every {@code max(w) / w_e} epochs (edges below {@code max(w) /
 * nEpochs} are dropped beforehand by the caller); each sample moves the head (and, in a fit, the
 * tail) along the attractive gradient {@code -2ab d^(2(b-1)) / (1 + a d^(2b))} and draws {@code
 * negativeSampleRate} random points per sample for the repulsive gradient {@code 2 gamma b /
 * ((0.001 + d^2)(1 + a d^(2b)))}; each gradient coordinate is clipped to [-4, 4] and scaled by the
 * learning rate, which decays linearly to 0 over the epochs.
 *
 * <p>Clipping keeps the map finite for {@code min_dist = 0}, where {@code b < 1} makes the
 * attraction singular at d = 0; coincident points (d = 0) neither attract nor repel.
 *
 * <p>Negative samples come from a counter-based generator keyed by (seed, epoch, edge, draw), so
 * the sequence of samples does not depend on threads.
 *
 * <p><b>Blocked layout (the default).</b> The head rows are split into fixed blocks ({@link
 * #blockCount}: one below 4,096 points, else one per 2,048 points, at most 32), a function of the
 * number of points alone. Each epoch runs in {@value #SYNCS_PER_EPOCH} steps; in a step every block
 * processes the next quarter of its own edges (edges are in head-row order) in order, blocks
 * concurrently on the pool's threads. A block reads and writes its own rows live; it reads other
 * blocks' rows from a copy taken at the last sync, and defers its moves of other blocks' rows
 * (tails) to the sync, where they are added block by block in the order they were made. So no
 * thread reads a row another is writing, and the result is the same bit for bit at any thread
 * count. With one block this is exactly the project's earlier sequential SGD (umap-learn's
 * algorithm, with this class's negative-sample generator); with several, a point sees the moves
 * other blocks made to its neighbours up to a quarter of an epoch late (umap-learn's own parallel
 * mode has such lags too, at random). On 70,000 MNIST points on 2 idle cores the blocked layout
 * took 40-63 % of the sequential time (no gain when another process holds one of the cores), and
 * N2D's clustering after it scored as after the sequential one (docs/RESULTS.md, "Our UMAP").
 *
 * <p><b>Hogwild</b> ({@code parallel}, with more than one thread): each epoch's edges split into
 * contiguous ranges processed concurrently, writing the shared embedding without locks, as
 * umap-learn's {@code parallel=True}; not repeatable. With one thread {@code parallel} runs the
 * blocked layout.
 */
final class UmapLayout {
  private static final float CLIP = 4f;
  private static final int ROWS_PER_BLOCK = 2048;
  private static final int MAX_BLOCKS = 32;
  private static final int SYNCS_PER_EPOCH = 4;

  private UmapLayout() {}

  /**
   * Runs the SGD in place on {@code head} (and on {@code tail} when {@code moveOther}).
   *
   * @param head {@code nHead x dim} coordinates being optimised
   * @param tail {@code nTail x dim}; the same array as {@code head} in a fit
   * @param heads edge heads (rows of {@code head}), in non-decreasing order
   * @param tails edge tails (rows of {@code tail})
   * @param epochsPerSample per edge, {@code max(w) / w_e >= 1}
   * @param parallel Hogwild instead of the blocked layout when the pool has more than one thread
   *     (see the class comment); with one thread the blocked layout runs
   * @param layoutBlocks blocks of the blocked layout; 0 = {@link #blockCount} (tests pick others)
   */
  static void optimise(
      float[] head,
      float[] tail,
      int dim,
      int[] heads,
      int[] tails,
      double[] epochsPerSample,
      boolean moveOther,
      int nEpochs,
      UmapCurve curve,
      double learningRate,
      int negativeSampleRate,
      double gamma,
      long seed,
      WorkerPool pool,
      boolean parallel,
      int layoutBlocks) {
    Sgd sgd =
        new Sgd(
            head,
            tail,
            dim,
            heads,
            tails,
            epochsPerSample,
            negativeSampleRate,
            moveOther,
            curve,
            gamma,
            seed);
    if (parallel && pool.threads() > 1) {
      // umap-learn's parallel=True: edge ranges on all threads, every row read and written live
      for (int epoch = 0; epoch < nEpochs; epoch++) {
        float lr = rate(learningRate, epoch, nEpochs);
        int ep = epoch;
        pool.forRange(
            heads.length, 4096, (from, to) -> sgd.run(from, to, ep, lr, tail, 0, sgd.nTail, null));
      }
      return;
    }
    int edges = heads.length;
    for (int e = 1; e < edges; e++) {
      if (heads[e] < heads[e - 1]) {
        // a block owns a contiguous range of edges only when they are in head-row order
        throw new IllegalArgumentException(
            "UMAP layout: edge "
                + e
                + " has head "
                + heads[e]
                + " after "
                + heads[e - 1]
                + "; edges must be in head-row order");
      }
    }
    int nHead = head.length / dim;
    int blocks = layoutBlocks > 0 ? Math.min(layoutBlocks, Math.max(1, nHead)) : blockCount(nHead);
    int[] rowLo = new int[blocks + 1];
    int[] edgeLo = new int[blocks + 1];
    for (int k = 0; k <= blocks; k++) {
      rowLo[k] = (int) ((long) k * nHead / blocks);
      edgeLo[k] = k == blocks ? edges : firstEdgeOfRow(heads, rowLo[k]);
    }
    // rows of other blocks are read from this copy, refreshed at each sync, so that no block
    // reads a row another thread is writing; an immutable tail (transform) needs no copy
    boolean copy = sgd.sameArrays ? blocks > 1 : moveOther;
    float[] snapshot = copy ? tail.clone() : tail;
    Deferred[] deferred = new Deferred[blocks];
    for (int k = 0; k < blocks; k++) {
      deferred[k] = new Deferred(dim);
    }
    for (int epoch = 0; epoch < nEpochs; epoch++) {
      float lr = rate(learningRate, epoch, nEpochs);
      int ep = epoch;
      for (int s = 0; s < SYNCS_PER_EPOCH; s++) {
        int step = s;
        pool.forEach(
            blocks,
            k -> {
              int span = edgeLo[k + 1] - edgeLo[k];
              int from = edgeLo[k] + (int) ((long) span * step / SYNCS_PER_EPOCH);
              int to = edgeLo[k] + (int) ((long) span * (step + 1) / SYNCS_PER_EPOCH);
              boolean own = sgd.sameArrays;
              sgd.run(
                  from,
                  to,
                  ep,
                  lr,
                  snapshot,
                  own ? rowLo[k] : 0,
                  own ? rowLo[k + 1] : 0,
                  deferred[k]);
            });
        if (copy) {
          // block order, then each block's order: the same sums at any thread count
          for (Deferred d : deferred) {
            d.applyTo(tail);
          }
          System.arraycopy(tail, 0, snapshot, 0, tail.length);
        }
      }
    }
  }

  /**
   * umap-learn's schedule: the initial rate in epochs 0 and 1, then {@code learningRate (1 - (epoch
   * - 1) / nEpochs)}, linear towards 0.
   */
  private static float rate(double learningRate, int epoch, int nEpochs) {
    return (float)
        (epoch == 0 ? learningRate : learningRate * (1.0 - (double) (epoch - 1) / nEpochs));
  }

  /**
   * Blocks of head rows for {@code n} points: one below 4,096 points (then the layout is exactly
   * the sequential SGD), else one per 2,048 points, at most 32; a function of {@code n} alone, so
   * that the result does not depend on the number of threads.
   */
  static int blockCount(int n) {
    return Math.max(1, Math.min(MAX_BLOCKS, n / ROWS_PER_BLOCK));
  }

  /** Index of the first edge whose head is at least {@code row} (heads are in row order). */
  private static int firstEdgeOfRow(int[] heads, int row) {
    int lo = 0;
    int hi = heads.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (heads[mid] < row) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The SGD's state shared by all blocks (each edge's schedule is touched by its block only). */
  private static final class Sgd {
    final float[] head;
    final float[] tail;
    final int dim;
    final int[] heads;
    final int[] tails;
    final double[] epochsPerSample;
    final double[] epochsPerNegative;
    final double[] nextSample;
    final double[] nextNegative;
    final boolean moveOther;
    final boolean sameArrays;
    final int nTail;
    final float a;
    final float b;
    final double gamma;
    final long seed;

    Sgd(
        float[] head,
        float[] tail,
        int dim,
        int[] heads,
        int[] tails,
        double[] epochsPerSample,
        int negativeSampleRate,
        boolean moveOther,
        UmapCurve curve,
        double gamma,
        long seed) {
      this.head = head;
      this.tail = tail;
      this.dim = dim;
      this.heads = heads;
      this.tails = tails;
      this.epochsPerSample = epochsPerSample;
      int edges = heads.length;
      this.epochsPerNegative = new double[edges];
      this.nextSample = epochsPerSample.clone();
      this.nextNegative = new double[edges];
      for (int e = 0; e < edges; e++) {
        epochsPerNegative[e] = epochsPerSample[e] / negativeSampleRate;
        nextNegative[e] = epochsPerNegative[e];
      }
      this.moveOther = moveOther;
      this.sameArrays = head == tail;
      this.nTail = tail.length / dim;
      this.a = (float) curve.a();
      this.b = (float) curve.b();
      this.gamma = gamma;
      this.seed = seed;
    }

    /**
     * Edges {@code [from, to)} of epoch {@code ep}, all with heads in one block's rows:
     * umap-learn's per-sample updates (see the class comment; no allocation, one {@code pow} per
     * sample), except that a tail or negative sample outside the block's own rows {@code [ownLo,
     * ownHi)} is read from {@code snapshot}, and a tail move outside them is deferred to the next
     * sync. Hogwild passes every row as its own.
     */
    void run(
        int from,
        int to,
        int ep,
        float lr,
        float[] snapshot,
        int ownLo,
        int ownHi,
        Deferred deferred) {
      // locals, so that the JIT keeps them in registers through the array writes
      float[] head = this.head;
      float[] tail = this.tail;
      int[] heads = this.heads;
      int[] tails = this.tails;
      double[] nextSample = this.nextSample;
      double[] nextNegative = this.nextNegative;
      int dim = this.dim;
      float a = this.a;
      float b = this.b;
      double twoAb = -2.0 * a * b;
      double twoGammaB = 2.0 * gamma * b;
      for (int e = from; e < to; e++) {
        if (nextSample[e] > ep) {
          continue;
        }
        int cj = heads[e] * dim;
        int k = tails[e];
        int ck = k * dim;
        boolean own = k >= ownLo && k < ownHi;
        float[] t = own ? tail : snapshot;
        float d2 = 0;
        for (int c = 0; c < dim; c++) {
          float diff = head[cj + c] - t[ck + c];
          d2 += diff * diff;
        }
        if (d2 > 0) {
          // d^(2(b-1)) = d^(2b) / d^2: one pow per sample
          double pb = Math.pow(d2, b);
          double coeff = twoAb * (pb / d2) / (a * pb + 1.0);
          if (moveOther && own) {
            for (int c = 0; c < dim; c++) {
              float g = clip((float) (coeff * (head[cj + c] - tail[ck + c]))) * lr;
              head[cj + c] += g;
              tail[ck + c] -= g;
            }
          } else if (moveOther) {
            float[] move = deferred.add(k);
            int at = deferred.offset();
            for (int c = 0; c < dim; c++) {
              float g = clip((float) (coeff * (head[cj + c] - snapshot[ck + c]))) * lr;
              head[cj + c] += g;
              move[at + c] = -g;
            }
          } else {
            for (int c = 0; c < dim; c++) {
              head[cj + c] += clip((float) (coeff * (head[cj + c] - t[ck + c]))) * lr;
            }
          }
        }
        nextSample[e] += epochsPerSample[e];
        int negatives = (int) ((ep - nextNegative[e]) / epochsPerNegative[e]);
        int j = heads[e];
        for (int p = 0; p < negatives; p++) {
          int other = negativeIndex(seed, ep, e, p, nTail);
          if (sameArrays && other == j) {
            continue;
          }
          int co = other * dim;
          float[] o = other >= ownLo && other < ownHi ? tail : snapshot;
          float n2 = 0;
          for (int c = 0; c < dim; c++) {
            float diff = head[cj + c] - o[co + c];
            n2 += diff * diff;
          }
          if (n2 > 0) {
            double coeff = twoGammaB / ((0.001 + n2) * (a * Math.pow(n2, b) + 1.0));
            for (int c = 0; c < dim; c++) {
              head[cj + c] += clip((float) (coeff * (head[cj + c] - o[co + c]))) * lr;
            }
          }
        }
        nextNegative[e] += negatives * epochsPerNegative[e];
      }
    }
  }

  /** One block's tail moves since the last sync, in the order they were made. */
  private static final class Deferred {
    private final int dim;
    private int[] rows = new int[256];
    private float[] moves;
    private int count;

    Deferred(int dim) {
      this.dim = dim;
      this.moves = new float[rows.length * dim];
    }

    /** Reserves a move of {@code row}; write it at {@link #offset()} of the returned array. */
    float[] add(int row) {
      if (count == rows.length) {
        rows = java.util.Arrays.copyOf(rows, count * 2);
        moves = java.util.Arrays.copyOf(moves, count * 2 * dim);
      }
      rows[count++] = row;
      return moves;
    }

    /** Where the move reserved last starts in the array {@link #add} returned. */
    int offset() {
      return (count - 1) * dim;
    }

    void applyTo(float[] y) {
      for (int i = 0; i < count; i++) {
        int at = rows[i] * dim;
        int m = i * dim;
        for (int c = 0; c < dim; c++) {
          y[at + c] += moves[m + c];
        }
      }
      count = 0;
    }
  }

  private static float clip(float v) {
    return v > CLIP ? CLIP : (v < -CLIP ? -CLIP : v);
  }

  /** A uniform index in {@code [0, n)} from (seed, epoch, edge, draw): SplitMix64's finaliser. */
  static int negativeIndex(long seed, int epoch, int edge, int draw, int n) {
    long z =
        seed
            + epoch * 0x9E3779B97F4A7C15L
            + edge * 0xC2B2AE3D27D4EB4FL
            + draw * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) (((z >>> 32) * n) >>> 32);
  }
}
