package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source format, built small in a temp folder, read into (C, H, W) pixels in [0, 1]. */
class SourceReaderTest {
  @TempDir Path tmp;

  private static SourceReader.Loaded read(String source) {
    return SourceReader.read(SourceSpec.parse(source), source, null);
  }

  @Test
  void folderWithClassSubfoldersIsLabelledByFolderInNameOrder() throws Exception {
    Path root = tmp.resolve("pets");
    SourceFixtures.grey(root.resolve("dogs/b.png"), 4, 5, 30);
    SourceFixtures.grey(root.resolve("dogs/a.png"), 4, 5, 20);
    SourceFixtures.grey(root.resolve("cats/z.bmp"), 4, 5, 10);
    Files.writeString(root.resolve("cats/notes.txt"), "not an image");
    SourceReader.Loaded l = read("folder:" + root);
    ImageDataset d = l.data();
    assertEquals(3, d.size());
    assertEquals(List.of("cats", "dogs"), d.classNames());
    assertArrayEquals(new int[] {0, 1, 1}, d.labels());
    assertEquals(
        List.of(root.resolve("cats/z.bmp"), root.resolve("dogs/a.png"), root.resolve("dogs/b.png")),
        l.files());
    assertEquals(1, d.channels());
    assertEquals(4, d.height());
    assertEquals(5, d.width());
    // pixel (y=1, x=2) of dogs/a.png is 20 + 10 + 2
    assertEquals(32 / 255f, d.pixels().get(1, 1 * 5 + 2), 0f);
    assertTrue(l.description().contains("2 classes from subfolders"), l.description());
    assertTrue(l.description().contains("1 entries skipped"), l.description());
  }

  @Test
  void folderWithoutSubfoldersIsUnlabelled() throws Exception {
    Path root = tmp.resolve("scans");
    SourceFixtures.grey(root.resolve("2.png"), 3, 3, 0);
    SourceFixtures.grey(root.resolve("1.gif"), 3, 3, 100);
    ImageDataset d = read("folder:" + root).data();
    assertEquals(2, d.size());
    assertFalse(d.hasLabels());
    assertEquals(100 / 255f, d.pixels().get(0, 0), 0f); // 1.gif first
  }

  @Test
  void colourImageKeepsItsChannelsChannelFirst() throws Exception {
    Path root = tmp.resolve("rgb");
    SourceFixtures.rgb(root.resolve("a.png"), 2, 3, 255, 128, 0);
    ImageDataset d = read("folder:" + root).data();
    assertEquals(3, d.channels());
    int hw = 6;
    for (int i = 0; i < hw; i++) {
      assertEquals(1f, d.pixels().get(0, i), 0f); // R plane
      assertEquals(128 / 255f, d.pixels().get(0, hw + i), 0f); // G plane
      assertEquals(0f, d.pixels().get(0, 2 * hw + i), 0f); // B plane
    }
  }

  @Test
  void mixedGreyAndColourBecomeColourAndMixedSizesNeedAShape() throws Exception {
    Path root = tmp.resolve("mixed");
    SourceFixtures.rgb(root.resolve("a.png"), 4, 4, 255, 0, 0);
    SourceFixtures.grey(root.resolve("b.png"), 8, 6, 50);
    DataSourceException e = assertThrows(DataSourceException.class, () -> read("folder:" + root));
    assertTrue(e.getMessage().contains("differ in size"), e.getMessage());
    assertTrue(e.getMessage().contains("data.shape"), e.getMessage());
    SourceReader.Loaded l =
        SourceReader.read(SourceSpec.parse("folder:" + root), "mixed", new int[] {1, 4, 4});
    assertEquals(1, l.data().channels());
    // pure red to grey: its luma
    assertEquals(0.299f, l.data().pixels().get(0, 0), 1e-6f);
    assertTrue(l.description().contains("ITU-R 601 luma"), l.description());
    assertTrue(l.description().contains("resized bilinear"), l.description());
  }

