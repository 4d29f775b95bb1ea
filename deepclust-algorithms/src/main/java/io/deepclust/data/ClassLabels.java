package io.deepclust.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Class labels of a source as class indices {@code 0..k-1}: the distinct values found, in sorted
 * order, become 0, 1, ..., k-1, and each class is named by its original value. Labels that start at
 * 1 (EMNIST letters: 1..26) or are sparse ({@code 3, 7, 42}) become {@code 0..k-1}; labels that
 * already are {@code 0..k-1} stay as they are.
 *
 * @param ids per sample, in {@code [0, k)}
 * @param names class names by index: the original values (numbers, csv strings, folder names)
 */
record ClassLabels(int[] ids, List<String> names) {

  /** From whole-number labels. */
  static ClassLabels ofNumbers(long[] raw) {
    long[] distinct = Arrays.stream(raw).distinct().sorted().toArray();
    int[] ids = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      ids[i] = Arrays.binarySearch(distinct, raw[i]);
    }
    List<String> names = new ArrayList<>();
    for (long v : distinct) {
      names.add(Long.toString(v));
    }
    return new ClassLabels(ids, names);
  }

  /** From names (csv strings), sorted by {@link String#compareTo}. */
  static ClassLabels ofNames(String[] raw) {
    List<String> names = new ArrayList<>(new TreeSet<>(Arrays.asList(raw)));
    Map<String, Integer> index = new TreeMap<>();
    for (int k = 0; k < names.size(); k++) {
      index.put(names.get(k), k);
    }
    int[] ids = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      ids[i] = index.get(raw[i]);
    }
    return new ClassLabels(ids, names);
  }

  /** Whether the original labels were already {@code 0..k-1}. */
  boolean identity() {
    for (int k = 0; k < names.size(); k++) {
      if (!names.get(k).equals(Integer.toString(k))) {
        return false;
      }
    }
    return true;
  }

  /** One phrase for the log: the classes and, when remapped, the mapping. */
  String describe() {
    StringBuilder sb = new StringBuilder().append(names.size()).append(" classes");
    if (identity()) {
      return sb.append(" (labels 0..").append(names.size() - 1).append(')').toString();
    }
    sb.append(", remapped to 0..").append(names.size() - 1).append(": ");
    int shown = Math.min(names.size(), 12);
    for (int k = 0; k < shown; k++) {
      sb.append(k == 0 ? "" : ", ").append(names.get(k)).append("->").append(k);
    }
    if (shown < names.size()) {
      sb.append(", ...");
    }
    return sb.toString();
  }
}
