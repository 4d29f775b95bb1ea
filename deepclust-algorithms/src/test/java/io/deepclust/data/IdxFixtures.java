package io.deepclust.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small hand-made IDX files for tests. */
final class IdxFixtures {
  private IdxFixtures() {}

  /** An IDX file: header with {@code type} and {@code dims}, then {@code data}. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  /** Deterministic pixel bytes 0..255 for {@code n} images of {@code h x w}. */
  static byte[] pixels(int n, int h, int w) {
    byte[] p = new byte[n * h * w];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) ((i * 37 + 11) % 256);
    }
    return p;
  }

  static byte[] images(int n, int h, int w) {
    return idx(0x08, new int[] {n, h, w}, pixels(n, h, w));
  }

  static byte[] labels(int... values) {
    byte[] d = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = (byte) values[i];
    }
    return idx(0x08, new int[] {values.length}, d);
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(raw);
    }
    return bos.toByteArray();
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, bytes);
  }

  /** A tiny registered-style dataset: 3 classes of 5x7 images, 6 train and 4 test images. */
  static final class Tiny {
    static final int H = 5;
    static final int W = 7;
    static final int[] TRAIN_LABELS = {0, 1, 2, 2, 1, 0};
    static final int[] TEST_LABELS = {2, 0, 1, 1};

    final byte[] trainImages = images(6, H, W);
    final byte[] trainLabels = labels(TRAIN_LABELS);
    final byte[] testImages = idx(0x08, new int[] {4, H, W}, reversed(pixels(4, H, W)));
    final byte[] testLabels = labels(TEST_LABELS);

    DatasetSpec spec() {
      return spec("tiny");
    }

    DatasetSpec spec(String name) {
      return new DatasetSpec(
          name,
          "Tiny test set",
          H,
          W,
          1,
          List.of("a", "b", "c"),
          new DatasetFile("train-images-idx3-ubyte", Checksums.sha256(trainImages)),
          new DatasetFile("train-labels-idx1-ubyte", Checksums.sha256(trainLabels)),
          new DatasetFile("t10k-images-idx3-ubyte", Checksums.sha256(testImages)),
          new DatasetFile("t10k-labels-idx1-ubyte", Checksums.sha256(testLabels)),
          List.of(),
          null);
    }

    /** Writes the four files into {@code dir}, gzip'ed if {@code gz}. */
    Path writeTo(Path dir, boolean gz) throws IOException {
      put(dir, "train-images-idx3-ubyte", trainImages, gz);
      put(dir, "train-labels-idx1-ubyte", trainLabels, gz);
      put(dir, "t10k-images-idx3-ubyte", testImages, gz);
      put(dir, "t10k-labels-idx1-ubyte", testLabels, gz);
      return dir;
    }

    private static void put(Path dir, String name, byte[] raw, boolean gz) throws IOException {
      if (gz) {
        write(dir.resolve(name + ".gz"), gzip(raw));
      } else {
        write(dir.resolve(name), raw);
      }
    }

    private static byte[] reversed(byte[] b) {
      byte[] r = new byte[b.length];
      for (int i = 0; i < b.length; i++) {
        r[i] = b[b.length - 1 - i];
      }
      return r;
    }
  }
}
