package io.deepclust.predict;

import io.deepclust.bundle.BundleArrays;
import io.deepclust.data.ImageDataset;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.train.Progress;
import io.deepclust.util.AtomicFiles;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the embeddings of many images to one file, chunk by chunk: only one chunk's embeddings are
 * held at a time, so memory stays bounded by the chunk (not the image count times the embedding
 * size, 12,544 floats per image for paper 000's encoder). The values equal those of one call to
 * {@link TrainedModel#embed} over all images (chunks are whole batches of the run's batch size),
 * i.e. a run's {@code features.npy} before any reduction.
 */
public final class EmbeddingExport {
  /** Output formats. */
  public static final String NPY = "npy";

  public static final String CSV = "csv";

  private EmbeddingExport() {}

  /**
   * Embeds {@code images} and writes them to {@code file} atomically: {@code npy} as float32 {@code
   * (n, d)}, {@code csv} as columns {@code e0..e(d-1)} (plus {@code label} when the images have
   * labels), one row per image in the source's order.
   *
   * @param chunkImages images embedded per chunk (rounded up to whole batches)
   * @return the embedding dimension d
   * @throws IllegalArgumentException when {@code file} exists (never overwritten) or the format is
   *     unknown
   */
  public static int write(
      TrainedModel model, ImageDataset images, Path file, String format, int chunkImages) {
    if (!format.equals(NPY) && !format.equals(CSV)) {
      throw new IllegalArgumentException("--format " + format + " is not known; use npy or csv");
    }
    if (Files.exists(file)) {
      throw new IllegalArgumentException(
          file + " exists; give a new file name (deepclust never overwrites a file)");
    }
    int batch = model.bundle().input().batchSize();
    int chunk = Math.max(1, (Math.max(chunkImages, 1) + batch - 1) / batch) * batch;
    int n = images.size();
    int d = model.embeddingDim();
    FloatMatrix pixels = images.pixels();
    int[] labels = images.labels();
    try (Progress progress = Progress.start("embed", n)) {
      AtomicFiles.write(
          file,
          out -> {
            BufferedWriter csv = null;
            if (format.equals(NPY)) {
              out.write(BundleArrays.header("<f4", n, d));
            } else {
              csv =
                  new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
              StringBuilder h = new StringBuilder();
              for (int j = 0; j < d; j++) {
                h.append(j == 0 ? "" : ",").append('e').append(j);
              }
              csv.write(h.append(labels != null ? ",label\n" : "\n").toString());
            }
            for (int from = 0; from < n; from += chunk) {
              int to = Math.min(n, from + chunk);
              int[] rows = new int[to - from];
              for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
              }
              FloatMatrix e = model.embed(pixels.selectRows(rows));
              if (e.cols() != d) {
                throw new IllegalStateException(
                    "the encoder gives " + e.cols() + " values per image, the bundle says " + d);
              }
              if (csv == null) {
                ByteBuffer b =
                    ByteBuffer.allocate(e.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : e.data()) {
                  b.putFloat(v);
                }
                out.write(b.array());
              } else {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < e.rows(); i++) {
                  for (int j = 0; j < d; j++) {
                    s.append(j == 0 ? "" : ",").append(Float.toString(e.get(i, j)));
                  }
                  if (labels != null) {
                    s.append(',').append(labels[from + i]);
                  }
                  s.append('\n');
                }
                csv.write(s.toString());
              }
              progress.update(to, String.format(Locale.ROOT, "%d x %d", to, d));
            }
            if (csv != null) {
              csv.flush();
            }
          });
    }
    return d;
  }
}
