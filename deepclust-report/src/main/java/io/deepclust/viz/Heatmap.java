package io.deepclust.viz;

import io.deepclust.util.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A confusion matrix (or any table of counts) as a heatmap with the count written in each cell:
 * rows top to bottom are {@code counts[0..r-1]} (e.g. true classes), columns left to right {@code
 * counts[.][0..c-1]} (e.g. predicted clusters). Colour runs linearly from white (0) to dark blue
 * (the largest count); numbers are black on light and white on dark cells. PNG via Java2D and
 * ImageIO: XChart 4.0.3's {@code HeatMapChart} drew an empty plot with category axes, and its one
 * value colour is unreadable on half of the cells anyway.
 */
public final class Heatmap {
  private Heatmap() {}

  static {
    Headless.ensure();
  }

  /**
   * How the heatmap looks.
   *
   * @param title chart title ("" for none)
   * @param xLabel column axis title, e.g. "predicted cluster"
   * @param yLabel row axis title, e.g. "true class"
   * @param width image width in pixels
   * @param height image height in pixels
   */
  public record Options(String title, String xLabel, String yLabel, int width, int height) {
    public Options {
      title = title == null ? "" : title;
      xLabel = xLabel == null ? "" : xLabel;
      yLabel = yLabel == null ? "" : yLabel;
      ScatterPlot.checkSize("heatmap", width, height);
    }

    /** 800 x 700, "predicted cluster" across, "true class" down, no title. */
    public static Options defaults() {
      return new Options("", "predicted cluster", "true class", 800, 700);
    }

    public Options withTitle(String t) {
      return new Options(t, xLabel, yLabel, width, height);
    }

    public Options withAxisLabels(String x, String y) {
      return new Options(title, x, y, width, height);
    }

    public Options withSize(int w, int h) {
      return new Options(title, xLabel, yLabel, w, h);
    }
  }

  /**
   * Renders {@code counts} (r x c, rectangular, non-negative) as PNG bytes.
   *
   * @param rowLabels r names for the rows, or {@code null} for 0..r-1
   * @param columnLabels c names for the columns, or {@code null} for 0..c-1
   */
  public static byte[] png(
      long[][] counts, List<String> rowLabels, List<String> columnLabels, Options options) {
    int rows = counts == null ? 0 : counts.length;
    if (rows == 0 || counts[0].length == 0) {
      throw new IllegalArgumentException("heatmap needs a non-empty r x c table of counts");
    }
    int cols = counts[0].length;
    long max = 0;
    for (int i = 0; i < rows; i++) {
      if (counts[i].length != cols) {
        throw new IllegalArgumentException(
            "heatmap: row " + i + " has " + counts[i].length + " cells, row 0 has " + cols);
      }
      for (int j = 0; j < cols; j++) {
        if (counts[i][j] < 0) {
          throw new IllegalArgumentException(
              "heatmap: count [" + i + "][" + j + "] = " + counts[i][j] + " is negative");
        }
        max = Math.max(max, counts[i][j]);
      }
    }
    List<String> rl = labels("row", rowLabels, rows);
    List<String> cl = labels("column", columnLabels, cols);
    BufferedImage img =
        new BufferedImage(options.width(), options.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      draw(g, counts, max, rl, cl, options);
    } finally {
      g.dispose();
    }
    return ImageGrid.encodePng(img);
  }

  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Color LOW = Color.WHITE;
  private static final Color HIGH = new Color(0x08519c);

