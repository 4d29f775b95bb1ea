package io.deepclust.reduce;

import io.deepclust.linalg.FloatMatrix;

/**
 * Exact k nearest neighbours by blocked brute force: squared Euclidean distances between a block of
 * query rows and a block of reference rows (both cache-resident), kept in a bounded max-heap per
 * query. O(n^2 d) time, O(n k) memory; about 1 s per 10k x 50 points on one core. Ties go to the
 * smaller index, so the result is fully determined by the data.
 */
final class TsneNeighbors {
  private static final int QUERY_BLOCK = 32;
  private static final int REF_BLOCK = 512;

  /** Neighbour indices, n x k row-major, nearest first. */
  final int[] indices;

  /** Squared distances matching {@link #indices}. */
  final float[] distances;

  final int k;

  private TsneNeighbors(int[] indices, float[] distances, int k) {
    this.indices = indices;
    this.distances = distances;
    this.k = k;
  }

  /** The {@code k} nearest other rows of every row of {@code x} ({@code 1 <= k < n}). */
  static TsneNeighbors exact(FloatMatrix x, int k, TsneWorkers workers) {
    int n = x.rows();
    if (k < 1 || k >= n) {
      throw new IllegalArgumentException(
          "k = " + k + " neighbours impossible for " + n + " points");
    }
    int[] idx = new int[n * k];
    float[] dist = new float[n * k];
    int blocks = (n + QUERY_BLOCK - 1) / QUERY_BLOCK;
    workers.forRange(
        blocks,
        1,
        (fromBlock, toBlock) -> {
          float[] tile = new float[QUERY_BLOCK * REF_BLOCK];
          for (int b = fromBlock; b < toBlock; b++) {
            int q0 = b * QUERY_BLOCK;
            int q1 = Math.min(n, q0 + QUERY_BLOCK);
            searchBlock(x, k, q0, q1, idx, dist, tile);
          }
        });
    return new TsneNeighbors(idx, dist, k);
  }

  private static void searchBlock(
      FloatMatrix x, int k, int q0, int q1, int[] idx, float[] dist, float[] tile) {
    int n = x.rows();
    int d = x.cols();
    float[] data = x.data();
    int[] size = new int[q1 - q0];
    for (int r0 = 0; r0 < n; r0 += REF_BLOCK) {
      int r1 = Math.min(n, r0 + REF_BLOCK);
      int width = r1 - r0;
      for (int q = q0; q < q1; q++) {
        int qo = q * d;
        int to = (q - q0) * REF_BLOCK;
        for (int r = r0; r < r1; r++) {
          tile[to + r - r0] = squaredDistance(data, qo, r * d, d);
        }
      }
      for (int q = q0; q < q1; q++) {
        int heap = q * k;
        int to = (q - q0) * REF_BLOCK;
        int s = size[q - q0];
        for (int c = 0; c < width; c++) {
          int r = r0 + c;
          if (r == q) {
            continue;
          }
          float v = tile[to + c];
          if (s < k) {
            siftUp(idx, dist, heap, s, r, v);
            s++;
          } else if (v < dist[heap]) {
            // strictly closer than the current k-th: references arrive in index order, so on
            // equal distances the earlier (smaller) index stays
            siftDown(idx, dist, heap, k, r, v);
          }
        }
        size[q - q0] = s;
      }
    }
    for (int q = q0; q < q1; q++) {
      sortAscending(idx, dist, q * k, k);
    }
  }

  /** Sum of squared differences with four independent accumulators for instruction parallelism. */
  static float squaredDistance(float[] a, int ao, int bo, int d) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < d; j += 4) {
      float e0 = a[ao + j] - a[bo + j];
      float e1 = a[ao + j + 1] - a[bo + j + 1];
      float e2 = a[ao + j + 2] - a[bo + j + 2];
      float e3 = a[ao + j + 3] - a[bo + j + 3];
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    for (; j < d; j++) {
      float e = a[ao + j] - a[bo + j];
      s0 += e * e;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Max-heap on (distance, index) stored at {@code [base, base + size)}. */
  private static boolean greater(float da, int ia, float db, int ib) {
    return da > db || (da == db && ia > ib);
  }

  private static void siftUp(int[] idx, float[] dist, int base, int pos, int r, float v) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!greater(v, r, dist[base + parent], idx[base + parent])) {
        break;
      }
      idx[base + pos] = idx[base + parent];
      dist[base + pos] = dist[base + parent];
      pos = parent;
    }
    idx[base + pos] = r;
    dist[base + pos] = v;
  }

  /** Replaces the root with (r, v) and restores the heap. */
  private static void siftDown(int[] idx, float[] dist, int base, int size, int r, float v) {
    int pos = 0;
    while (true) {
      int child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      int right = child + 1;
      if (right < size
          && greater(
              dist[base + right], idx[base + right], dist[base + child], idx[base + child])) {
        child = right;
      }
      if (!greater(dist[base + child], idx[base + child], v, r)) {
        break;
      }
      idx[base + pos] = idx[base + child];
      dist[base + pos] = dist[base + child];
      pos = child;
    }
    idx[base + pos] = r;
    dist[base + pos] = v;
  }

  /** Heap order to ascending (distance, index) by repeated extraction of the maximum. */
  private static void sortAscending(int[] idx, float[] dist, int base, int size) {
    for (int end = size - 1; end > 0; end--) {
      int topI = idx[base];
      float topD = dist[base];
      int lastI = idx[base + end];
      float lastD = dist[base + end];
      siftDown(idx, dist, base, end, lastI, lastD);
      idx[base + end] = topI;
      dist[base + end] = topD;
    }
  }
}
