package io.deepclust.viz;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * 2-D scatter plot of points coloured by an integer label (cluster or class), e.g. a t-SNE map of
 * embeddings. One colour per label from {@link Palette} (negative labels are gray), so the same
 * label has the same colour in every plot. PNG via XChart, SVG via our own writer.
 */
public final class ScatterPlot {
  private ScatterPlot() {}

  static {
    Headless.ensure();
  }

  /** Above this many distinct labels the legend is left out: it would not fit anyway. */
  public static final int MAX_LEGEND_ENTRIES = 40;

  /**
   * How the plot looks.
   *
   * @param title chart title ("" for none)
   * @param xLabel x-axis title
   * @param yLabel y-axis title
   * @param classNames legend name of label {@code i} at index {@code i}; labels outside the list
   *     are shown as their number. Empty for numbers only.
   * @param width image width in pixels
   * @param height image height in pixels
   * @param markerSize marker diameter in pixels (2-3 suits 10k-70k points)
   * @param legend whether to draw a legend (also dropped above {@link #MAX_LEGEND_ENTRIES} labels)
   */
  public record Options(
      String title,
      String xLabel,
      String yLabel,
      List<String> classNames,
      int width,
      int height,
      int markerSize,
      boolean legend) {
    public Options {
      title = title == null ? "" : title;
      xLabel = xLabel == null ? "" : xLabel;
      yLabel = yLabel == null ? "" : yLabel;
      classNames = classNames == null ? List.of() : List.copyOf(classNames);
      checkSize("scatter plot", width, height);
      if (markerSize < 1 || markerSize > 50) {
        throw new IllegalArgumentException(
            "scatter plot markerSize " + markerSize + " out of range; use 1..50 pixels");
      }
    }

    /** 900 x 800, markers of 3 px, axes "dim 1"/"dim 2", legend on, no title. */
    public static Options defaults() {
      return new Options("", "dim 1", "dim 2", List.of(), 900, 800, 3, true);
    }

    public Options withTitle(String t) {
      return new Options(t, xLabel, yLabel, classNames, width, height, markerSize, legend);
    }

    public Options withAxisLabels(String x, String y) {
      return new Options(title, x, y, classNames, width, height, markerSize, legend);
    }

    public Options withClassNames(List<String> names) {
      return new Options(title, xLabel, yLabel, names, width, height, markerSize, legend);
    }

    public Options withSize(int w, int h) {
      return new Options(title, xLabel, yLabel, classNames, w, h, markerSize, legend);
    }

    public Options withMarkerSize(int px) {
      return new Options(title, xLabel, yLabel, classNames, width, height, px, legend);
    }

    public Options withLegend(boolean on) {
      return new Options(title, xLabel, yLabel, classNames, width, height, markerSize, on);
    }

    String nameOf(int label) {
      return label >= 0 && label < classNames.size()
          ? classNames.get(label)
          : String.valueOf(label);
    }
  }

  /** Points of one label, in input order. */
  private record Group(int label, double[] x, double[] y) {}

  /**
   * Renders {@code points} (n x 2; column 0 is x, column 1 is y) coloured by {@code labels} (length
   * n; {@code null} for one colour) as PNG bytes.
   */
  public static byte[] png(FloatMatrix points, int[] labels, Options options) {
    List<Group> groups = group(points, labels);
    XYChart chart = new XYChart(options.width(), options.height());
    chart.setTitle(options.title());
    chart.setXAxisTitle(options.xLabel());
    chart.setYAxisTitle(options.yLabel());
    var s = chart.getStyler();
    ChartBytes.plainStyle(s);
    s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarkerSize(options.markerSize());
    s.setChartTitleVisible(!options.title().isEmpty());
    s.setLegendVisible(showLegend(options, labels, groups));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    java.util.Set<String> used = new java.util.HashSet<>();
    for (Group g : groups) {
      String name = options.nameOf(g.label());
      // XChart keys series by name: keep them unique even when class names repeat
      if (!used.add(name)) {
        name = name + " (" + g.label() + ")";
        used.add(name);
      }
      XYSeries series = chart.addSeries(name, g.x(), g.y());
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setMarkerColor(Palette.color(g.label()));
    }
    return ChartBytes.png(chart);
  }

