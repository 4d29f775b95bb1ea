package io.deepclust.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
  @TempDir Path dir;

  /** {@code n} 4x3 images; image k has pixel (0,0) = 1 and the rest k/n. */
  static FloatMatrix images(int n) {
    FloatMatrix m = FloatMatrix.zeros(n, 12);
    for (int k = 0; k < n; k++) {
      for (int p = 0; p < 12; p++) {
        m.set(k, p, (float) k / n);
      }
      m.set(k, 0, 1f);
    }
    return m;
  }

  @Test
  void sizeFollowsLayoutAndPixelsAreGray() throws Exception {
    var opts = ImageGrid.Options.defaults().withColumns(4).withScale(3).withPadding(1);
    // 10 images of 4x3 in 3 rows of 4: width 4*9 + 5, height 3*12 + 4
    var img = PlotTestSupport.decodePng(ImageGrid.png(images(10), 4, 3, opts), 41, 40);
    assertEquals(0xffffff, img.getRGB(1, 1) & 0xffffff, "pixel (0,0) of image 0 is 1 -> white");
    assertEquals(0x000000, img.getRGB(1 + 3, 1) & 0xffffff, "pixel (0,1) of image 0 is 0 -> black");
    int g = Math.round(0.5f * 255);
    // image 5 = row 1, column 1: x0 = 1 + 9 + 1 = 11, y0 = 1 + 12 + 1 = 14
    assertEquals((g << 16) | (g << 8) | g, img.getRGB(11 + 3, 14) & 0xffffff);
    assertEquals(0xffffff, img.getRGB(0, 0) & 0xffffff, "padding is white");
  }

  @Test
  void rowLabelsWidenTheImage() throws Exception {
    var opts =
        ImageGrid.Options.defaults()
            .withColumns(5)
            .withRowLabels(List.of("input", "reconstruction"));
    FloatMatrix grid = ImageGrid.interleaveRows(5, images(5), images(5));
    assertEquals(10, grid.rows());
    var img = ImageGrid.render(grid, 4, 3, opts);
    int plain = 5 * 6 + 6 * 2;
    assertTrue(img.getWidth() > plain + 40, "label column added: " + img.getWidth());
    assertEquals(2 * 8 + 3 * 2, img.getHeight());
    Path file = dir.resolve("recon.png");
    ImageGrid.write(file, grid, 4, 3, opts);
    PlotTestSupport.decodePng(Files.readAllBytes(file), img.getWidth(), img.getHeight());
  }

  @Test
  void interleavesRowsOfSets() {
    FloatMatrix a = new FloatMatrix(3, 1, new float[] {1, 2, 3});
    FloatMatrix b = new FloatMatrix(4, 1, new float[] {10, 20, 30, 40});
    FloatMatrix m = ImageGrid.interleaveRows(2, a, b);
    assertArrayEquals(new float[] {1, 2, 10, 20, 3, 30}, m.data());
  }

  @Test
  void rejectsWrongShape() {
    var opts = ImageGrid.Options.defaults();
    var e =
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.png(images(3), 28, 28, opts));
    assertTrue(e.getMessage().contains("12 pixels"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageGrid.png(images(3), 4, 3, opts.withRowLabels(List.of("a", "b"))));
  }
}
