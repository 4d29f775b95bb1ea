package io.deepclust.viz;

import java.nio.file.Path;
import java.util.Locale;

/** Output format of a plot, chosen from the file name's extension. */
public enum PlotFormat {
  /** Raster, via XChart (charts) or ImageIO (image grids). */
  PNG,
  /** Vector, via our own small SVG writer. */
  SVG;

  /**
   * The format for {@code file}: {@code .png} or {@code .svg} (any case).
   *
   * @throws IllegalArgumentException for any other extension
   */
  public static PlotFormat of(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return PNG;
    }
    if (lower.endsWith(".svg")) {
      return SVG;
    }
    throw new IllegalArgumentException(
        "plot file " + file + ": unknown extension; name it *.png or *.svg");
  }
}