  @Test
  void everyIdxElementTypeGzipOrRaw() throws Exception {
    int[][] types = {{0x08}, {0x09}, {0x0B}, {0x0C}, {0x0D}, {0x0E}};
    for (int[] t : types) {
      int type = t[0];
      double[] v = SourceFixtures.ramp(2 * 2 * 3);
      if (type == 0x0D || type == 0x0E) {
        for (int i = 0; i < v.length; i++) {
          v[i] /= 16.0; // floats in [0, 1]
        }
      }
      byte[] raw = SourceFixtures.idx(type, new int[] {2, 2, 3}, v);
      byte[] labels =
          SourceFixtures.idx(type == 0x0D ? 0x0D : 0x08, new int[] {2}, new double[] {3, 7});
      for (boolean gz : new boolean[] {false, true}) {
        Path img = tmp.resolve("t" + type + (gz ? ".gz" : ""));
        Path lab = tmp.resolve("l" + type + (gz ? ".gz" : ""));
        Files.write(img, gz ? IdxFixtures.gzip(raw) : raw);
        Files.write(lab, gz ? IdxFixtures.gzip(labels) : labels);
        SourceReader.Loaded l = read("idx:" + img + "," + lab);
        ImageDataset d = l.data();
        assertEquals(2, d.size(), "type " + type);
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        float scale = type == 0x0D || type == 0x0E ? 16f : 255f;
        assertEquals(11 / scale, d.pixels().get(1, 5), 1e-7f, "type " + type);
        // sparse labels 3, 7 become 0, 1, named by their values
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertEquals(List.of("3", "7"), d.classNames());
        assertTrue(l.description().contains("3->0, 7->1"), l.description());
      }
    }
  }

