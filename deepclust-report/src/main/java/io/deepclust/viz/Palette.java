package io.deepclust.viz;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Categorical colours for clusters and classes: Tableau-10 (the matplotlib default cycle) for the
 * first ten labels, ten further colours chosen to stay apart from those for labels 10-19, then
 * golden-angle hues for anything beyond. A label always gets the same colour, so cluster 3 looks
 * the same in every plot of a run.
 */
public final class Palette {
  private Palette() {}

  /** Colour for negative labels (noise, unassigned points). */
  public static final Color UNASSIGNED = new Color(0xD9D9D9);

  private static final int[] FIXED = {
    // Tableau-10
    0x1f77b4,
    0xff7f0e,
    0x2ca02c,
    0xd62728,
    0x9467bd,
    0x8c564b,
    0xe377c2,
    0x7f7f7f,
    0xbcbd22,
    0x17becf,
    // ten more, picked greedily from ColorBrewer/Kelly candidates to maximise the smallest CIELAB
    // distance to everything before them (and to UNASSIGNED): at least 34 (Delta E 1976)
    0x000080,
    0xfdbf6f,
    0x00441b,
    0xff00ff,
    0x000000,
    0xb2df8a,
    0x40004b,
    0x1b9e77,
    0xfb9a99,
    0xff1493,
  };

  /** Number of hand-picked colours before generated hues take over. */
  public static final int FIXED_SIZE = FIXED.length;

  /**
   * The colour of {@code label}: {@link #UNASSIGNED} for negative labels, a fixed colour for 0-19,
   * and a golden-angle hue (alternating brightness) above.
   */
  public static Color color(int label) {
    if (label < 0) {
      return UNASSIGNED;
    }
    if (label < FIXED.length) {
      return new Color(FIXED[label]);
    }
    int k = label - FIXED.length;
    // Golden-angle steps spread hues evenly however many are needed; two brightness levels
    // separate neighbours that land on similar hues.
    float hue = (float) ((k * 0.618033988749895) % 1.0);
    float saturation = (k % 2 == 0) ? 0.75f : 0.55f;
    float brightness = (k % 3 == 0) ? 0.65f : 0.9f;
    return Color.getHSBColor(hue, saturation, brightness);
  }

  /** The colours of labels {@code 0..k-1}. */
  public static List<Color> colors(int k) {
    List<Color> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(color(i));
    }
    return out;
  }

  /** {@code #rrggbb} for SVG. */
  public static String hex(Color c) {
    return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }
}
