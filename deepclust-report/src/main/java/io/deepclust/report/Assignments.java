package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    write(file, null, truth, clusterings);
  }

  /**
   * Writes {@code index,file,true_label,<name>...} rows when {@code files} is given (each image's
   * file, e.g. relative to its folder; quoted when it holds a comma, quote or line break), else
   * {@code index,true_label,<name>...}.
   *
   * @param files one name per row, or null for no {@code file} column
   * @throws IllegalArgumentException when the lengths differ
   */
  public static void write(
      Path file, List<String> files, int[] truth, Map<String, int[]> clusterings) {
    int n = clusterings.values().iterator().next().length;
    if (files != null && files.size() != n) {
      throw new IllegalArgumentException("files have " + files.size() + " rows, expected " + n);
    }
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
          StringBuilder sb =
              new StringBuilder(files == null ? "index,true_label" : "index,file,true_label");
          for (String name : clusterings.keySet()) {
            sb.append(',').append(name);
          }
          sb.append('\n');
          for (int i = 0; i < n; i++) {
            sb.append(i).append(',');
            if (files != null) {
              sb.append(csvField(files.get(i))).append(',');
            }
            if (truth != null) {
              sb.append(truth[i]);
            }
            for (int[] c : cols) {
              sb.append(',').append(c[i]);
            }
            sb.append('\n');
            if (sb.length() > 1 << 16) {
              out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
              sb.setLength(0);
            }
          }
          out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
  }

  /** RFC 4180: quoted (quotes doubled) when it holds a comma, quote or line break. */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /**
   * Splits CSV text into records (RFC 4180): a double-quoted cell may hold commas, doubled quotes
   * and line breaks (a file name may hold any of them); outside quotes a record ends at {@code \n},
   * {@code \r\n} or {@code \r}. Cells are trimmed, as {@link #splitLine}; an empty line is a record
   * of one empty cell, and the line break after the last record adds none.
   *
   * @return the records, each with at least one cell
   * @throws IllegalArgumentException when a quote opened in a record is never closed (it would
   *     swallow every later record), naming that record (from 1)
   */
  public static List<List<String>> splitRecords(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int openedIn = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < n && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        openedIn = records.size() + 1;
      } else if (c == ',') {
        row.add(cell.toString().trim());
        cell.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(cell.toString().trim());
        cell.setLength(0);
        records.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(
          "the quote opened in record "
              + openedIn
              + " (counting the header) is never closed; close it, or double a quote inside a"
              + " quoted cell (\"\")");
    }
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString().trim());
      records.add(row);
    }
    return records;
  }

  /**
   * Splits one CSV line as written here (RFC 4180): a double-quoted cell may hold commas and
   * doubled quotes; cells are trimmed.
   *
   * @return the cells, at least one, in a list the caller may change
   * @throws IllegalArgumentException when a quote in the line is never closed
   */
  public static List<String> splitLine(String line) {
    // one line is one record (an empty line: one empty cell)
    List<List<String>> records = splitRecords(line);
    return records.isEmpty() ? new ArrayList<>(List.of("")) : records.get(0);
  }
}