  @Test
  void idxOutOfRangeNeedsMinmaxAndTruncatedFilesAreErrors() throws Exception {
    Path img = tmp.resolve("wide.idx");
    Files.write(
        img, SourceFixtures.idx(0x0B, new int[] {2, 1, 2}, new double[] {-5, 0, 300, 1000}));
    DataSourceException e = assertThrows(DataSourceException.class, () -> read("idx:" + img));
    assertTrue(e.getMessage().contains("[-5, 1000]"), e.getMessage());
    assertTrue(e.getMessage().contains("scale=minmax"), e.getMessage());
    ImageDataset d = read("idx:" + img + "?scale=minmax").data();
    assertEquals(0f, d.pixels().get(0, 0), 0f);
    assertEquals(1f, d.pixels().get(1, 1), 0f);
    assertEquals(5 / 1005f, d.pixels().get(0, 1), 1e-7f);

    byte[] raw = SourceFixtures.idx(0x08, new int[] {3, 4, 4}, SourceFixtures.ramp(48));
    Path cut = tmp.resolve("cut");
    Files.write(cut, Arrays.copyOf(raw, raw.length - 5));
    e = assertThrows(DataSourceException.class, () -> read("idx:" + cut));
    assertTrue(e.getMessage().startsWith(cut + ": truncated"), e.getMessage());
    byte[] gz = IdxFixtures.gzip(raw);
    Path cutGz = tmp.resolve("cut.gz");
    Files.write(cutGz, Arrays.copyOf(gz, gz.length - 6)); // loses part of the CRC trailer
    e = assertThrows(DataSourceException.class, () -> read("idx:" + cutGz));
    assertTrue(e.getMessage().contains(cutGz.toString()), e.getMessage());
    Path missing = tmp.resolve("nope");
    e = assertThrows(DataSourceException.class, () -> read("idx:" + missing));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void npyOfEveryLayoutAndEndianness() throws Exception {
    Path a = tmp.resolve("a.npy");
    double[] v = SourceFixtures.ramp(2 * 3 * 2 * 2);
    for (int i = 0; i < v.length; i++) {
      v[i] /= 32;
    }
    Files.write(a, SourceFixtures.npy(">f8", false, new int[] {2, 3, 2, 2}, v));
    Path y = tmp.resolve("y.npy");
    Files.write(y, SourceFixtures.npy("<i8", false, new int[] {2}, new double[] {1, 2}));
    ImageDataset d = read("npy:" + a + "," + y).data();
    assertEquals(3, d.channels());
    assertEquals(2, d.height());
    assertEquals(13 / 32f, d.pixels().get(1, 1), 0f);
    assertArrayEquals(new int[] {0, 1}, d.labels()); // labels from 1 start at 0
    assertEquals(List.of("1", "2"), d.classNames());

    Path u = tmp.resolve("u.npy");
    Files.write(u, SourceFixtures.npy("|u1", false, new int[] {2, 3, 3}, SourceFixtures.ramp(18)));
    assertEquals(17 / 255f, read("npy:" + u).data().pixels().get(1, 8), 0f);
    Path f = tmp.resolve("f.npy");
    Files.write(f, SourceFixtures.npy("<f4", false, new int[] {3, 4}, new double[12]));
    ImageDataset flat = read("npy:" + f).data();
    assertEquals(1, flat.height());
    assertEquals(4, flat.width());
    assertNull(flat.labels());

    Path fortran = tmp.resolve("fortran.npy");
    Files.write(fortran, SourceFixtures.npy("<f4", true, new int[] {2, 2, 2}, new double[8]));
    DataSourceException e = assertThrows(DataSourceException.class, () -> read("npy:" + fortran));
    assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    assertTrue(e.getMessage().contains("ascontiguousarray"), e.getMessage());
    Path last = tmp.resolve("last.npy");
    Files.write(last, SourceFixtures.npy("|u1", false, new int[] {1, 5, 5, 3}, new double[75]));
    e = assertThrows(DataSourceException.class, () -> read("npy:" + last));
    assertTrue(e.getMessage().contains("channel-last"), e.getMessage());
  }

  @Test
  void csvWithANamedLabelColumnAndFlatVectorsReshaped() throws Exception {
    Path csv = tmp.resolve("t.csv");
    Files.writeString(csv, "p0,p1,class,p2,p3\n0,255,b,0,0\n255,0,a,0,255\n\n0,0,b,255,0\n");
    SourceReader.Loaded l =
        SourceReader.read(
            SourceSpec.parse("csv:" + csv + "?label=class"), "t", new int[] {1, 2, 2});
    ImageDataset d = l.data();
    assertEquals(3, d.size());
    assertEquals(List.of("a", "b"), d.classNames());
    assertArrayEquals(new int[] {1, 0, 1}, d.labels());
    assertEquals(2, d.height());
    assertEquals(1f, d.pixels().get(0, 1), 0f);
    // without a header the label column is named by index; no label option: no labels
    Path bare = tmp.resolve("bare.csv");
    Files.writeString(bare, "1,0.5,0.25\n2,0,1\n");
    ImageDataset b = read("csv:" + bare + "?label=0").data();
    assertEquals(2, b.featureCount());
    assertArrayEquals(new int[] {0, 1}, b.labels());
    // the label column read as a feature is out of range: min-max scaling takes it
    assertFalse(read("csv:" + bare + "?scale=minmax").data().hasLabels());
    DataSourceException e =
        assertThrows(DataSourceException.class, () -> read("csv:" + csv + "?label=kind"));
    assertTrue(e.getMessage().contains("no label column 'kind'"), e.getMessage());
  }

  @Test
  void transposedImagesAreTurnedBack() throws Exception {
    // stored column by column: the file's (x, y) is the image's (y, x)
    Path img = tmp.resolve("emnist");
    Files.write(
        img, SourceFixtures.idx(0x08, new int[] {1, 3, 2}, new double[] {0, 1, 2, 3, 4, 5}));
    ImageDataset d = read("idx:" + img + "?transpose=true").data();
    assertEquals(2, d.height());
    assertEquals(3, d.width());
    float[] row = d.pixels().row(0);
    float[] want = {0, 2, 4, 1, 3, 5};
    for (int i = 0; i < 6; i++) {
      assertEquals(want[i] / 255f, row[i], 0f);
    }
  }

  @Test
  void resizeIsPilBilinearWithAntialiasing() {
    // constant stays constant, up or down
    float[] c = new float[5 * 7];
    Arrays.fill(c, 0.4f);
    for (float x : ImageTransforms.resize(c, 1, 5, 7, 3, 11)) {
      assertEquals(0.4f, x, 1e-6f);
    }
    // 1 x 4 row halved: PIL's triangle filter of support 2 around centres 1 and 3
    float[] r = ImageTransforms.resize(new float[] {0, 1, 0, 1}, 1, 1, 4, 1, 2);
    assertEquals((0.75 * 0 + 0.75 * 1 + 0.25 * 0) / 1.75, r[0], 1e-6);
    assertEquals((0.25 * 1 + 0.75 * 0 + 0.75 * 1) / 1.75, r[1], 1e-6);
    // 1 x 2 doubled: bilinear with align_corners=False, edges clamped
    float[] u = ImageTransforms.resize(new float[] {0, 1}, 1, 1, 2, 1, 4);
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, u, 1e-6f);
  }

  @Test
  void sourceStringsAreCheckedWithoutReadingFiles() {
    SourceSpec s = SourceSpec.parse("npy:/d/x.npy,/d/y.npy?transpose=true&scale=minmax");
    assertEquals(Path.of("/d/y.npy"), s.labels());
    assertTrue(s.transpose());
    assertEquals(PixelScaling.MINMAX, s.scale());
    assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("folder:"));
    assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("idx:a?label=x"));
    assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("idx:a,b,c"));
    assertFalse(SourceSpec.isSource("mnist"));
  }
}
