package io.deepclust.viz;

import java.util.List;

/**
 * Frame of an x-y chart in SVG: background, plot box, grid, ticks, axis titles, title and a legend
 * to the right. Callers map data with {@link #px} / {@link #py} and draw into the plot box.
 */
final class SvgXYChart {
  /** A legend row: a name and its colour, drawn as a dot (scatter) or a short line. */
  record LegendEntry(String name, String color, boolean line) {}

  private static final int LEGEND_ROW = 18;

  private final SvgWriter svg;
  private final double plotLeft;
  private final double plotRight;
  private final double plotTop;
  private final double plotBottom;
  private final double xMin;
  private final double xMax;
  private final double yMin;
  private final double yMax;

  /**
   * Lays out and draws the frame. {@code yLog} means y values passed to {@link #py} are already
   * log10-transformed and ticks are labelled with 10^y.
   */
  SvgXYChart(
      int width,
      int height,
      String title,
      String xLabel,
      String yLabel,
      double[] xRange,
      double[] yRange,
      boolean yLog,
      List<LegendEntry> legend) {
    svg = new SvgWriter(width, height);
    int longest = 0;
    for (LegendEntry e : legend) {
      longest = Math.max(longest, e.name().length());
    }
    double legendWidth = legend.isEmpty() ? 0 : 34 + 7.0 * Math.min(longest, 40);
    plotLeft = 78;
    plotRight = width - 20 - legendWidth;
    plotTop = title == null || title.isEmpty() ? 16 : 42;
    plotBottom = height - 56;
    if (plotRight - plotLeft < 40 || plotBottom - plotTop < 40) {
      throw new IllegalArgumentException(
          "plot size "
              + width
              + "x"
              + height
              + " leaves no room for the chart; use at least 300x250");
    }
    double[] xr = padded(xRange[0], xRange[1]);
    double[] yr = padded(yRange[0], yRange[1]);
    xMin = xr[0];
    xMax = xr[1];
    yMin = yr[0];
    yMax = yr[1];

    svg.rect(0, 0, width, height, "#ffffff", null);
    if (title != null && !title.isEmpty()) {
      svg.text((plotLeft + plotRight) / 2, 26, title, 16, "middle", 0, true);
    }
    String grid = "#e5e5e5";
    String ink = "#333333";
    double[] xt = AxisTicks.ticks(xMin, xMax, 7);
    double xStep = AxisTicks.niceStep(xMax - xMin, 7);
    for (double t : xt) {
      double x = px(t);
      svg.line(x, plotTop, x, plotBottom, grid, 1);
      svg.line(x, plotBottom, x, plotBottom + 5, ink, 1);
      svg.text(x, plotBottom + 19, AxisTicks.label(t, xStep), 11, "middle", 0, false);
    }
    double[] yt = AxisTicks.ticks(yMin, yMax, 6);
    double yStep = AxisTicks.niceStep(yMax - yMin, 6);
    if (yLog) {
      yt = AxisTicks.logTicks(yMin, yMax);
    }
    for (double t : yt) {
      double y = py(t);
      svg.line(plotLeft, y, plotRight, y, grid, 1);
      svg.line(plotLeft - 5, y, plotLeft, y, ink, 1);
      String label = yLog ? AxisTicks.logLabel(t) : AxisTicks.label(t, yStep);
      svg.text(plotLeft - 8, y + 4, label, 11, "end", 0, false);
    }
    svg.rect(plotLeft, plotTop, plotRight - plotLeft, plotBottom - plotTop, "none", ink);
    if (xLabel != null && !xLabel.isEmpty()) {
      svg.text((plotLeft + plotRight) / 2, height - 14, xLabel, 13, "middle", 0, false);
    }
    if (yLabel != null && !yLabel.isEmpty()) {
      double cy = (plotTop + plotBottom) / 2;
      svg.text(20, cy, yLabel, 13, "middle", -90, false);
    }
    drawLegend(legend, plotRight + 14, plotTop, height - plotTop - 10);
  }

  private void drawLegend(List<LegendEntry> legend, double x, double top, double available) {
    int fits = (int) Math.max(1, available / LEGEND_ROW);
    int shown = legend.size() <= fits ? legend.size() : fits - 1;
    for (int i = 0; i < shown; i++) {
      LegendEntry e = legend.get(i);
      double y = top + 10 + i * LEGEND_ROW;
      if (e.line()) {
        svg.line(x, y, x + 18, y, e.color(), 2.5);
      } else {
        svg.openGroup("fill=\"" + e.color() + "\"").dot(x + 9, y, 4.5).closeGroup();
      }
      String name = e.name().length() > 40 ? e.name().substring(0, 39) + "\u2026" : e.name();
      svg.text(x + 24, y + 4, name, 12, "start", 0, false);
    }
    if (shown < legend.size()) {
      double y = top + 10 + shown * LEGEND_ROW;
      svg.text(x + 24, y + 4, "(+" + (legend.size() - shown) + " more)", 12, "start", 0, false);
    }
  }

  private static double[] padded(double lo, double hi) {
    if (!(hi > lo)) {
      double pad = lo == 0 ? 0.5 : Math.abs(lo) * 0.1;
      return new double[] {lo - pad, hi + pad};
    }
    double pad = (hi - lo) * 0.04;
    return new double[] {lo - pad, hi + pad};
  }

  /** Pixel x of data x. */
  double px(double x) {
    return plotLeft + (x - xMin) / (xMax - xMin) * (plotRight - plotLeft);
  }

  /** Pixel y of data y (log10 already applied for log axes). */
  double py(double y) {
    return plotBottom - (y - yMin) / (yMax - yMin) * (plotBottom - plotTop);
  }

  SvgWriter svg() {
    return svg;
  }

  /** [min, max] of finite {@code values}; {@code {0, 1}} when there are none. */
  static double[] range(double[] values, int n) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double v = values[i];
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return lo <= hi ? new double[] {lo, hi} : new double[] {0, 1};
  }
}
