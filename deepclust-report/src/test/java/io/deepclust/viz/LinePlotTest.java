package io.deepclust.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class LinePlotTest {
  @TempDir Path dir;

  static List<LinePlot.Series> losses() {
    double[] train = new double[30];
    double[] val = new double[30];
    for (int i = 0; i < 30; i++) {
      train[i] = 0.5 * Math.exp(-i / 8.0) + 0.01;
      val[i] = i % 5 == 4 ? 0.55 * Math.exp(-i / 9.0) + 0.02 : Double.NaN;
    }
    double[] finetune = {0.02, 0.018, 0.017, 0.0165};
    return List.of(
        LinePlot.Series.of("pretrain train", train),
        LinePlot.Series.of("pretrain validation", val),
        LinePlot.Series.startingAt("finetune", 31, finetune));
  }

  @Test
  void pngHasRequestedSize() throws Exception {
    var opts = LinePlot.Options.defaults().withTitle("loss").withSize(700, 400);
    PlotTestSupport.decodePng(LinePlot.png(losses(), opts), 700, 400);
    PlotTestSupport.decodePng(
        LinePlot.png(losses(), opts.withLogY(true).withMarkers(true)), 700, 400);
  }

  @Test
  void svgParsesWithOnePolylinePerSeries() throws Exception {
    for (boolean log : new boolean[] {false, true}) {
      Document doc =
          PlotTestSupport.parseSvg(
              LinePlot.svg(losses(), LinePlot.Options.defaults().withLogY(log)));
      assertEquals(3, doc.getElementsByTagName("polyline").getLength());
    }
  }

  /** A points-only series (e.g. a restored state) gets dots and no line, in both formats. */
  @Test
  void pointsOnlySeriesHasDotsAndNoLine() throws Exception {
    List<LinePlot.Series> series =
        List.of(
            new LinePlot.Series("acc", new double[] {0, 700, 1400}, new double[] {0.5, 0.6, 0.7}),
            LinePlot.Series.points(
                "acc, restored best", new double[] {1400, 1400}, new double[] {0.65, 0.66}));
    Document doc = PlotTestSupport.parseSvg(LinePlot.svg(series, LinePlot.Options.defaults()));
    assertEquals(1, doc.getElementsByTagName("polyline").getLength(), "only the line series");
    assertEquals(
        3, doc.getElementsByTagName("circle").getLength(), "two restored points + legend dot");
    PlotTestSupport.decodePng(LinePlot.png(series, LinePlot.Options.defaults()), 800, 500);
  }

  /**
   * XChart's equal-spacing tick path is sidestepped by one point inside the range, off the grid.
   */
  @Test
  void equallySpacedStepsGetAnOffGridPointAndUnevenOnesNone() throws Exception {
    double[] steps = new double[101];
    double[] acc = new double[101];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = 700.0 * i; // one update per 70,000-image epoch at batch 100
      acc[i] = 0.2 + 0.005 * i;
    }
    double[] p =
        LinePlot.offGridPoint(List.of(new LinePlot.Series("acc", steps, acc))).orElseThrow();
    assertTrue(p[0] > 0 && p[0] < 700, "x inside the first step: " + p[0]);
    assertTrue(p[1] > 0.2 && p[1] < 0.7, "y inside the range: " + p[1]);
    assertTrue(LinePlot.offGridPoint(losses()).isPresent(), "epochs 1..34 are equally spaced");
    var uneven = new LinePlot.Series("u", new double[] {1, 2, 4, 8}, new double[] {1, 2, 3, 4});
    assertTrue(LinePlot.offGridPoint(List.of(uneven)).isEmpty());
    var two = new LinePlot.Series("t", new double[] {1, 2}, new double[] {1, 2});
    assertTrue(LinePlot.offGridPoint(List.of(two)).isEmpty());
    // the hidden series takes no legend entry and the chart still renders at its size
    PlotTestSupport.decodePng(
        LinePlot.png(List.of(new LinePlot.Series("acc", steps, acc)), LinePlot.Options.defaults()),
        800,
        500);
  }

  @Test
  void writesBothFormats() throws Exception {
    Path png = dir.resolve("loss.png");
    Path svg = dir.resolve("loss.svg");
    LinePlot.write(png, losses(), LinePlot.Options.defaults());
    LinePlot.write(svg, losses(), LinePlot.Options.defaults());
    PlotTestSupport.decodePng(Files.readAllBytes(png), 800, 500);
    PlotTestSupport.parseSvg(Files.readString(svg));
  }

  @Test
  void rejectsBadSeries() {
    var opts = LinePlot.Options.defaults();
    assertThrows(
        IllegalArgumentException.class,
        () -> new LinePlot.Series("a", new double[2], new double[3]));
    var twice =
        List.of(
            LinePlot.Series.of("a", new double[] {1}), LinePlot.Series.of("a", new double[] {2}));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.png(twice, opts));
    var zero = List.of(LinePlot.Series.of("a", new double[] {1, 0}));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.svg(zero, opts.withLogY(true)));
    assertThrows(IllegalArgumentException.class, () -> LinePlot.png(List.of(), opts));
  }
}
