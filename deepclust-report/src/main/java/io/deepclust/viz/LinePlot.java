package io.deepclust.viz;

import io.deepclust.util.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line chart of one or more named series, e.g. training and validation loss per epoch, or the
 * losses of several training phases on one epoch axis. Series {@code i} gets {@link
 * Palette#color(int) Palette.color(i)}. Non-finite points (a missing validation value) are skipped.
 * PNG via XChart, SVG via our own writer.
 */
public final class LinePlot {
  private LinePlot() {}

  static {
    Headless.ensure();
  }

  /**
   * One line: {@code y[i]} at {@code x[i]}; or, with {@code pointsOnly}, markers at those points
   * and no line (values that must not be joined to a neighbour, e.g. a restored state).
   *
   * @param name legend name, unique within a plot
   */
  public record Series(String name, double[] x, double[] y, boolean pointsOnly) {
    /** A line through the points. */
    public Series(String name, double[] x, double[] y) {
      this(name, x, y, false);
    }

    /** Markers at the points, not joined by a line. */
    public static Series points(String name, double[] x, double[] y) {
      return new Series(name, x, y, true);
    }

    public Series {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("line plot series needs a non-blank name");
      }
      if (x == null || y == null || x.length != y.length) {
        throw new IllegalArgumentException(
            "line plot series '"
                + name
                + "': x and y must be non-null and of equal length, got "
                + (x == null ? "null" : x.length)
                + " and "
                + (y == null ? "null" : y.length));
      }
      x = x.clone();
      y = y.clone();
    }

    /** {@code y} against 1, 2, ..., n (epochs counted from one). */
    public static Series of(String name, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return new Series(name, x, y);
    }

    /** {@code y} against {@code firstX}, {@code firstX + 1}, ... (a later training phase). */
    public static Series startingAt(String name, double firstX, double[] y) {
      double[] x = new double[y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = firstX + i;
      }
      return new Series(name, x, y);
    }
  }

  /**
   * How the plot looks.
   *
   * @param title chart title ("" for none)
   * @param xLabel x-axis title, e.g. "epoch"
   * @param yLabel y-axis title, e.g. "loss"
   * @param logY logarithmic y axis (all finite y must then be positive)
   * @param markers draw a small marker at each point as well as the line
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public record Options(
      String title,
      String xLabel,
      String yLabel,
      boolean logY,
      boolean markers,
      int width,
      int height) {
    public Options {
      title = title == null ? "" : title;
      xLabel = xLabel == null ? "" : xLabel;
      yLabel = yLabel == null ? "" : yLabel;
      ScatterPlot.checkSize("line plot", width, height);
    }

    /** 800 x 500, axes "epoch"/"loss", linear, no markers, no title. */
    public static Options defaults() {
      return new Options("", "epoch", "loss", false, false, 800, 500);
    }

    public Options withTitle(String t) {
      return new Options(t, xLabel, yLabel, logY, markers, width, height);
    }

    public Options withAxisLabels(String x, String y) {
      return new Options(title, x, y, logY, markers, width, height);
    }

    public Options withLogY(boolean on) {
      return new Options(title, xLabel, yLabel, on, markers, width, height);
    }

    public Options withMarkers(boolean on) {
      return new Options(title, xLabel, yLabel, logY, on, width, height);
    }

    public Options withSize(int w, int h) {
      return new Options(title, xLabel, yLabel, logY, markers, w, h);
    }
  }

  /** The chart as PNG bytes. */
  public static byte[] png(List<Series> series, Options options) {
    List<Series> clean = finitePoints(series, options);
    XYChart chart = new XYChart(options.width(), options.height());
    chart.setTitle(options.title());
    chart.setXAxisTitle(options.xLabel());
    chart.setYAxisTitle(options.yLabel());
    var s = chart.getStyler();
    ChartBytes.plainStyle(s);
    s.setChartTitleVisible(!options.title().isEmpty());
    s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setYAxisLogarithmic(options.logY());
    s.setMarkerSize(5);
    for (int i = 0; i < clean.size(); i++) {
      Series in = clean.get(i);
      XYSeries out = chart.addSeries(in.name(), in.x(), in.y());
      out.setLineColor(Palette.color(i));
      out.setMarkerColor(Palette.color(i));
      // one point draws no line, so it needs a marker to be seen (as in svg)
      out.setMarker(
          options.markers() || in.pointsOnly() || in.x().length == 1
              ? SeriesMarkers.CIRCLE
              : SeriesMarkers.NONE);
      if (in.pointsOnly()) {
        out.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      }
    }
    offGridPoint(clean).ifPresent(p -> addInvisible(chart, clean, p));
    return ChartBytes.png(chart);
  }

  /**
   * A point inside the data's range but off its x grid, or empty when the x values are not equally
   * spaced. When every x is on one equal-step grid (epochs, optimizer steps), XChart 4.0.3 places
   * its x ticks on every k-th data value ({@code AxisTickCalculator_} "equally spaced axis values")
   * and lets long labels run together (e.g. 5,600 11,200 16,800 ...); one extra x off the grid
   * makes it choose ordinary 1-2-5 ticks. Its y lies off any equal y grid likewise.
   */
  static Optional<double[]> offGridPoint(List<Series> series) {
    TreeSet<Double> xs = new TreeSet<>();
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        xs.add(s.x()[i]);
        yMin = Math.min(yMin, s.y()[i]);
        yMax = Math.max(yMax, s.y()[i]);
      }
    }
    if (xs.size() < 3) {
      return Optional.empty();
    }
    double first = xs.first();
    double step = xs.higher(first) - first;
    double prev = first;
    for (double x : xs.tailSet(first, false)) {
      if (Math.abs(x - prev - step) > 1e-9 * Math.max(1, Math.abs(step))) {
        return Optional.empty();
      }
      prev = x;
    }
    // 0.382: a golden-section fraction, on no small-integer grid
    return Optional.of(new double[] {first + 0.382 * step, yMin + 0.382 * (yMax - yMin)});
  }

  private static void addInvisible(XYChart chart, List<Series> series, double[] p) {
    Set<String> names = new HashSet<>();
    series.forEach(s -> names.add(s.name()));
    String name = " ";
    while (names.contains(name)) {
      name += " ";
    }
    XYSeries grid = chart.addSeries(name, new double[] {p[0]}, new double[] {p[1]});
    grid.setShowInLegend(false);
    grid.setMarker(SeriesMarkers.NONE);
    grid.setLineColor(new Color(0, 0, 0, 0));
  }

  /** The chart as an SVG document. */
  public static String svg(List<Series> series, Options options) {
    List<Series> clean = finitePoints(series, options);
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    List<SvgXYChart.LegendEntry> legend = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      Series c = clean.get(i);
      double[] xr = SvgXYChart.range(c.x(), c.x().length);
      double[] yr = SvgXYChart.range(yValues(c, options), c.y().length);
      xMin = Math.min(xMin, xr[0]);
      xMax = Math.max(xMax, xr[1]);
      yMin = Math.min(yMin, yr[0]);
      yMax = Math.max(yMax, yr[1]);
      legend.add(
          new SvgXYChart.LegendEntry(c.name(), Palette.hex(Palette.color(i)), !c.pointsOnly()));
    }
    SvgXYChart frame =
        new SvgXYChart(
            options.width(),
            options.height(),
            options.title(),
            options.xLabel(),
            options.yLabel(),
            new double[] {xMin, xMax},
            new double[] {yMin, yMax},
            options.logY(),
            legend);
    SvgWriter svg = frame.svg();
    for (int i = 0; i < clean.size(); i++) {
      Series c = clean.get(i);
      double[] ys = yValues(c, options);
      int n = c.x().length;
      double[] px = new double[n];
      double[] py = new double[n];
      for (int k = 0; k < n; k++) {
        px[k] = frame.px(c.x()[k]);
        py[k] = frame.py(ys[k]);
      }
      String color = Palette.hex(Palette.color(i));
      if (!c.pointsOnly()) {
        svg.polyline(px, py, n, color, 2);
      }
      if (options.markers() || c.pointsOnly() || n == 1) {
        svg.openGroup("fill=\"" + color + "\"");
        for (int k = 0; k < n; k++) {
          svg.dot(px[k], py[k], 2.5);
        }
        svg.closeGroup();
      }
    }
    return svg.finish();
  }

  /** Writes the chart to {@code file} atomically, as PNG or SVG by its extension. */
  public static void write(Path file, List<Series> series, Options options) {
    write(file, PlotFormat.of(file), series, options);
  }

  /** Writes the chart to {@code file} atomically in {@code format}. */
  public static void write(Path file, PlotFormat format, List<Series> series, Options options) {
    if (format == PlotFormat.PNG) {
      AtomicFiles.writeBytes(file, png(series, options));
    } else {
      ChartBytes.writeSvg(file, svg(series, options));
    }
  }

  private static double[] yValues(Series s, Options options) {
    if (!options.logY()) {
      return s.y();
    }
    double[] out = new double[s.y().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.log10(s.y()[i]);
    }
    return out;
  }

  /** Drops non-finite points; checks names are unique, series non-empty and log-safe. */
  private static List<Series> finitePoints(List<Series> series, Options options) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("line plot needs at least one series");
    }
    Set<String> names = new HashSet<>();
    List<Series> out = new ArrayList<>(series.size());
    for (Series s : series) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException(
            "line plot: two series are named '" + s.name() + "'; give each a unique name");
      }
      int n = 0;
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          if (options.logY() && s.y()[i] <= 0) {
            throw new IllegalArgumentException(
                "line plot series '"
                    + s.name()
                    + "': y["
                    + i
                    + "] = "
                    + s.y()[i]
                    + " cannot go on a log axis; use a linear axis (logY false)");
          }
          n++;
        }
      }
      if (n == 0) {
        throw new IllegalArgumentException(
            "line plot series '" + s.name() + "' has no finite point; drop it or fill it");
      }
      double[] x = new double[n];
      double[] y = new double[n];
      int k = 0;
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          x[k] = s.x()[i];
          y[k++] = s.y()[i];
        }
      }
      out.add(new Series(s.name(), x, y, s.pointsOnly()));
    }
    return out;
  }
}
