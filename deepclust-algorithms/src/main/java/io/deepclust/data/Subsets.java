package io.deepclust.data;

import io.deepclust.util.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded subsets of a dataset, e.g. the small MNIST subsets used for quick runs and quality floors.
 * Same seed and input, same indices.
 */
public final class Subsets {
  /** The {@link Seeds} purpose under which subset randomness is drawn. */
  public static final String SEED_PURPOSE = "subset";

  private Subsets() {}

  /**
   * {@code n} indices chosen so that each class keeps its share of the data: class k with {@code
   * c_k} of {@code N} items gets {@code floor(n * c_k / N)} items, and the {@code n - sum(floor)}
   * left over go one each to the classes with the largest remainders {@code (n * c_k) mod N} (ties
   * to the lower class index). Within a class the items are a uniform random sample.
   *
   * <p>For data that may be unlabelled use {@link #sample(int[], int, int, long)}, which falls back
   * to {@link #randomSample} when the labels are null.
   *
   * @param labels class of each item, non-negative
   * @param n how many to pick, {@code 0 <= n <= labels.length}
   * @return the chosen indices, sorted ascending
   * @throws IllegalArgumentException if labels is null, n is out of range or a label is negative
   */
  public static int[] stratifiedSample(int[] labels, int n, long seed) {
    if (labels == null) {
      throw new IllegalArgumentException(
          "stratifiedSample needs labels; for unlabelled data use Subsets.sample(labels, size, n,"
              + " seed) or randomSample(size, n, seed)");
    }
    int total = labels.length;
    checkCount(n, total);
    if (n == 0) {
      return new int[0];
    }
    int maxLabel = -1;
    for (int i = 0; i < total; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " < 0");
      }
      maxLabel = Math.max(maxLabel, labels[i]);
    }
    int k = maxLabel + 1;
    int[] counts = new int[k];
    for (int y : labels) {
      counts[y]++;
    }
    int[] quota = quotas(counts, total, n);

    // Members of each class, in index order, as one array bucketed by class.
    int[] start = new int[k + 1];
    for (int c = 0; c < k; c++) {
      start[c + 1] = start[c] + counts[c];
    }
    int[] members = new int[total];
    int[] fill = Arrays.copyOf(start, k);
    for (int i = 0; i < total; i++) {
      members[fill[labels[i]]++] = i;
    }

    SplittableRandom rng = Seeds.stream(seed, SEED_PURPOSE);
    int[] chosen = new int[n];
    int out = 0;
    for (int c = 0; c < k; c++) {
      // Partial Fisher-Yates on this class's slice: its first quota[c] entries become the sample.
      int lo = start[c];
      int len = counts[c];
      for (int j = 0; j < quota[c]; j++) {
        int r = lo + j + rng.nextInt(len - j);
        int t = members[lo + j];
        members[lo + j] = members[r];
        members[r] = t;
        chosen[out++] = members[lo + j];
      }
    }
    Arrays.sort(chosen);
    return chosen;
  }

  /**
   * {@code n} distinct indices from {@code [0, size)}, uniformly at random.
   *
   * @return the chosen indices, sorted ascending
   */
  public static int[] randomSample(int size, int n, long seed) {
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + " < 0");
    }
    checkCount(n, size);
    SplittableRandom rng = Seeds.stream(seed, SEED_PURPOSE);
    int[] perm = new int[size];
    for (int i = 0; i < size; i++) {
      perm[i] = i;
    }
    for (int j = 0; j < n; j++) {
      int r = j + rng.nextInt(size - j);
      int t = perm[j];
      perm[j] = perm[r];
      perm[r] = t;
    }
    int[] chosen = Arrays.copyOf(perm, n);
    Arrays.sort(chosen);
    return chosen;
  }

  /**
   * Stratified when {@code labels} is non-null (see {@link #stratifiedSample}), plain random over
   * {@code [0, size)} when it is null.
   */
  public static int[] sample(int[] labels, int size, int n, long seed) {
    if (labels != null) {
      if (labels.length != size) {
        throw new IllegalArgumentException(labels.length + " labels for size " + size);
      }
      return stratifiedSample(labels, n, seed);
    }
    return randomSample(size, n, seed);
  }

  /**
   * A seeded subset of {@code n} images of {@code data}: stratified by class when it has labels,
   * plain random otherwise; images keep their original order.
   */
  public static ImageDataset sample(ImageDataset data, int n, long seed) {
    return data.subset(sample(data.labels(), data.size(), n, seed));
  }

  /**
   * Largest-remainder apportionment of {@code n} among classes of sizes {@code counts} (summing to
   * {@code total}).
   */
  static int[] quotas(int[] counts, int total, int n) {
    int k = counts.length;
    int[] quota = new int[k];
    long[] remainder = new long[k];
    int assigned = 0;
    for (int c = 0; c < k; c++) {
      long q = (long) n * counts[c];
      quota[c] = (int) (q / total);
      remainder[c] = q % total;
      assigned += quota[c];
    }
    Integer[] order = new Integer[k];
    for (int c = 0; c < k; c++) {
      order[c] = c;
    }
    Arrays.sort(
        order,
        (a, b) ->
            remainder[a] != remainder[b]
                ? Long.compare(remainder[b], remainder[a])
                : Integer.compare(a, b));
    for (int j = 0; assigned < n; j++) {
      // A class with remainder > 0 has quota < count, so it can take one more.
      quota[order[j]]++;
      assigned++;
    }
    return quota;
  }

  private static void checkCount(int n, int total) {
    if (n < 0 || n > total) {
      throw new IllegalArgumentException(
          "cannot pick " + n + " of " + total + " items; choose 0 <= n <= " + total);
    }
  }
}
