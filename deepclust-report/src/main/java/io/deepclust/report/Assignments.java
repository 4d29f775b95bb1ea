package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Writes {@code assignments.csv}: one row per image with its true label and cluster ids. */
public final class Assignments {
  private Assignments() {}

  /**
   * Writes {@code index,true_label,<name>...} rows; {@code truth} may be null (column left empty).
   *
   * @param clusterings column name to cluster ids, all of the same length, in column order
   */
  public static void write(Path file, int[] truth, Map<String, int[]> clusterings) {
    int n = clusterings.values().iterator().next().length;
    for (Map.Entry<String, int[]> e : clusterings.entrySet()) {
      if (e.getValue().length != n) {
        throw new IllegalArgumentException(
            "assignments '" + e.getKey() + "' has " + e.getValue().length + " rows, expected " + n);
      }
    }
    if (truth != null && truth.length != n) {
      throw new IllegalArgumentException(
          "true labels have " + truth.length + " rows, expected " + n);
    }
    int[][] cols = clusterings.values().toArray(new int[0][]);
    AtomicFiles.write(
        file,
        out -> {
          StringBuilder sb = new StringBuilder("index,true_label");
          for (String name : clusterings.keySet()) {
            sb.append(',').append(name);
          }
          sb.append('\n');
          for (int i = 0; i < n; i++) {
            sb.append(i).append(',');
            if (truth != null) {
              sb.append(truth[i]);
            }
            for (int[] c : cols) {
              sb.append(',').append(c[i]);
            }
            sb.append('\n');
            if (sb.length() > 1 << 16) {
              out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
              sb.setLength(0);
            }
          }
          out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
  }
}
