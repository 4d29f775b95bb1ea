package io.deepclust.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV file of samples: one row per sample, comma-separated numbers, optionally a header row
 * (recognised as a first row holding a field that is not a number) and one label column. Fields may
 * be wrapped in double quotes; a quoted field may not hold a comma. Empty lines are skipped. The
 * label column is named by its header name or, in a file without a header, by its 0-based index;
 * its values are whole numbers or names.
 */
final class CsvTable {
  private CsvTable() {}

  /** The features (n x d, as read) and the raw labels (numbers or names), or null. */
  record Table(NumericArray features, long[] numericLabels, String[] namedLabels) {}

  static Table read(Path file, String labelColumn) {
    List<String[]> rows = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (no == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1); // a UTF-8 byte-order mark
        }
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++) {
          String s = f[i].strip();
          if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
          }
          f[i] = s;
        }
        rows.add(f);
        lineNumbers.add(no);
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new DataSourceException(
          file, file + ": not a UTF-8 text file; is it a CSV file? (check the path)", e);
    } catch (IOException e) {
      throw DataSourceException.cannotRead(file, e);
    }
    if (rows.isEmpty()) {
      throw new DataSourceException(file, file + ": the file holds no rows");
    }
    String[] header = null;
    for (String s : rows.get(0)) {
      if (!isNumber(s)) {
        header = rows.remove(0);
        lineNumbers.remove(0);
        break;
      }
    }
    if (rows.isEmpty()) {
      throw new DataSourceException(file, file + ": the file holds a header but no samples");
    }
    int cols = rows.get(0).length;
    int label = -1;
    if (labelColumn != null) {
      if (header != null) {
        for (int j = 0; j < header.length; j++) {
          if (header[j].equals(labelColumn)) {
            label = j;
          }
        }
      }
      if (label < 0 && labelColumn.matches("\\d+")) {
        label = Integer.parseInt(labelColumn);
      }
      if (label < 0 || label >= cols) {
        throw new DataSourceException(
            file,
            file
                + ": no label column '"
                + labelColumn
                + "'"
                + (header != null
                    ? "; the header's columns are " + String.join(", ", preview(header))
                    : "; the file has no header, so name the column by its 0-based index (0.."
                        + (cols - 1)
                        + ")"));
      }
    }
    int d = label >= 0 ? cols - 1 : cols;
    if (d == 0) {
      throw new DataSourceException(file, file + ": no feature columns besides the label");
    }
    int n = rows.size();
    float[] v = new float[Math.multiplyExact(n, d)];
    String[] labels = label >= 0 ? new String[n] : null;
    boolean numeric = true;
    boolean integral = true;
    for (int i = 0; i < n; i++) {
      String[] f = rows.get(i);
      if (f.length != cols) {
        throw new DataSourceException(
            file,
            String.format(
                Locale.ROOT,
                "%s: line %d has %d fields but the first %s has %d; every row needs the same"
                    + " columns",
                file,
                lineNumbers.get(i),
                f.length,
                header != null ? "row (the header)" : "row",
                cols));
      }
      int o = i * d;
      for (int j = 0; j < cols; j++) {
        if (j == label) {
          labels[i] = f[j];
          if (!isNumber(f[j])) {
            numeric = false;
          } else if (Double.parseDouble(f[j]) != Math.rint(Double.parseDouble(f[j]))) {
            integral = false;
          }
          continue;
        }
        try {
          v[o++] = Float.parseFloat(f[j]);
        } catch (NumberFormatException e) {
          throw new DataSourceException(
              file,
              String.format(
                  Locale.ROOT,
                  "%s: line %d, column %d%s is '%s', not a number; features must be numbers%s",
                  file,
                  lineNumbers.get(i),
                  j,
                  header != null ? " (" + header[j] + ")" : "",
                  f[j],
                  labelColumn == null
                      ? " (a label column? name it: csv:" + file + "?label=COLUMN)"
                      : ""));
        }
      }
    }
    boolean allInts = true;
    for (float x : v) {
      if (x != Math.rint(x)) {
        allInts = false;
        break;
      }
    }
    NumericArray features =
        new NumericArray(
            file,
            new int[] {n, d},
            v,
            allInts ? NumericArray.ElementKind.INTEGER : NumericArray.ElementKind.FLOAT,
            allInts ? "integer" : "decimal");
    if (labels == null) {
      return new Table(features, null, null);
    }
    if (numeric && integral) {
      long[] y = new long[n];
      for (int i = 0; i < n; i++) {
        y[i] = (long) Double.parseDouble(labels[i]);
      }
      return new Table(features, y, null);
    }
    return new Table(features, null, labels);
  }

  private static List<String> preview(String[] header) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < Math.min(header.length, 8); j++) {
      out.add(header[j]);
    }
    if (header.length > 8) {
      out.add("...");
    }
    return out;
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
