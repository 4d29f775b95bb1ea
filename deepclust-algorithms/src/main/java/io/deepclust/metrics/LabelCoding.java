package io.deepclust.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Arbitrary int labels re-coded as 0..k-1 in ascending id order (sklearn's {@code LabelEncoder} /
 * {@code np.unique(..., return_inverse=True)}).
 */
final class LabelCoding {
  /** Distinct ids, ascending; index = code. */
  final int[] ids;

  /** codes[i] = index of labels[i] in {@link #ids}. */
  final int[] codes;

  /** sizes[c] = number of samples with code c (all &gt; 0). */
  final int[] sizes;

  private LabelCoding(int[] ids, int[] codes, int[] sizes) {
    this.ids = ids;
    this.codes = codes;
    this.sizes = sizes;
  }

  static LabelCoding of(int[] labels, String name) {
    Objects.requireNonNull(labels, name);
    int[] sorted = labels.clone();
    Arrays.sort(sorted);
    int k = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[k++] = sorted[i];
      }
    }
    int[] ids = Arrays.copyOf(sorted, k);
    int[] codes = new int[labels.length];
    int[] sizes = new int[k];
    for (int i = 0; i < labels.length; i++) {
      int c = Arrays.binarySearch(ids, labels[i]);
      codes[i] = c;
      sizes[c]++;
    }
    return new LabelCoding(ids, codes, sizes);
  }

  int k() {
    return ids.length;
  }

  static void requireSameLength(int[] truth, int[] pred) {
    Objects.requireNonNull(truth, "truth");
    Objects.requireNonNull(pred, "pred");
    if (truth.length != pred.length) {
      throw new IllegalArgumentException(
          "truth has "
              + truth.length
              + " labels but pred has "
              + pred.length
              + "; both must label the same samples in the same order");
    }
  }
}
