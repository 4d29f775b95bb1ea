package io.deepclust.cli;

import io.deepclust.data.ArrayFiles;
import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Columns of labels and features from CSV or NumPy files, for {@code deepclust evaluate}: {@code
 * FILE.npy} (1-D labels, or 2-D features), {@code FILE.csv} (UTF-8, a byte-order mark allowed; a
 * header row names the columns, without one columns are named 0, 1, ...) with an optional {@code
 * :COLUMN}. Labels may be whole numbers (any range, e.g. starting at 1) or names (numbered in
 * sorted order). The first row is a header when it has a field that is not a number and none of its
 * fields appears again in its column (a header name never recurs; a class name does).
 */
final class ColumnFiles {
  private ColumnFiles() {}

  /** A file argument split into the file and the column, if any ({@code file.csv:kmeans}). */
  record Ref(Path file, String column) {
    static Ref parse(String text) {
      int colon = text.lastIndexOf(':');
      // a colon after the extension names a column; Windows drive letters have none before
      if (colon > 0) {
        String head = text.substring(0, colon);
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv") || lower.endsWith(".npy")) {
          return new Ref(Path.of(head), text.substring(colon + 1));
        }
      }
      return new Ref(Path.of(text), null);
    }

    boolean npy() {
      return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }
  }

  /** Columns that are neither labels nor features: the row's index and a folder image's file. */
  static boolean isIdColumn(String h) {
    return h.equals("index") || h.equals("file");
  }

  /** A CSV file: the header (or 0..d-1) and the rows' fields. */
  record Csv(List<String> header, List<String[]> rows) {
    static Csv read(Path file) {
      String text;
      try {
        text =
            java.nio.charset.StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UncheckedIOException(
            "cannot read " + file + ": no such file (check the path)", e);
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new UncheckedIOException(
            "cannot read "
                + file
                + ": it is not UTF-8 text ("
                + e
                + "); save it as UTF-8 (e.g. \"CSV UTF-8\")",
            e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e, e);
      }
      if (text.startsWith("\uFEFF")) {
        // the byte-order mark spreadsheet programs write in front of UTF-8 CSV
        text = text.substring(1);
      }
      // records, not lines: a quoted file name may hold a line break (assignments.csv of a folder)
      List<List<String>> records;
      try {
        records = io.deepclust.report.Assignments.splitRecords(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
      int end = records.size();
      while (end > 0 && records.get(end - 1).size() == 1 && records.get(end - 1).get(0).isEmpty()) {
        end--;
      }
      // a blank line inside the file is a row of one empty field: an empty label is an error
      List<String[]> rows = new ArrayList<>();
      for (List<String> r : records.subList(0, end)) {
        rows.add(r.toArray(new String[0]));
      }
      if (rows.isEmpty()) {
        throw new IllegalArgumentException(file + " is empty; give one row per sample");
      }
      String[] first = rows.get(0);
      boolean header = isHeader(rows);
      if (header && rows.size() == 1) {
        throw new IllegalArgumentException(
            file + " has a header row " + Arrays.toString(first) + " but no rows of values");
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < first.length; i++) {
        names.add(header ? first[i] : Integer.toString(i));
      }
      List<String[]> data = header ? rows.subList(1, rows.size()) : rows;
      for (int r = 0; r < data.size(); r++) {
        if (data.get(r).length != names.size()) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "%s: row %d has %d fields but the first row has %d; give every row the same"
                      + " columns",
                  file,
                  r + 1,
                  data.get(r).length,
                  names.size()));
        }
      }
      return new Csv(names, data);
    }

    int index(Path file, String column) {
      int i = header.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException(
            file + " has no column '" + column + "'; its columns are " + header);
      }
      return i;
    }

    String[] column(int i) {
      String[] out = new String[rows.size()];
      for (int r = 0; r < out.length; r++) {
        out[r] = rows.get(r)[i];
      }
      return out;
    }
  }

  /**
   * Whether the first row names the columns: one of its fields is not a number, and none of its
   * fields appears again in its column below (a class name used as a label recurs; a header does
   * not).
   */
  static boolean isHeader(List<String[]> rows) {
    String[] first = rows.get(0);
    if (Arrays.stream(first).allMatch(ColumnFiles::isNumber)) {
      return false;
    }
    for (int r = 1; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int c = 0; c < Math.min(first.length, row.length); c++) {
        if (!first[c].isEmpty() && first[c].equals(row[c])) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Label columns of {@code ref}: the named column; else for true labels ({@code truth}) the column
   * {@code true_label} or {@code label}, or the only column; for predictions every column but
   * {@code index}, {@code true_label} and {@code label} (e.g. each method of an assignments.csv).
   *
   * @return column name to labels, in file order
   */
  static Map<String, int[]> labels(Ref ref, boolean truth) {
    return labels(ref, truth, new LinkedHashMap<>());
  }

  /**
   * As {@link #labels(Ref, boolean)}; {@code namesOut} receives, for each column of names, the
   * names in code order (code i is {@code names.get(i)}).
   */
  static Map<String, int[]> labels(Ref ref, boolean truth, Map<String, List<String>> namesOut) {
    Map<String, int[]> out = new LinkedHashMap<>();
    if (ref.npy()) {
      ArrayFiles.Array a = ArrayFiles.readNpy(ref.file());
      boolean column = a.shape().length == 2 && a.shape()[1] == 1;
      if (a.shape().length != 1 && !column) {
        throw new IllegalArgumentException(
            ref.file()
                + ": labels must be a 1-D array, got shape "
                + Arrays.toString(a.shape())
                + "; save one label per sample");
      }
      int[] y = new int[a.values().length];
      for (int i = 0; i < y.length; i++) {
        float v = a.values()[i];
        if (!Float.isFinite(v) || v != Math.rint(v)) {
          throw new IllegalArgumentException(
              ref.file() + ": label " + i + " is " + v + ", not a whole number");
        }
        y[i] = (int) v;
      }
      out.put(ref.file().getFileName().toString().replaceAll("\\.npy$", ""), y);
      return out;
    }
    Csv csv = Csv.read(ref.file());
    List<String> names = new ArrayList<>();
    if (ref.column() != null) {
      names.add(ref.column());
    } else if (truth) {
      String pick =
          csv.header().contains("true_label")
              ? "true_label"
              : csv.header().contains("label") ? "label" : null;
      if (pick == null && csv.header().size() == 1) {
        pick = csv.header().get(0);
      }
      if (pick == null) {
        throw new IllegalArgumentException(
            ref.file()
                + " has columns "
                + csv.header()
                + "; name the label column: "
                + ref.file()
                + ":COLUMN");
      }
      names.add(pick);
    } else {
      for (String h : csv.header()) {
        if (!isIdColumn(h) && !h.equals("true_label") && !h.equals("label")) {
          names.add(h);
        }
      }
      if (names.isEmpty()) {
        throw new IllegalArgumentException(
            ref.file() + " has no prediction column; name one: " + ref.file() + ":COLUMN");
      }
    }
    for (String name : names) {
      List<String> classNames = new ArrayList<>();
      out.put(name, codes(ref.file(), name, csv.column(csv.index(ref.file(), name)), classNames));
      if (!classNames.isEmpty()) {
        namesOut.put(name, classNames);
      }
    }
    return out;
  }

  /**
   * Whole numbers as they are; names numbered in sorted order (added to {@code names} in code
   * order). Empty fields are an error.
   */
  private static int[] codes(Path file, String column, String[] values, List<String> names) {
    int[] y = new int[values.length];
    boolean numeric = Arrays.stream(values).allMatch(ColumnFiles::isNumber);
    if (numeric) {
      for (int i = 0; i < y.length; i++) {
        double v = Double.parseDouble(values[i]);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(
              file
                  + ": column '"
                  + column
                  + "' row "
                  + (i + 1)
                  + " is "
                  + values[i]
                  + ", not a whole number");
        }
        y[i] = (int) v;
      }
      return y;
    }
    TreeMap<String, Integer> ids = new TreeMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i].isEmpty()) {
        throw new IllegalArgumentException(
            file
                + ": column '"
                + column
                + "' row "
                + (i + 1)
                + " is empty; every sample needs a"
                + " label");
      }
      ids.put(values[i], 0);
    }
    int next = 0;
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      e.setValue(next++);
      names.add(e.getKey());
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = ids.get(values[i]);
    }
    return y;
  }

  /** Features: a 2-D npy, or every numeric column of a CSV but index / label / true_label. */
  static FloatMatrix features(Ref ref) {
    if (ref.npy()) {
      ArrayFiles.Array a = ArrayFiles.readNpy(ref.file());
      if (a.shape().length != 2) {
        throw new IllegalArgumentException(
            ref.file()
                + ": features must be a 2-D array (n, d), got shape "
                + Arrays.toString(a.shape()));
      }
      return new FloatMatrix(a.shape()[0], a.shape()[1], a.values());
    }
    Csv csv = Csv.read(ref.file());
    List<Integer> cols = new ArrayList<>();
    for (int i = 0; i < csv.header().size(); i++) {
      String h = csv.header().get(i);
      if (!isIdColumn(h) && !h.equals("true_label") && !h.equals("label")) {
        cols.add(i);
      }
    }
    int n = csv.rows().size();
    float[] v = new float[n * cols.size()];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < cols.size(); j++) {
        String s = csv.rows().get(r)[cols.get(j)];
        try {
          v[r * cols.size() + j] = Float.parseFloat(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              ref.file()
                  + ": row "
                  + (r + 1)
                  + ", column '"
                  + csv.header().get(cols.get(j))
                  + "' is '"
                  + s
                  + "', not a number");
        }
      }
    }
    return new FloatMatrix(n, cols.size(), v);
  }
}
