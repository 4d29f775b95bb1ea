package io.deepclust.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0, as {@code numpy.save} writes
 * them; NumPy's "NEP 1") into a {@link NumericArray}; a gzip'ed file is decompressed first.
 *
 * <p>Element types ({@code descr}): {@code b1} (bool), {@code i1 u1 i2 u2 i4 u4 i8 u8} and {@code
 * f2 f4 f8}, little ({@code <}) or big ({@code >}) endian. The data must be in C order: a file with
 * {@code fortran_order: True} is refused with the fix ({@code np.ascontiguousarray}), as is a
 * structured or object array. The content must hold exactly the header's {@code prod(shape)}
 * elements.
 */
final class NpyArrays {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyArrays() {}

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
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.length <= i || b[i] != MAGIC[i]) {
        throw new DataSourceException(
            file,
            file
                + ": not a .npy file (it does not start with \\x93NUMPY); save arrays with"
                + " numpy.save (an .npz archive is not read: save each array on its own)");
      }
    }
    if (b.length < 10) {
      throw new DataSourceException(file, file + ": truncated inside the .npy header");
    }
    int major = b[6] & 0xFF;
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = le.getShort(8) & 0xFFFF;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (b.length < 12) {
        throw new DataSourceException(file, file + ": truncated inside the .npy header");
      }
      headerLen = le.getInt(8);
      start = 12;
    } else {
      throw new DataSourceException(
          file, file + ": .npy format version " + major + " is not known (1, 2 or 3 are)");
    }
    if (headerLen < 0 || (long) start + headerLen > b.length) {
      throw new DataSourceException(file, file + ": truncated inside the .npy header");
    }
    String header =
        new String(
            b, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeM.find()) {
      throw new DataSourceException(
          file,
          file
              + ": the .npy header is not a plain array's ("
              + header.strip()
              + "); structured and object arrays are not read, save a numeric array");
    }
    if (fortran.group(1).equals("True")) {
      throw new DataSourceException(
          file,
          file
              + ": the array is stored in Fortran (column-major) order, which deepclust does not"
              + " read; save it in C order: numpy.save(path, numpy.ascontiguousarray(a))");
    }
    List<Integer> dims = new ArrayList<>();
    for (String s : shapeM.group(1).split(",")) {
      if (!s.isBlank()) {
        dims.add(Integer.parseInt(s.strip().replace("L", "")));
      }
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    String d = descr.group(1);
    if (d.length() < 3) {
      throw new DataSourceException(file, file + ": dtype '" + d + "' is not numeric");
    }
    char order = d.charAt(0);
    String code = d.substring(1);
    ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int size;
    NumericArray.ElementKind kind;
    switch (code) {
      case "b1", "u1" -> {
        size = 1;
        kind = NumericArray.ElementKind.UINT8;
      }
      case "i1" -> {
        size = 1;
        kind = NumericArray.ElementKind.INTEGER;
      }
      case "i2", "u2" -> {
        size = 2;
        kind = NumericArray.ElementKind.INTEGER;
      }
      case "i4", "u4" -> {
        size = 4;
        kind = NumericArray.ElementKind.INTEGER;
      }
      case "i8", "u8" -> {
        size = 8;
        kind = NumericArray.ElementKind.INTEGER;
      }
      case "f2" -> {
        size = 2;
        kind = NumericArray.ElementKind.FLOAT;
      }
      case "f4" -> {
        size = 4;
        kind = NumericArray.ElementKind.FLOAT;
      }
      case "f8" -> {
        size = 8;
        kind = NumericArray.ElementKind.FLOAT;
      }
      default ->
          throw new DataSourceException(
              file,
              file
                  + ": dtype '"
                  + d
                  + "' is not read; save a bool, integer or float array (e.g."
                  + " a.astype(numpy.float32))");
    }
    if (code.equals("b1")) {
      code = "bool"; // 0/1, scaled like u8
    }
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    int at = start + headerLen;
    long expected = at + n * size;
    if (b.length != expected) {
      throw new DataSourceException(
          file,
          String.format(
              Locale.ROOT,
              "%s: %s: the header gives shape %s of %s (%d bytes with the header) but the file"
                  + " holds %d bytes; the file is damaged or incomplete, save it again",
              file,
              b.length < expected ? "truncated" : "trailing bytes after the data",
              IdxArrays.shapeText(shape),
              d,
              expected,
              b.length));
    }
    float[] v = new float[Math.toIntExact(n)];
    ByteBuffer buf = ByteBuffer.wrap(b, at, b.length - at).order(bo);
    for (int i = 0; i < v.length; i++) {
      v[i] =
          switch (code) {
            case "bool", "u1" -> buf.get() & 0xFF;
            case "i1" -> buf.get();
            case "i2" -> buf.getShort();
            case "u2" -> buf.getShort() & 0xFFFF;
            case "i4" -> buf.getInt();
            case "u4" -> buf.getInt() & 0xFFFFFFFFL;
            case "i8" -> buf.getLong();
            case "u8" -> unsignedLong(buf.getLong());
            case "f2" -> halfToFloat(buf.getShort());
            case "f4" -> buf.getFloat();
            default -> (float) buf.getDouble();
          };
    }
    String dtype = code.equals("bool") ? "bool" : numpyName(code);
    return new NumericArray(file, shape, v, kind, dtype);
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits >>> 15) << 31;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static float unsignedLong(long x) {
    return x >= 0 ? x : (float) (x >>> 1) * 2f;
  }

  private static String numpyName(String code) {
    int bytes = code.charAt(1) - '0';
    String base =
        switch (code.charAt(0)) {
          case 'i' -> "int";
          case 'u' -> "uint";
          default -> "float";
        };
    return String.format(Locale.ROOT, "%s%d", base, bytes * 8);
  }
}
