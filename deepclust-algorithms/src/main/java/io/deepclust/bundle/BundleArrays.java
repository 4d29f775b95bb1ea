package io.deepclust.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arrays of a model bundle as NumPy {@code .npy} files (format 1.0, little-endian, C order):
 * {@code <f4} (float32) and {@code <f8} (float64), so that {@code numpy.load} reads every one.
 * Reading accepts exactly these files: another dtype, Fortran order or a shape other than the one
 * expected is an error naming the file.
 */
public final class BundleArrays {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private BundleArrays() {}

  /** float32 values of the given shape as the bytes of an .npy file. */
  static byte[] float32(float[] values, long... shape) {
    checkSize(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return withHeader("<f4", shape, b.array());
  }

  /** float64 values of the given shape as the bytes of an .npy file. */
  static byte[] float64(double[] values, long... shape) {
    checkSize(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return withHeader("<f8", shape, b.array());
  }

  /**
   * The float32 values of an .npy file.
   *
   * @param name the file's name in the bundle, for messages
   * @param shape the shape the manifest declares
   * @throws BundleException when the file is not a float32 array of that shape
   */
  static float[] readFloat32(String name, byte[] bytes, long... shape) {
    ByteBuffer data = body(name, bytes, "<f4", shape);
    float[] out = new float[data.remaining() / 4];
    data.asFloatBuffer().get(out);
    return out;
  }

  /** The float64 values of an .npy file; as {@link #readFloat32}. */
  static double[] readFloat64(String name, byte[] bytes, long... shape) {
    ByteBuffer data = body(name, bytes, "<f8", shape);
    double[] out = new double[data.remaining() / 8];
    data.asDoubleBuffer().get(out);
    return out;
  }

  private static ByteBuffer body(String name, byte[] bytes, String descr, long[] shape) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw bad(name, "not a NumPy .npy file (no \\x93NUMPY magic)");
    }
    int major = bytes[6];
    int headerLength;
    int start;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(b.getShort(8));
      start = 10;
    } else if ((major == 2 || major == 3) && bytes.length >= 12) {
      headerLength = b.getInt(8);
      start = 12;
    } else {
      throw bad(name, ".npy format version " + major + " is not supported");
    }
    if (headerLength < 0 || start + headerLength > bytes.length) {
      throw bad(name, "the .npy header is cut short");
    }
    String header = new String(bytes, start, headerLength, StandardCharsets.ISO_8859_1);
    String foundDescr = group(DESCR, header);
    String fortran = group(FORTRAN, header);
    String shapeText = group(SHAPE, header);
    if (foundDescr == null || fortran == null || shapeText == null) {
      throw bad(name, "the .npy header is malformed: " + header.strip());
    }
    if (!foundDescr.equals(descr)) {
      throw bad(name, "holds dtype " + foundDescr + " where " + descr + " is expected");
    }
    if (fortran.equals("True")) {
      throw bad(name, "is in Fortran order; the bundle stores C order");
    }
    long[] found =
        Arrays.stream(shapeText.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .mapToLong(Long::parseLong)
            .toArray();
    if (!Arrays.equals(found, shape)) {
      throw bad(
          name,
          "has shape "
              + Arrays.toString(found)
              + " but the manifest declares "
              + Arrays.toString(shape));
    }
    long count = 1;
    for (long s : shape) {
      count *= s;
    }
    int width = descr.endsWith("8") ? 8 : 4;
    int dataStart = start + headerLength;
    if (bytes.length - dataStart != count * width) {
      throw bad(
          name,
          String.format(
              Locale.ROOT,
              "holds %d data bytes where shape %s needs %d",
              bytes.length - dataStart,
              Arrays.toString(shape),
              count * width));
    }
    return ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart)
        .slice()
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : null;
  }

  private static BundleException bad(String name, String why) {
    return new BundleException(
        name
            + ": "
            + why
            + "; the bundle is damaged: rebuild it by running the recipe again (deepclust run"
            + " RUN/config.json)");
  }

  private static void checkSize(int n, long[] shape) {
    long count = 1;
    for (long s : shape) {
      count *= s;
    }
    if (count != n) {
      throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
    }
  }

  /**
   * The complete .npy 1.0 header (magic to the newline) for dtype {@code descr} (e.g. {@code <f4})
   * and {@code shape}, padded so that the data starts at a multiple of 64 bytes; for writers that
   * stream the data after it.
   */
  public static byte[] header(String descr, long... shape) {
    return withHeader(descr, shape, new byte[0]);
  }

  private static byte[] withHeader(String descr, long[] shape, byte[] data) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    }
    s.append(')');
    StringBuilder dict =
        new StringBuilder("{'descr': '")
            .append(descr)
            .append("', 'fortran_order': False, 'shape': ")
            .append(s)
            .append(", }");
    int preamble = 10;
    int pad = 64 - ((preamble + dict.length() + 1) % 64);
    dict.append(" ".repeat(pad % 64)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(preamble + text.length + data.length);
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    out.write(text.length & 0xFF);
    out.write((text.length >> 8) & 0xFF);
    out.writeBytes(text);
    out.writeBytes(data);
    return out.toByteArray();
  }
}
