package io.deepclust.data;

import static io.deepclust.data.IdxFixtures.gzip;
import static io.deepclust.data.IdxFixtures.idx;
import static io.deepclust.data.IdxFixtures.images;
import static io.deepclust.data.IdxFixtures.labels;
import static io.deepclust.data.IdxFixtures.pixels;
import static io.deepclust.data.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readsRawImagesOfOddSize() throws Exception {
    Path f = write(dir.resolve("imgs"), images(3, 5, 7));
    IdxReader.IdxImages im = IdxReader.readImages(f);
    assertEquals(3, im.count());
    assertEquals(5, im.rows());
    assertEquals(7, im.cols());
    assertEquals(35, im.pixelsPerImage());
    assertArrayEquals(pixels(3, 5, 7), im.pixels());
  }

  @Test
  void readsGzipByMagicNotByName() throws Exception {
    // gzip content under a plain name, raw content under a .gz name: both must work.
    Path gzNoSuffix = write(dir.resolve("imgs-idx3-ubyte"), gzip(images(3, 5, 7)));
    Path rawWithSuffix = write(dir.resolve("imgs-idx3-ubyte.gz"), images(3, 5, 7));
    assertArrayEquals(pixels(3, 5, 7), IdxReader.readImages(gzNoSuffix).pixels());
    assertArrayEquals(pixels(3, 5, 7), IdxReader.readImages(rawWithSuffix).pixels());
  }

  @Test
  void readsLabelsRawAndGzip() throws Exception {
    int[] y = {0, 9, 255, 3};
    assertArrayEquals(y, IdxReader.readLabels(write(dir.resolve("l"), labels(y))));
    assertArrayEquals(y, IdxReader.readLabels(write(dir.resolve("l.gz"), gzip(labels(y)))));
  }

  @Test
  void readsEmptyLabelFile() throws Exception {
    assertEquals(0, IdxReader.readLabels(write(dir.resolve("l"), labels())).length);
  }

  @Test
  void readsHeaderOnly() throws Exception {
    Path f = write(dir.resolve("i.gz"), gzip(images(4, 2, 3)));
    IdxReader.IdxHeader h = IdxReader.readHeader(f, 3, null);
    assertEquals(0x08, h.dataType());
    assertArrayEquals(new int[] {4, 2, 3}, h.dims());
    assertEquals(24, h.elementCount());
  }

  @Test
  void rejectsWrongMagic() throws Exception {
    byte[] b = images(3, 5, 7);
    b[0] = 0x12;
    b[1] = 0x34;
    Path f = write(dir.resolve("bad-magic"), b);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f));
    assertMessage(e, f, "not an IDX file", "0x12340803", "0x00000803");
    assertEquals(f, e.file());
  }

  @Test
  void rejectsHtmlErrorPage() throws Exception {
    Path f = write(dir.resolve("page.gz"), "<html>Not found</html>".getBytes("UTF-8"));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f)),
        f,
        "not an IDX file");
  }

  @Test
  void rejectsUnsupportedDataType() throws Exception {
    Path f = write(dir.resolve("floats"), idx(0x0D, new int[] {1, 2, 2}, new byte[16]));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f)),
        f,
        "0x0D",
        "float",
        "only 0x08 (unsigned byte)");
  }

  @Test
  void rejectsWrongDimensions() throws Exception {
    Path lab = write(dir.resolve("labels"), labels(1, 2, 3));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(lab)),
        lab,
        "1 dimension(s)",
        "has 3",
        "label file");
    Path img = write(dir.resolve("images"), images(2, 2, 2));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(img)),
        img,
        "3 dimension(s)",
        "image file");
  }

  @Test
  void rejectsTruncatedWithSizesAndHint() throws Exception {
    byte[] full = images(3, 5, 7); // 16 + 105 = 121 bytes
    Path f = write(dir.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(full, 120));
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class,
            () -> IdxReader.readImages(f, "re-fetch with: ./deepclust data fetch mnist"));
    assertMessage(
        e,
        f,
        "truncated: header says 3 images of 5x7 (121 bytes) but the file holds 120 bytes",
        "re-fetch with: ./deepclust data fetch mnist");
  }

  @Test
  void rejectsTruncatedGzipContentAndSaysDecompressed() throws Exception {
    Path f = write(dir.resolve("l.gz"), gzip(Arrays.copyOf(labels(1, 2, 3, 4), 10)));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f)),
        f,
        "truncated: header says 4 labels (12 bytes) but the decompressed file holds 10 bytes");
  }

  @Test
  void rejectsTruncatedHeader() throws Exception {
    Path f = write(dir.resolve("short"), Arrays.copyOf(images(1, 2, 2), 9));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(f)),
        f,
        "truncated inside the header");
    Path g = write(dir.resolve("tiny"), new byte[] {0, 0});
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(g)), g, "too short");
  }

  @Test
  void rejectsTrailingBytes() throws Exception {
    byte[] full = labels(1, 2, 3);
    Path f = write(dir.resolve("labels-extra"), Arrays.copyOf(full, full.length + 2));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f)),
        f,
        "2 trailing byte(s)",
        "header says 3 labels (11 bytes) but the file holds 13 bytes");
  }

  @Test
  void rejectsCorruptGzip() throws Exception {
    byte[] gz = gzip(images(3, 5, 7));
    Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut)),
        cut,
        "corrupt gzip");
    byte[] garbled = gz.clone();
    for (int i = 12; i < garbled.length - 8; i++) {
      garbled[i] = (byte) 0xFF;
    }
    Path bad = write(dir.resolve("garbled.gz"), garbled);
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readImages(bad)),
        bad,
        "corrupt gzip");
  }

  @Test
  void rejectsNegativeSize() throws Exception {
    Path f = write(dir.resolve("neg"), idx(0x08, new int[] {-1}, new byte[0]));
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f)),
        f,
        "invalid size 4294967295");
  }

  @Test
  void missingFileIsAFormatErrorNamingIt() {
    Path f = dir.resolve("nope");
    assertMessage(
        assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(f)), f, "no such file");
  }

  static void assertMessage(Exception e, Path file, String... parts) {
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString()) || m.contains(file.toString()), m);
    for (String p : parts) {
      assertTrue(m.contains(p), "expected '" + p + "' in: " + m);
    }
  }
}