  /** The same plot as an SVG document. */
  public static String svg(FloatMatrix points, int[] labels, Options options) {
    List<Group> groups = group(points, labels);
    double[] xr = SvgXYChart.range(column(points, 0), points.rows());
    double[] yr = SvgXYChart.range(column(points, 1), points.rows());
    List<SvgXYChart.LegendEntry> legend = new ArrayList<>();
    if (showLegend(options, labels, groups)) {
      for (Group g : groups) {
        legend.add(
            new SvgXYChart.LegendEntry(
                options.nameOf(g.label()), Palette.hex(Palette.color(g.label())), false));
      }
    }
    SvgXYChart frame =
        new SvgXYChart(
            options.width(),
            options.height(),
            options.title(),
            options.xLabel(),
            options.yLabel(),
            xr,
            yr,
            false,
            legend);
    SvgWriter svg = frame.svg();
    double r = options.markerSize() / 2.0;
    for (Group g : groups) {
      svg.openGroup("fill=\"" + Palette.hex(Palette.color(g.label())) + "\" fill-opacity=\"0.85\"");
      for (int i = 0; i < g.x().length; i++) {
        svg.dot(frame.px(g.x()[i]), frame.py(g.y()[i]), r);
      }
      svg.closeGroup();
    }
    return svg.finish();
  }

  /** Writes the plot to {@code file} atomically, as PNG or SVG by its extension. */
  public static void write(Path file, FloatMatrix points, int[] labels, Options options) {
    write(file, PlotFormat.of(file), points, labels, options);
  }

  /** Writes the plot to {@code file} atomically in {@code format}, whatever the file is named. */
  public static void write(
      Path file, PlotFormat format, FloatMatrix points, int[] labels, Options options) {
    if (format == PlotFormat.PNG) {
      AtomicFiles.writeBytes(file, png(points, labels, options));
    } else {
      ChartBytes.writeSvg(file, svg(points, labels, options));
    }
  }

  private static boolean showLegend(Options options, int[] labels, List<Group> groups) {
    return options.legend() && labels != null && groups.size() <= MAX_LEGEND_ENTRIES;
  }

  private static List<Group> group(FloatMatrix points, int[] labels) {
    Objects.requireNonNull(points, "points");
    if (points.cols() != 2) {
      throw new IllegalArgumentException(
          "scatter plot needs n x 2 points, got "
              + points.rows()
              + "x"
              + points.cols()
              + "; reduce to 2 dimensions first (PCA or t-SNE)");
    }
    int n = points.rows();
    if (labels != null && labels.length != n) {
      throw new IllegalArgumentException(
          "scatter plot: " + labels.length + " labels for " + n + " points; give one per point");
    }
    float[] d = points.data();
    for (int i = 0; i < 2 * n; i++) {
      if (!Float.isFinite(d[i])) {
        throw new IllegalArgumentException(
            "scatter plot: point " + (i / 2) + " has a non-finite coordinate " + d[i]);
      }
    }
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(labels == null ? 0 : labels[i], 1, Integer::sum);
    }
    TreeMap<Integer, Group> byLabel = new TreeMap<>();
    for (var e : counts.entrySet()) {
      byLabel.put(
          e.getKey(), new Group(e.getKey(), new double[e.getValue()], new double[e.getValue()]));
    }
    TreeMap<Integer, Integer> fill = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      int label = labels == null ? 0 : labels[i];
      Group g = byLabel.get(label);
      int k = fill.merge(label, 1, Integer::sum) - 1;
      g.x()[k] = d[2 * i];
      g.y()[k] = d[2 * i + 1];
    }
    return new ArrayList<>(byLabel.values());
  }

  private static double[] column(FloatMatrix m, int c) {
    double[] out = new double[m.rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.get(i, c);
    }
    return out;
  }

  /** Shared size check for all plots. */
  static void checkSize(String what, int width, int height) {
    if (width < 200 || height < 200 || width > 10_000 || height > 10_000) {
      throw new IllegalArgumentException(
          what + " size " + width + "x" + height + " out of range; use 200..10000 pixels per side");
    }
  }
}
