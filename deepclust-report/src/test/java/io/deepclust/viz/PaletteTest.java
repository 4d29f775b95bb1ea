package io.deepclust.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaletteTest {
  @Test
  void firstTwentyColoursAndGrayArePerceptuallyApart() {
    List<Color> colors = new ArrayList<>(Palette.colors(Palette.FIXED_SIZE));
    colors.add(Palette.UNASSIGNED);
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < colors.size(); i++) {
      for (int j = i + 1; j < colors.size(); j++) {
        min = Math.min(min, deltaE(colors.get(i), colors.get(j)));
      }
    }
    // Tableau-10's own closest pair (purple/pink) is about 27.7
    assertTrue(min > 25, "smallest CIELAB distance " + min);
  }

  @Test
  void manyLabelsGetDistinctColours() {
    Set<Integer> rgb = new HashSet<>();
    for (Color c : Palette.colors(200)) {
      rgb.add(c.getRGB());
    }
    assertEquals(200, rgb.size());
    assertEquals(Palette.UNASSIGNED, Palette.color(-1));
    assertEquals("#1f77b4", Palette.hex(Palette.color(0)));
  }

  /** CIE 1976 Delta E between two sRGB colours (D65). */
  static double deltaE(Color a, Color b) {
    double[] la = lab(a);
    double[] lb = lab(b);
    return Math.sqrt(
        Math.pow(la[0] - lb[0], 2) + Math.pow(la[1] - lb[1], 2) + Math.pow(la[2] - lb[2], 2));
  }

  private static double[] lab(Color c) {
    double[] rgb = {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
    for (int i = 0; i < 3; i++) {
      rgb[i] = rgb[i] > 0.04045 ? Math.pow((rgb[i] + 0.055) / 1.055, 2.4) : rgb[i] / 12.92;
    }
    double x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
    double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    double z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
    double fx = f(x);
    double fy = f(y);
    double fz = f(z);
    return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
  }

  private static double f(double t) {
    return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
  }
}
