package io.deepclust.embed;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.AtomicFiles;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes embeddings as CSV: a header {@code e0,e1,...} (plus {@code label} when labels are given),
 * one row per image, floats in Java's shortest round-trip form. Written atomically.
 */
public final class EmbeddingCsv {
  private EmbeddingCsv() {}

  /** Writes {@code m} without labels. */
  public static void write(Path file, FloatMatrix m) {
    write(file, m, null);
  }

  /**
   * Writes {@code m} with a trailing {@code label} column when {@code labels} is not null.
   *
   * @throws IllegalArgumentException if labels and rows differ in number
   */
  public static void write(Path file, FloatMatrix m, int[] labels) {
    if (labels != null && labels.length != m.rows()) {
      throw new IllegalArgumentException(
          "labels has " + labels.length + " entries for " + m.rows() + " embedding rows");
    }
    AtomicFiles.write(
        file,
        out -> {
          BufferedWriter w =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          for (int j = 0; j < m.cols(); j++) {
            if (j > 0) {
              w.write(',');
            }
            w.write("e" + j);
          }
          if (labels != null) {
            w.write(m.cols() > 0 ? ",label" : "label");
          }
          w.write('\n');
          for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
              if (j > 0) {
                w.write(',');
              }
              w.write(Float.toString(m.get(i, j)));
            }
            if (labels != null) {
              if (m.cols() > 0) {
                w.write(',');
              }
              w.write(Integer.toString(labels[i]));
            }
            w.write('\n');
          }
          w.flush();
        });
  }
}
