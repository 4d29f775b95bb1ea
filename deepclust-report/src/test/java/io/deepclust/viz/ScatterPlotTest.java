package io.deepclust.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.linalg.FloatMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ScatterPlotTest {
  @TempDir Path dir;

  /** {@code n} points in 12 blobs on a circle, labelled by blob (one label is -1: noise). */
  static FloatMatrix blobs(int n, int[] labels) {
    SplittableRandom rnd = new SplittableRandom(7);
    float[] d = new float[2 * n];
    for (int i = 0; i < n; i++) {
      int k = i % 12;
      labels[i] = k == 11 ? -1 : k;
      double a = 2 * Math.PI * k / 12;
      d[2 * i] = (float) (10 * Math.cos(a) + rnd.nextGaussian());
      d[2 * i + 1] = (float) (10 * Math.sin(a) + rnd.nextGaussian());
    }
    return new FloatMatrix(n, 2, d);
  }

  @Test
  void pngHasRequestedSizeAndColouredMarkers() throws Exception {
    int[] labels = new int[3000];
    FloatMatrix pts = blobs(3000, labels);
    var opts =
        ScatterPlot.Options.defaults()
            .withTitle("blobs")
            .withClassNames(List.of("zero", "one", "two"))
            .withSize(640, 480);
    var img = PlotTestSupport.decodePng(ScatterPlot.png(pts, labels, opts), 640, 480);
    boolean sawTableauBlue = false;
    for (int y = 0; y < img.getHeight() && !sawTableauBlue; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
          sawTableauBlue = true;
          break;
        }
      }
    }
    assertTrue(sawTableauBlue, "label 0 should be drawn in Tableau blue");
  }

  @Test
  void svgParsesAndHasOneDotPerPoint() throws Exception {
    int[] labels = new int[500];
    FloatMatrix pts = blobs(500, labels);
    String svg =
        ScatterPlot.svg(pts, labels, ScatterPlot.Options.defaults().withTitle("a < b & c"));
    Document doc = PlotTestSupport.parseSvg(svg);
    int legendDots = 12;
    assertEquals(500 + legendDots, doc.getElementsByTagName("circle").getLength());
  }

  @Test
  void writesByExtensionAtomically() throws Exception {
    int[] labels = new int[200];
    FloatMatrix pts = blobs(200, labels);
    Path png = dir.resolve("sub/map.png");
    Path svg = dir.resolve("map.SVG");
    ScatterPlot.write(png, pts, labels, ScatterPlot.Options.defaults());
    ScatterPlot.write(svg, pts, null, ScatterPlot.Options.defaults());
    PlotTestSupport.decodePng(Files.readAllBytes(png), 900, 800);
    PlotTestSupport.parseSvg(Files.readString(svg));
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ScatterPlot.write(dir.resolve("map.jpg"), pts, labels, ScatterPlot.Options.defaults()));
  }

  @Test
  void rejectsBadInput() {
    FloatMatrix three = FloatMatrix.zeros(5, 3);
    var opts = ScatterPlot.Options.defaults();
    var e = assertThrows(IllegalArgumentException.class, () -> ScatterPlot.png(three, null, opts));
    assertTrue(e.getMessage().contains("n x 2"), e.getMessage());
    FloatMatrix two = FloatMatrix.zeros(5, 2);
    assertThrows(IllegalArgumentException.class, () -> ScatterPlot.png(two, new int[4], opts));
    two.set(2, 1, Float.NaN);
    assertThrows(IllegalArgumentException.class, () -> ScatterPlot.svg(two, null, opts));
    assertThrows(IllegalArgumentException.class, () -> opts.withSize(10, 10));
  }
}
