package io.deepclust.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads an IDX file of any element type and any number of dimensions into a {@link NumericArray}
 * (LeCun et al., "THE MNIST DATABASE of handwritten digits"; the EMNIST files use the same format).
 * The file may be gzip'ed (recognised by its magic bytes, with its CRC and length checked) or raw.
 *
 * <p>Header: two zero bytes, the type ({@code 0x08} u8, {@code 0x09} i8, {@code 0x0B} i16, {@code
 * 0x0C} i32, {@code 0x0D} f32, {@code 0x0E} f64), the number of dimensions d, then d big-endian
 * 32-bit sizes; then the data, big-endian, row-major. The content must be exactly {@code 4 + 4d +
 * prod(sizes) * elementSize} bytes: a truncated file or trailing bytes are errors.
 */
final class IdxArrays {
  private IdxArrays() {}

  static NumericArray read(Path file) {
    byte[] b;
    try {
      b = IdxReader.readDecompressed(file, null);
    } catch (IdxFormatException e) {
      if (e.getCause() instanceof java.io.IOException io
          && !(io instanceof java.util.zip.ZipException)
          && !(io instanceof java.io.EOFException)) {
        throw DataSourceException.cannotRead(file, io);
      }
      throw new DataSourceException(file, e.getMessage(), e);
    }
    if (b.length < 4 || b[0] != 0 || b[1] != 0) {
      throw new DataSourceException(
          file,
          file
              + ": not an IDX file (an IDX file starts with two zero bytes, a type and the number"
              + " of dimensions); check the path, or use npy: or csv: for other formats");
    }
    int type = b[2] & 0xFF;
    int size;
    String dtype;
    NumericArray.ElementKind kind;
    switch (type) {
      case 0x08 -> {
        size = 1;
        dtype = "u8";
        kind = NumericArray.ElementKind.UINT8;
      }
      case 0x09 -> {
        size = 1;
        dtype = "i8";
        kind = NumericArray.ElementKind.INTEGER;
      }
      case 0x0B -> {
        size = 2;
        dtype = "i16";
        kind = NumericArray.ElementKind.INTEGER;
      }
      case 0x0C -> {
        size = 4;
        dtype = "i32";
        kind = NumericArray.ElementKind.INTEGER;
      }
      case 0x0D -> {
        size = 4;
        dtype = "f32";
        kind = NumericArray.ElementKind.FLOAT;
      }
      case 0x0E -> {
        size = 8;
        dtype = "f64";
        kind = NumericArray.ElementKind.FLOAT;
      }
      default ->
          throw new DataSourceException(
              file,
              String.format(
                  Locale.ROOT,
                  "%s: IDX type byte 0x%02X is not an IDX element type (0x08 u8, 0x09 i8, 0x0B"
                      + " i16, 0x0C i32, 0x0D f32, 0x0E f64); the file is damaged or not IDX",
                  file,
                  type));
    }
    int dims = b[3] & 0xFF;
    if (dims == 0 || b.length < 4 + 4 * dims) {
      throw new DataSourceException(
          file,
          file
              + ": "
              + (dims == 0 ? "header gives 0 dimensions" : "truncated inside the header")
              + "; the file is damaged or not IDX");
    }
    ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    int[] shape = new int[dims];
    long n = 1;
    for (int d = 0; d < dims; d++) {
      shape[d] = buf.getInt(4 + 4 * d);
      if (shape[d] < 0) {
        throw new DataSourceException(
            file,
            file
                + ": header gives size "
                + Integer.toUnsignedString(shape[d])
                + " for dimension "
                + d
                + "; the file is damaged");
      }
      n *= shape[d];
    }
    long expected = 4 + 4L * dims + n * size;
    if (b.length != expected) {
      throw new DataSourceException(
          file,
          String.format(
              Locale.ROOT,
              "%s: %s: the header gives %s %s elements (%d bytes with the header) but the%s"
                  + " content holds %d bytes; the file is damaged or incomplete, get a complete"
                  + " copy",
              file,
              b.length < expected ? "truncated" : "trailing bytes after the data",
              shapeText(shape),
              dtype,
              expected,
              IdxReader.isGzip(readHead(file)) ? " decompressed" : "",
              b.length));
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new DataSourceException(file, file + ": " + n + " values are too many to hold");
    }
    float[] v = new float[(int) n];
    int at = 4 + 4 * dims;
    buf.position(at);
    switch (type) {
      case 0x08 -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = b[at + i] & 0xFF;
        }
      }
      case 0x09 -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = b[at + i];
        }
      }
      case 0x0B -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = buf.getShort();
        }
      }
      case 0x0C -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = buf.getInt();
        }
      }
      case 0x0D -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = buf.getFloat();
        }
      }
      default -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) buf.getDouble();
        }
      }
    }
    return new NumericArray(file, shape, v, kind, dtype);
  }

  private static byte[] readHead(Path file) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      return in.readNBytes(2);
    } catch (java.io.IOException e) {
      return new byte[0];
    }
  }

  static String shapeText(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }
}
