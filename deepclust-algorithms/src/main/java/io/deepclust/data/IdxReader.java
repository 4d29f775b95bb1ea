package io.deepclust.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads files in the IDX format of the original MNIST distribution (LeCun et al., "THE MNIST
 * DATABASE of handwritten digits"), gzip-compressed or raw; compression is recognised by the gzip
 * magic bytes {@code 1f 8b}, not by the file name.
 *
 * <p>Layout, all integers big-endian: bytes 0-1 are zero, byte 2 is the data type ({@code 0x08}
 * unsigned byte, {@code 0x09} signed byte, {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D}
 * float, {@code 0x0E} double), byte 3 the number of dimensions d; then d 32-bit sizes; then the
 * data, row-major. Only unsigned bytes are supported, which is what MNIST-like image and label
 * files use. The file length must be exactly {@code 4 + 4d + prod(sizes)}.
 *
 * <p>Whole files are read in one bulk call (60,000 x 784 in a fraction of a second); every problem
 * is reported as an {@link IdxFormatException} naming the file.
 */
public final class IdxReader {
  /** IDX data type code for unsigned bytes, the only one supported. */
  public static final int TYPE_UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /**
   * The images of an idx3 file: {@code count} images of {@code rows x cols} unsigned bytes, image
   * after image, each row-major.
   */
  public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    public IdxImages {
      if ((long) count * rows * cols != pixels.length) {
        throw new IllegalArgumentException(
            count
                + " images of "
                + rows
                + "x"
                + cols
                + " need "
                + ((long) count * rows * cols)
                + " bytes, got "
                + pixels.length);
      }
    }

    /** Pixels per image, {@code rows * cols}. */
    public int pixelsPerImage() {
      return rows * cols;
    }
  }

  /** The header of an IDX file: its data type code and its dimension sizes. */
  public record IdxHeader(int dataType, int[] dims) {
    /** Number of data elements, the product of {@link #dims()}. */
    public long elementCount() {
      long n = 1;
      for (int d : dims) {
        n *= d;
      }
      return n;
    }
  }

  /** Reads an idx3 unsigned-byte image file. Same as {@code readImages(file, null)}. */
  public static IdxImages readImages(Path file) {
    return readImages(file, null);
  }

  /**
   * Reads an idx3 unsigned-byte image file ({@code n x h x w}, any h and w).
   *
   * @param fixHint appended to error messages, e.g. {@code "re-fetch with: ./deepclust data fetch
   *     mnist"}; may be null
   * @throws IdxFormatException if the file is missing, not IDX, not unsigned byte, not 3-D,
   *     truncated, has trailing bytes, or is corrupt gzip
   */
  public static IdxImages readImages(Path file, String fixHint) {
    byte[] bytes = readDecompressed(file, fixHint);
    IdxHeader h = parseHeader(file, bytes, 3, fixHint);
    checkLength(file, bytes, h, fixHint);
    int n = h.dims()[0];
    int rows = h.dims()[1];
    int cols = h.dims()[2];
    int offset = headerLength(3);
    byte[] pixels = new byte[bytes.length - offset];
    System.arraycopy(bytes, offset, pixels, 0, pixels.length);
    return new IdxImages(n, rows, cols, pixels);
  }

  /** Reads an idx1 unsigned-byte label file. Same as {@code readLabels(file, null)}. */
  public static int[] readLabels(Path file) {
    return readLabels(file, null);
  }

  /**
   * Reads an idx1 unsigned-byte label file into labels 0..255.
   *
   * @param fixHint appended to error messages; may be null
   * @throws IdxFormatException as {@link #readImages(Path, String)}, with 1 dimension expected
   */
  public static int[] readLabels(Path file, String fixHint) {
    byte[] bytes = readDecompressed(file, fixHint);
    IdxHeader h = parseHeader(file, bytes, 1, fixHint);
    checkLength(file, bytes, h, fixHint);
    int n = h.dims()[0];
    int offset = headerLength(1);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = bytes[offset + i] & 0xFF;
    }
    return labels;
  }

  /**
   * Reads only the header (decompressing just its first bytes), for quick summaries. Does not check
   * the file length.
   *
   * @param expectedDims the number of dimensions required (1 for labels, 3 for images)
   */
  public static IdxHeader readHeader(Path file, int expectedDims, String fixHint) {
    int want = headerLength(expectedDims);
    byte[] head;
    try (InputStream in = openDecompressed(file)) {
      head = in.readNBytes(want);
    } catch (NoSuchFileException e) {
      throw new IdxFormatException(file, file + ": no such file" + hint(fixHint), e);
    } catch (IOException e) {
      throw new IdxFormatException(
          file, file + ": cannot read: " + e.getMessage() + hint(fixHint), e);
    }
    return parseHeader(file, head, expectedDims, fixHint);
  }

  /**
   * The whole decompressed content of {@code file}: gunzipped if it starts with the gzip magic,
   * as-is otherwise.
   *
   * @throws IdxFormatException if the file is missing, unreadable or corrupt gzip
   */
  public static byte[] readDecompressed(Path file, String fixHint) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IdxFormatException(file, file + ": no such file" + hint(fixHint), e);
    } catch (IOException e) {
      throw new IdxFormatException(
          file, file + ": cannot read: " + e.getMessage() + hint(fixHint), e);
    }
    if (!isGzip(raw)) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
      return in.readAllBytes();
    } catch (ZipException | EOFException e) {
      throw new IdxFormatException(
          file, file + ": corrupt gzip data (" + e.getMessage() + ")" + hint(fixHint), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayInputStream does not fail otherwise
    }
  }

  /** Opens {@code file} as a stream of its decompressed content (gzip detected by magic bytes). */
  public static InputStream openDecompressed(Path file) throws IOException {
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  /** Whether {@code bytes} start with the gzip magic {@code 1f 8b}. */
  public static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
  }

  /** Whether {@code file} starts with the gzip magic {@code 1f 8b}. */
  public static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return isGzip(in.readNBytes(2));
    }
  }

  static int headerLength(int dims) {
    return 4 + 4 * dims;
  }

  private static IdxHeader parseHeader(Path file, byte[] b, int expectedDims, String fixHint) {
    String what = expectedDims == 3 ? "an idx3 image file" : "an idx" + expectedDims + " file";
    if (b.length < 4) {
      throw new IdxFormatException(
          file,
          file
              + ": too short for an IDX header ("
              + b.length
              + " bytes); expected "
              + what
              + hint(fixHint));
    }
    int magic = readInt(b, 0);
    if ((b[0] | b[1]) != 0) {
      throw new IdxFormatException(
          file,
          String.format(
              "%s: not an IDX file: magic number 0x%08X, expected 0x%08X (%s of unsigned bytes);"
                  + " the first two bytes of an IDX file are zero%s",
              file, magic, (TYPE_UNSIGNED_BYTE << 8) | expectedDims, what, hint(fixHint)));
    }
    int type = b[2] & 0xFF;
    if (type != TYPE_UNSIGNED_BYTE) {
      throw new IdxFormatException(
          file,
          String.format(
              "%s: unsupported IDX data type 0x%02X (%s); only 0x08 (unsigned byte) is"
                  + " supported%s",
              file, type, typeName(type), hint(fixHint)));
    }
    int dims = b[3] & 0xFF;
    if (dims != expectedDims) {
      throw new IdxFormatException(
          file,
          file
              + ": header says "
              + dims
              + " dimension(s) but "
              + what
              + " has "
              + expectedDims
              + (dims == 1
                  ? " (is this a label file?)"
                  : dims == 3 ? " (is this an image file?)" : "")
              + hint(fixHint));
    }
    if (b.length < headerLength(dims)) {
      throw new IdxFormatException(
          file,
          file
              + ": truncated inside the header ("
              + b.length
              + " bytes, the header of "
              + what
              + " has "
              + headerLength(dims)
              + ")"
              + hint(fixHint));
    }
    int[] sizes = new int[dims];
    for (int d = 0; d < dims; d++) {
      sizes[d] = readInt(b, 4 + 4 * d);
      if (sizes[d] < 0 || (d > 0 && sizes[d] == 0)) {
        throw new IdxFormatException(
            file,
            file
                + ": invalid size "
                + Integer.toUnsignedString(sizes[d])
                + " for dimension "
                + d
                + " in the header"
                + hint(fixHint));
      }
    }
    return new IdxHeader(type, sizes);
  }

  private static void checkLength(Path file, byte[] bytes, IdxHeader h, String fixHint) {
    long expected = headerLength(h.dims().length) + h.elementCount();
    if (bytes.length == expected) {
      return;
    }
    String holds;
    try {
      holds = isGzip(file) ? "the decompressed file holds " : "the file holds ";
    } catch (IOException e) {
      holds = "the file holds ";
    }
    String problem =
        bytes.length < expected
            ? "truncated"
            : (bytes.length - expected) + " trailing byte(s) after the data";
    throw new IdxFormatException(
        file,
        file
            + ": "
            + problem
            + ": header says "
            + describe(h)
            + " ("
            + expected
            + " bytes) but "
            + holds
            + bytes.length
            + " bytes"
            + hint(fixHint));
  }

  private static String describe(IdxHeader h) {
    int[] d = h.dims();
    if (d.length == 3) {
      return d[0] + " images of " + d[1] + "x" + d[2];
    }
    if (d.length == 1) {
      return d[0] + " labels";
    }
    return java.util.Arrays.toString(d) + " elements";
  }

  private static String typeName(int type) {
    switch (type) {
      case 0x08:
        return "unsigned byte";
      case 0x09:
        return "signed byte";
      case 0x0B:
        return "short";
      case 0x0C:
        return "int";
      case 0x0D:
        return "float";
      case 0x0E:
        return "double";
      default:
        return "not a valid IDX type";
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  private static String hint(String fixHint) {
    return fixHint == null || fixHint.isBlank() ? "" : "; " + fixHint;
  }
}
