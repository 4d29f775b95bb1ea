package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deepclust data info SOURCE}: whole content checked, a truncated file an error. */
class DataInfoCommandTest {
  @TempDir Path tmp;

  private static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  private static byte[] gzip(byte[] raw) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(raw);
    }
    return bos.toByteArray();
  }

  @Test
  void infoPrintsShapeRangeAndBalanceAndRefusesATruncatedFile() throws Exception {
    byte[] pixels = new byte[4 * 3 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    Path images = tmp.resolve("images.gz");
    Path labels = tmp.resolve("labels");
    Files.write(images, gzip(idx(0x08, new int[] {4, 3, 3}, pixels)));
    Files.write(labels, idx(0x08, new int[] {4}, new byte[] {1, 2, 2, 2}));
    Map<String, String> before = Cli.snapshot(tmp);
    Cli.Outcome ok = Cli.run("data", "info", "idx:" + images + "," + labels);
    assertEquals(0, ok.code(), ok.all());
    assertTrue(ok.out().contains("4 of (C, H, W) = (1, 3, 3)"), ok.out());
    assertTrue(ok.out().contains("min 0.0000, max 0.9608"), ok.out());
    assertTrue(ok.out().contains("1 (25.00%)"), ok.out());
    assertTrue(ok.out().contains("1->0, 2->1"), "[" + ok.out() + "]");
    assertEquals(before, Cli.snapshot(tmp), "data info wrote into the user's folder");

    byte[] gz = Files.readAllBytes(images);
    Path cut = tmp.resolve("cut.gz");
    Files.write(cut, Arrays.copyOf(gz, gz.length - 4));
    Cli.Outcome bad = Cli.run("data", "info", "idx:" + cut);
    assertEquals(1, bad.code(), bad.all());
    assertTrue(bad.err().contains(cut.toString()), bad.err());

    Cli.Outcome shaped = Cli.run("data", "info", "idx:" + images, "--shape", "3,6,6");
    assertEquals(0, shaped.code(), shaped.all());
    assertTrue(shaped.out().contains("(3, 6, 6)"), shaped.out());
    assertTrue(shaped.out().contains("labels:   none"), shaped.out());
  }
}
