package io.deepclust.spark;

import io.deepclust.data.ImageTransforms;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Pixels of one image, channel-first {@code (C, H, W)} in [0, 1] as every deepclust source gives
 * them ({@code io.deepclust.data.ImageDataset}), from the bytes a Spark row carries: an encoded
 * image file (PNG, JPEG, BMP, GIF; decoded by the rule of the single-machine {@code folder:}
 * source), raw 8-bit pixels of the model's shape (divided by 255), or the rows of an NPY shard.
 */
final class Pixels {
  private Pixels() {}

  /**
   * The image in {@code bytes}, brought to the model's input shape as the single-machine tools do
   * ({@link ImageTransforms#convert}).
   *
   * @param shape the model's {@code (C, H, W)}
   * @param where the file or row, for errors
   * @throws IllegalArgumentException when the bytes are neither an image Java can decode nor C*H*W
   *     raw pixels
   */
  static float[] decode(byte[] bytes, int[] shape, String where) {
    int pixels = shape[0] * shape[1] * shape[2];
    if (bytes.length == pixels && !looksEncoded(bytes)) {
      float[] v = new float[pixels];
      for (int i = 0; i < pixels; i++) {
        v[i] = (bytes[i] & 0xFF) / 255f;
      }
      return v;
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(
          where + ": cannot decode the image (" + e.getMessage() + "); the file is damaged", e);
    }
    if (img == null) {
      throw new IllegalArgumentException(
          where
              + ": neither a PNG, JPEG, BMP or GIF image that Java can decode nor "
              + pixels
              + " raw 8-bit pixels of the model's shape "
              + ImageTransforms.shapeText(shape[0], shape[1], shape[2])
              + " ("
              + bytes.length
              + " bytes); convert it to PNG");
    }
    // the single-machine folder source's decoding rule, so both read a file alike
    int h = img.getHeight();
    int w = img.getWidth();
    int c = ImageTransforms.isGrey(img) ? 1 : 3;
    float[] v = ImageTransforms.pixels(img);
    if (c == shape[0] && h == shape[1] && w == shape[2]) {
      return v;
    }
    return ImageTransforms.convert(v, c, h, w, shape, false);
  }

  private static boolean looksEncoded(byte[] b) {
    return b.length > 4
        && ((b[0] == (byte) 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
            || (b[0] == (byte) 0xFF && b[1] == (byte) 0xD8)
            || (b[0] == 'B' && b[1] == 'M')
            || (b[0] == 'G' && b[1] == 'I' && b[2] == 'F'));
  }

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * The rows of an NPY shard {@code (n, ...)}, each flattened: {@code uint8} divided by 255 (as the
   * {@code npy:} source scales 8-bit images), {@code float32} / {@code float64} as stored (they
   * must already be in [0, 1]).
   *
   * @param pixels values per row the model takes
   * @throws IllegalArgumentException naming the file when the header is not a C-order array of a
   *     supported type or the rows have another size
   */
  static List<float[]> npyRows(byte[] b, int pixels, String file) {
    if (b.length < 10 || b[0] != (byte) 0x93 || b[1] != 'N' || b[2] != 'U') {
      throw new IllegalArgumentException(file + ": not an NPY file (no \\x93NUMPY magic)");
    }
    int major = b[6];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
    int start = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(b, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !s.find() || (f.find() && f.group(1).equals("True"))) {
      throw new IllegalArgumentException(
          file + ": NPY header " + header.trim() + " is not a C-order array; save it with numpy");
    }
    long n = -1;
    long per = 1;
    for (String dim : s.group(1).split(",")) {
      if (dim.isBlank()) {
        continue;
      }
      long v = Long.parseLong(dim.trim());
      if (n < 0) {
        n = v;
      } else {
        per *= v;
      }
    }
    if (per != pixels) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: rows of %d values (shape (%s)) but the model takes %d per image",
              file,
              per,
              s.group(1),
              pixels));
    }
    String descr = d.group(1);
    List<float[]> rows = new ArrayList<>((int) n);
    bb.position(start);
    for (long i = 0; i < n; i++) {
      float[] v = new float[pixels];
      switch (descr) {
        case "|u1", "<u1", "u1" -> {
          for (int j = 0; j < pixels; j++) {
            v[j] = (bb.get() & 0xFF) / 255f;
          }
        }
        case "<f4" -> {
          for (int j = 0; j < pixels; j++) {
            v[j] = bb.getFloat();
          }
        }
        case "<f8" -> {
          for (int j = 0; j < pixels; j++) {
            v[j] = (float) bb.getDouble();
          }
        }
        default ->
            throw new IllegalArgumentException(
                file + ": NPY type " + descr + " is not supported; save uint8, float32 or float64");
      }
      rows.add(v);
    }
    return rows;
  }
}
