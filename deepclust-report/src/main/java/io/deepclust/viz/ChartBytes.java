package io.deepclust.viz;

import io.deepclust.util.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;

/** Shared XChart plumbing: a plain white style and PNG encoding into memory. */
final class ChartBytes {
  private ChartBytes() {}

  static {
    Headless.ensure();
  }

  /** White background, light grid, legend outside on the right, readable fonts. */
  static void plainStyle(AxesChartStyler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(0x333333));
    s.setPlotGridLinesColor(new Color(0xe5e5e5));
    s.setLegendBorderColor(Color.WHITE);
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setAntiAlias(true);
  }

  /**
   * The chart as PNG bytes: XChart paints into a BufferedImage, ImageIO encodes it (XChart's own
   * stream encoders are deprecated in 4.0).
   */
  static byte[] png(IChart chart) {
    return ImageGrid.encodePng(BitmapEncoder.getBufferedImage(chart));
  }

  static void writeSvg(Path file, String svg) {
    AtomicFiles.writeBytes(file, svg.getBytes(StandardCharsets.UTF_8));
  }
}
