package io.deepclust.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small image files of every source format, written into a test's temp folder. */
final class SourceFixtures {
  private SourceFixtures() {}

  /** An RGB image of {@code h x w}, every pixel {@code (r, g, b)}. */
  static void rgb(Path file, int h, int w, int r, int g, int b) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    write(img, file);
  }

  /** A grey image whose pixel (y, x) is {@code (base + 10 y + x) mod 256}. */
  static void grey(Path file, int h, int w, int base) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (base + 10 * y + x) % 256);
      }
    }
    write(img, file);
  }

  static void write(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String name = file.getFileName().toString();
    String format = name.substring(name.lastIndexOf('.') + 1);
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no ImageIO writer for " + format);
    }
  }

  /** An IDX file of element {@code type} (0x08..0x0E) holding {@code values}. */
  static byte[] idx(int type, int[] dims, double[] values) {
    int size =
        switch (type) {
          case 0x08, 0x09 -> 1;
          case 0x0B -> 2;
          case 0x0C, 0x0D -> 4;
          default -> 8;
        };
    ByteBuffer b =
        ByteBuffer.allocate(4 + 4 * dims.length + size * values.length).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    for (double v : values) {
      switch (type) {
        case 0x08, 0x09 -> b.put((byte) v);
        case 0x0B -> b.putShort((short) v);
        case 0x0C -> b.putInt((int) v);
        case 0x0D -> b.putFloat((float) v);
        default -> b.putDouble(v);
      }
    }
    return b.array();
  }

  /** A .npy file (version 1.0) of {@code descr} ({@code <f4}, {@code >f8}, {@code |u1} ...). */
  static byte[] npy(String descr, boolean fortran, int[] shape, double[] values) {
    StringBuilder sh = new StringBuilder("(");
    for (int d : shape) {
      sh.append(d).append(", ");
    }
    if (shape.length > 1) {
      sh.setLength(sh.length() - 2);
    } else {
      sh.setLength(sh.length() - 1);
    }
    sh.append(')');
    String header =
        "{'descr': '"
            + descr
            + "', 'fortran_order': "
            + (fortran ? "True" : "False")
            + ", 'shape': "
            + sh
            + ", }";
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    int size = Integer.parseInt(descr.substring(2));
    ByteOrder bo = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + size * values.length).order(bo);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.put((byte) (header.length() & 0xFF)).put((byte) (header.length() >> 8));
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    char kind = descr.charAt(1);
    for (double v : values) {
      if (kind == 'f') {
        if (size == 4) {
          b.putFloat((float) v);
        } else {
          b.putDouble(v);
        }
      } else {
        switch (size) {
          case 1 -> b.put((byte) v);
          case 2 -> b.putShort((short) v);
          case 4 -> b.putInt((int) v);
          default -> b.putLong((long) v);
        }
      }
    }
    return b.array();
  }

  /** 0, 1, 2, ... n-1. */
  static double[] ramp(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }
}
