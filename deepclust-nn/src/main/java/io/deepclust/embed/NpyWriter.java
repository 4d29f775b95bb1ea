package io.deepclust.embed;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.AtomicFiles;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files, format version 1.0
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): magic {@code
 * \x93NUMPY}, version 1 0, a little-endian uint16 header length, an ASCII dict header padded with
 * spaces and ended by '\n' so that the data starts at a multiple of 64 bytes, then the values
 * little-endian in C order. The header is byte-identical to what NumPy 1.24 {@code np.save} writes
 * (including its spare space for growing the first axis). Files are written atomically.
 */
public final class NpyWriter {
  private static final int ALIGN = 64;
  // NumPy >= 1.23 reserves room so that the first dimension can grow in place
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;

  private NpyWriter() {}

  /** Writes {@code m} as a float32 array of shape (rows, cols). */
  public static void write(Path file, FloatMatrix m) {
    byte[] header = header("<f4", new long[] {m.rows(), m.cols()});
    float[] d = m.data();
    AtomicFiles.write(
        file,
        out -> {
          out.write(header);
          ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
          for (float v : d) {
            if (!buf.hasRemaining()) {
              out.write(buf.array(), 0, buf.position());
              buf.clear();
            }
            buf.putFloat(v);
          }
          out.write(buf.array(), 0, buf.position());
        });
  }

  /** Writes {@code values} as an int32 array of shape (n,). */
  public static void write(Path file, int[] values) {
    byte[] header = header("<i4", new long[] {values.length});
    AtomicFiles.write(
        file,
        out -> {
          out.write(header);
          ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
          for (int v : values) {
            buf.putInt(v);
          }
          new DataOutputStream(out).write(buf.array());
        });
  }

  /** The complete header (magic to '\n') for dtype {@code descr} and {@code shape}. */
  static byte[] header(String descr, long[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]);
      s.append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    }
    s.append(')');
    StringBuilder dict =
        new StringBuilder("{'descr': '")
            .append(descr)
            .append("', 'fortran_order': False, 'shape': ")
            .append(s)
            .append(", }");
    if (shape.length > 0) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
    }
    int preamble = 6 + 2 + 2;
    int hlen = dict.length() + 1;
    // as NumPy: a full 64 spaces when already aligned
    int pad = ALIGN - ((preamble + hlen) % ALIGN);
    dict.append(" ".repeat(pad)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    if (text.length > 0xFFFF) {
      throw new IllegalArgumentException("npy header too long for format 1.0: " + text.length);
    }
    ByteBuffer b = ByteBuffer.allocate(preamble + text.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 1).put((byte) 0);
    b.putShort((short) text.length);
    b.put(text);
    return b.array();
  }
}