  /** Cell grid with labels left and below, axis titles, title on top. */
  private static void draw(
      Graphics2D g, long[][] counts, long max, List<String> rl, List<String> cl, Options o) {
    int rows = rl.size();
    int cols = cl.size();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, o.width(), o.height());
    FontMetrics lm = g.getFontMetrics(LABEL_FONT);
    FontMetrics am = g.getFontMetrics(AXIS_FONT);
    int rowLabelWidth = 0;
    for (String s : rl) {
      rowLabelWidth = Math.max(rowLabelWidth, lm.stringWidth(s));
    }
    int colLabelWidth = 0;
    for (String s : cl) {
      colLabelWidth = Math.max(colLabelWidth, lm.stringWidth(s));
    }
    int top = o.title().isEmpty() ? 12 : 40;
    int left = (o.yLabel().isEmpty() ? 8 : 8 + am.getHeight() + 6) + rowLabelWidth + 8;
    int right = 16;
    int gridW = o.width() - left - right;
    // column labels horizontal when they fit in a cell, else vertical (reading upwards)
    boolean vertical = colLabelWidth > gridW / cols - 4;
    int colLabelHeight = vertical ? colLabelWidth : lm.getHeight();
    int bottom = 8 + colLabelHeight + 8 + (o.xLabel().isEmpty() ? 0 : am.getHeight() + 6);
    int gridH = o.height() - top - bottom;
    if (gridW < cols * 4 || gridH < rows * 4) {
      throw new IllegalArgumentException(
          "heatmap size "
              + o.width()
              + "x"
              + o.height()
              + " too small for "
              + rows
              + "x"
              + cols
              + " cells and their labels; enlarge it or shorten the labels");
    }
    double cw = (double) gridW / cols;
    double ch = (double) gridH / rows;
    int valueSize = (int) Math.max(7, Math.min(14, Math.min(ch * 0.45, cw / (digits(max) * 0.62))));
    Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, valueSize);
    FontMetrics vm = g.getFontMetrics(valueFont);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int x0 = left + (int) Math.round(j * cw);
        int x1 = left + (int) Math.round((j + 1) * cw);
        int y0 = top + (int) Math.round(i * ch);
        int y1 = top + (int) Math.round((i + 1) * ch);
        double t = max == 0 ? 0 : (double) counts[i][j] / max;
        g.setColor(mix(t));
        g.fillRect(x0, y0, x1 - x0, y1 - y0);
        g.setColor(t > 0.45 ? Color.WHITE : Color.BLACK);
        g.setFont(valueFont);
        String v = Long.toString(counts[i][j]);
        g.drawString(
            v,
            (x0 + x1 - vm.stringWidth(v)) / 2,
            (y0 + y1) / 2 + (vm.getAscent() - vm.getDescent()) / 2);
      }
    }
    g.setColor(new Color(0x999999));
    g.drawRect(left, top, gridW, gridH);
    g.setColor(Color.BLACK);
    g.setFont(LABEL_FONT);
    for (int i = 0; i < rows; i++) {
      int y = top + (int) Math.round((i + 0.5) * ch) + (lm.getAscent() - lm.getDescent()) / 2;
      g.drawString(rl.get(i), left - 8 - lm.stringWidth(rl.get(i)), y);
    }
    for (int j = 0; j < cols; j++) {
      int x = left + (int) Math.round((j + 0.5) * cw);
      String s = cl.get(j);
      if (vertical) {
        AffineTransform saved = g.getTransform();
        g.translate(
            x + (lm.getAscent() - lm.getDescent()) / 2.0, top + gridH + 8 + lm.stringWidth(s));
        g.rotate(-Math.PI / 2);
        g.drawString(s, 0, 0);
        g.setTransform(saved);
      } else {
        g.drawString(s, x - lm.stringWidth(s) / 2, top + gridH + 8 + lm.getAscent());
      }
    }
    g.setFont(AXIS_FONT);
    if (!o.xLabel().isEmpty()) {
      g.drawString(
          o.xLabel(),
          left + (gridW - am.stringWidth(o.xLabel())) / 2,
          o.height() - 8 - am.getDescent());
    }
    if (!o.yLabel().isEmpty()) {
      AffineTransform saved = g.getTransform();
      g.translate(8 + am.getAscent(), top + (gridH + am.stringWidth(o.yLabel())) / 2.0);
      g.rotate(-Math.PI / 2);
      g.drawString(o.yLabel(), 0, 0);
      g.setTransform(saved);
    }
    if (!o.title().isEmpty()) {
      g.setFont(TITLE_FONT);
      FontMetrics tm = g.getFontMetrics();
      g.drawString(o.title(), (o.width() - tm.stringWidth(o.title())) / 2, 26);
    }
  }

  private static int digits(long v) {
    return Long.toString(v).length();
  }

  /** Linear blend from {@link #LOW} (t = 0) to {@link #HIGH} (t = 1). */
  private static Color mix(double t) {
    return new Color(
        (int) Math.round(LOW.getRed() + t * (HIGH.getRed() - LOW.getRed())),
        (int) Math.round(LOW.getGreen() + t * (HIGH.getGreen() - LOW.getGreen())),
        (int) Math.round(LOW.getBlue() + t * (HIGH.getBlue() - LOW.getBlue())));
  }

  /** {@link #png(long[][], List, List, Options)} for {@code int} counts. */
  public static byte[] png(
      int[][] counts, List<String> rowLabels, List<String> columnLabels, Options options) {
    return png(toLong(counts), rowLabels, columnLabels, options);
  }

  /** Writes the heatmap to {@code file} as PNG atomically. */
  public static void write(
      Path file,
      long[][] counts,
      List<String> rowLabels,
      List<String> columnLabels,
      Options options) {
    if (PlotFormat.of(file) != PlotFormat.PNG) {
      throw new IllegalArgumentException(
          "heatmap " + file + ": only PNG is supported; name the file *.png");
    }
    AtomicFiles.writeBytes(file, png(counts, rowLabels, columnLabels, options));
  }

  /** {@link #write(Path, long[][], List, List, Options)} for {@code int} counts. */
  public static void write(
      Path file,
      int[][] counts,
      List<String> rowLabels,
      List<String> columnLabels,
      Options options) {
    write(file, toLong(counts), rowLabels, columnLabels, options);
  }

  private static long[][] toLong(int[][] counts) {
    if (counts == null) {
      throw new IllegalArgumentException("heatmap needs a non-empty r x c table of counts");
    }
    long[][] out = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      out[i] = new long[counts[i].length];
      for (int j = 0; j < counts[i].length; j++) {
        out[i][j] = counts[i][j];
      }
    }
    return out;
  }

  private static List<String> labels(String what, List<String> given, int n) {
    if (given == null) {
      List<String> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(String.valueOf(i));
      }
      return out;
    }
    if (given.size() != n) {
      throw new IllegalArgumentException(
          "heatmap: " + given.size() + " " + what + " labels for " + n + " " + what + "s");
    }
    if (new java.util.HashSet<>(given).size() != n) {
      throw new IllegalArgumentException(
          "heatmap: " + what + " labels " + given + " repeat a name; make them unique");
    }
    return List.copyOf(given);
  }
}
