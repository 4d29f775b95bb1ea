package io.deepclust.viz;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A grid of grayscale images, e.g. a row of inputs above a row of their reconstructions. Images are
 * the rows of a {@link FloatMatrix} (n x h*w, row-major pixels in [0, 1]; values outside are
 * clamped, 0 is black) laid out left to right, {@code columns} per grid row, each pixel drawn as a
 * {@code scale x scale} block. Optional labels sit left of each grid row. PNG via ImageIO.
 */
public final class ImageGrid {
  private ImageGrid() {}

  static {
    Headless.ensure();
  }

  /**
   * Layout of the grid.
   *
   * @param columns images per grid row
   * @param scale pixel magnification (1 = original size)
   * @param padding gap between images in output pixels
   * @param rowLabels text left of grid row {@code r} at index {@code r}; empty for none
   */
  public record Options(int columns, int scale, int padding, List<String> rowLabels) {
    public Options {
      if (columns < 1) {
        throw new IllegalArgumentException("image grid columns " + columns + " must be >= 1");
      }
      if (scale < 1 || scale > 32) {
        throw new IllegalArgumentException(
            "image grid scale " + scale + " out of range; use 1..32");
      }
      if (padding < 0 || padding > 100) {
        throw new IllegalArgumentException(
            "image grid padding " + padding + " out of range; use 0..100 pixels");
      }
      rowLabels = rowLabels == null ? List.of() : List.copyOf(rowLabels);
    }

    /** 10 columns, scale 2, 2 px padding, no labels. */
    public static Options defaults() {
      return new Options(10, 2, 2, List.of());
    }

    public Options withColumns(int c) {
      return new Options(c, scale, padding, rowLabels);
    }

    public Options withScale(int s) {
      return new Options(columns, s, padding, rowLabels);
    }

    public Options withPadding(int p) {
      return new Options(columns, scale, p, rowLabels);
    }

    public Options withRowLabels(List<String> labels) {
      return new Options(columns, scale, padding, labels);
    }
  }

  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final int LABEL_GAP = 8;

  /**
   * Draws the grid. Output size: width = labelWidth + columns*(w*scale) + (columns+1)*padding,
   * height = rows*(h*scale) + (rows+1)*padding with rows = ceil(n / columns); labelWidth is 0
   * without labels.
   */
  public static BufferedImage render(FloatMatrix images, int height, int width, Options options) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(options, "options");
    if (height < 1 || width < 1 || (long) height * width != images.cols()) {
      throw new IllegalArgumentException(
          "image grid: images have "
              + images.cols()
              + " pixels each but height x width is "
              + height
              + "x"
              + width
              + "; pass the image shape (e.g. 28, 28 for MNIST)");
    }
    int n = images.rows();
    if (n == 0) {
      throw new IllegalArgumentException("image grid needs at least one image");
    }
    int cols = Math.min(options.columns(), n);
    int rows = (n + cols - 1) / cols;
    if (options.rowLabels().size() > rows) {
      throw new IllegalArgumentException(
          "image grid: "
              + options.rowLabels().size()
              + " row labels for "
              + rows
              + " grid rows; give at most one per row");
    }
    int cellW = width * options.scale();
    int cellH = height * options.scale();
    int pad = options.padding();
    int labelWidth = labelWidth(options.rowLabels());
    int outW = labelWidth + cols * cellW + (cols + 1) * pad;
    int outH = rows * cellH + (rows + 1) * pad;
    BufferedImage img = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, outW, outH);
      float[] d = images.data();
      int[] line = new int[cellW];
      for (int k = 0; k < n; k++) {
        int x0 = labelWidth + pad + (k % cols) * (cellW + pad);
        int y0 = pad + (k / cols) * (cellH + pad);
        int base = images.offset(k);
        for (int r = 0; r < height; r++) {
          for (int c = 0; c < width; c++) {
            float v = d[base + r * width + c];
            if (Float.isNaN(v)) {
              throw new IllegalArgumentException(
                  "image grid: image " + k + " pixel (" + r + ", " + c + ") is NaN");
            }
            int gray = Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
            int rgb = (gray << 16) | (gray << 8) | gray;
            for (int s = 0; s < options.scale(); s++) {
              line[c * options.scale() + s] = rgb;
            }
          }
          for (int s = 0; s < options.scale(); s++) {
            img.setRGB(x0, y0 + r * options.scale() + s, cellW, 1, line, 0, cellW);
          }
        }
      }
      if (labelWidth > 0) {
        g.setRenderingHint(
            RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(LABEL_FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < options.rowLabels().size(); r++) {
          String label = options.rowLabels().get(r);
          int y = pad + r * (cellH + pad) + cellH / 2 + (fm.getAscent() - fm.getDescent()) / 2;
          g.drawString(label, labelWidth - LABEL_GAP - fm.stringWidth(label), y);
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The grid as PNG bytes. */
  public static byte[] png(FloatMatrix images, int height, int width, Options options) {
    return encodePng(render(images, height, width, options));
  }

  /** Writes the grid to {@code file} (PNG, whatever its extension) atomically. */
  public static void write(Path file, FloatMatrix images, int height, int width, Options options) {
    AtomicFiles.writeBytes(file, png(images, height, width, options));
  }

  /**
   * Interleaves grid rows from several image sets, {@code columns} images each: row 0 of {@code
   * sets[0]}, row 0 of {@code sets[1]}, ..., then row 1 of each, and so on, e.g. inputs above their
   * reconstructions. All sets need the same shape; rows beyond the shortest set are dropped.
   */
  public static FloatMatrix interleaveRows(int columns, FloatMatrix... sets) {
    if (sets.length == 0) {
      throw new IllegalArgumentException("interleaveRows needs at least one image set");
    }
    if (columns < 1) {
      throw new IllegalArgumentException("interleaveRows columns " + columns + " must be >= 1");
    }
    int pixels = sets[0].cols();
    int minRows = Integer.MAX_VALUE;
    for (int s = 0; s < sets.length; s++) {
      if (sets[s].cols() != pixels) {
        throw new IllegalArgumentException(
            "interleaveRows: set "
                + s
                + " has "
                + sets[s].cols()
                + " pixels per image, set 0 has "
                + pixels
                + "; all sets need the same image shape");
      }
      minRows = Math.min(minRows, sets[s].rows());
    }
    int gridRows = (minRows + columns - 1) / columns;
    int total = 0;
    for (int r = 0; r < gridRows; r++) {
      total += sets.length * Math.min(columns, minRows - r * columns);
    }
    float[] out = new float[total * pixels];
    int at = 0;
    for (int r = 0; r < gridRows; r++) {
      int inRow = Math.min(columns, minRows - r * columns);
      for (FloatMatrix set : sets) {
        System.arraycopy(set.data(), set.offset(r * columns), out, at, inRow * pixels);
        at += inRow * pixels;
      }
    }
    return new FloatMatrix(total, pixels, out);
  }

  static byte[] encodePng(BufferedImage img) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try {
      if (!ImageIO.write(img, "png", bytes)) {
        throw new IllegalStateException("no PNG writer in this JVM's ImageIO");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  private static int labelWidth(List<String> labels) {
    if (labels.isEmpty()) {
      return 0;
    }
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      FontMetrics fm = g.getFontMetrics(LABEL_FONT);
      int w = 0;
      for (String s : labels) {
        w = Math.max(w, fm.stringWidth(s));
      }
      return w + 2 * LABEL_GAP;
    } finally {
      g.dispose();
    }
  }
}
