package io.deepclust.reduce;

import java.util.Arrays;

/**
 * One bounded max-heap of {@code k} (squared distance, index, flag) entries per point in flat
 * arrays, the working store of the kNN searches. Heaps start full of sentinels (+infinity, -1), so
 * the root is always the current k-th nearest candidate. Ties order by index, so the content is a
 * function of the candidates offered, not of the order they arrive in.
 */
final class NeighborHeaps {
  final int n;
  final int k;
  final int[] indices;
  final float[] distances;

  /** 1 = "new" (not yet joined by NN-descent), 0 = "old". */
  final byte[] flags;

  NeighborHeaps(int n, int k) {
    this.n = n;
    this.k = k;
    int size = Math.multiplyExact(n, k);
    indices = new int[size];
    distances = new float[size];
    flags = new byte[size];
    Arrays.fill(indices, -1);
    Arrays.fill(distances, Float.POSITIVE_INFINITY);
  }

  /** The current k-th smallest distance of point {@code i} (+infinity while not full). */
  float worst(int i) {
    return distances[i * k];
  }

  /**
   * Offers neighbour {@code j} at squared distance {@code d} to point {@code i}.
   *
   * @return true if it entered the heap (closer than the root and not already present)
   */
  boolean push(int i, float d, int j, boolean isNew) {
    int base = i * k;
    if (!greater(distances[base], indices[base], d, j)) {
      return false;
    }
    for (int s = 0; s < k; s++) {
      if (indices[base + s] == j) {
        return false;
      }
    }
    siftDown(base, k, d, j, isNew ? (byte) 1 : (byte) 0);
    return true;
  }

  private static boolean greater(float da, int ia, float db, int ib) {
    return da > db || (da == db && ia > ib);
  }

  /** Replaces the root of the heap at {@code base} (of {@code size}) and restores heap order. */
  private void siftDown(int base, int size, float d, int j, byte flag) {
    int pos = 0;
    while (true) {
      int child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      int right = child + 1;
      if (right < size
          && greater(
              distances[base + right],
              indices[base + right],
              distances[base + child],
              indices[base + child])) {
        child = right;
      }
      if (!greater(distances[base + child], indices[base + child], d, j)) {
        break;
      }
      indices[base + pos] = indices[base + child];
      distances[base + pos] = distances[base + child];
      flags[base + pos] = flags[base + child];
      pos = child;
    }
    indices[base + pos] = j;
    distances[base + pos] = d;
    flags[base + pos] = flag;
  }

  /**
   * Sorts every heap ascending and returns the graph with Euclidean distances (square roots).
   *
   * @throws IllegalStateException if a heap still holds a sentinel (fewer than k candidates)
   */
  KnnGraph toGraph() {
    float[] out = new float[distances.length];
    for (int i = 0; i < n; i++) {
      int base = i * k;
      for (int end = k - 1; end > 0; end--) {
        int topI = indices[base];
        float topD = distances[base];
        byte topF = flags[base];
        siftDown(base, end, distances[base + end], indices[base + end], flags[base + end]);
        indices[base + end] = topI;
        distances[base + end] = topD;
        flags[base + end] = topF;
      }
      for (int s = 0; s < k; s++) {
        if (indices[base + s] < 0) {
          throw new IllegalStateException("point " + i + " has fewer than " + k + " neighbours");
        }
        out[base + s] = (float) Math.sqrt(distances[base + s]);
      }
    }
    return new KnnGraph(n, k, indices, out);
  }

  /** Squared Euclidean distance between row offsets {@code ao} of {@code a} and {@code bo} of b. */
  static float squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
    float s0 = 0;
    float s1 = 0;
    int j = 0;
    for (; j + 1 < d; j += 2) {
      float e0 = a[ao + j] - b[bo + j];
      float e1 = a[ao + j + 1] - b[bo + j + 1];
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    if (j < d) {
      float e = a[ao + j] - b[bo + j];
      s0 += e * e;
    }
    return s0 + s1;
  }
}
