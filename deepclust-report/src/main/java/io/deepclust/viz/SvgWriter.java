package io.deepclust.viz;

/**
 * A minimal SVG 1.1 writer: just the elements our charts need, appended to one string. Coordinates
 * are written with at most two decimals, locale-independent, so files are compact and
 * byte-identical across machines.
 */
final class SvgWriter {
  private final StringBuilder out = new StringBuilder(1 << 16);

  SvgWriter(int width, int height) {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" font-family=\"Helvetica, Arial, sans-serif\">\n");
  }

  SvgWriter rect(double x, double y, double w, double h, String fill, String stroke) {
    out.append("<rect x=\"");
    num(x).append("\" y=\"");
    num(y).append("\" width=\"");
    num(w).append("\" height=\"");
    num(h).append("\" fill=\"").append(fill).append('"');
    if (stroke != null) {
      out.append(" stroke=\"").append(stroke).append('"');
    }
    out.append("/>\n");
    return this;
  }

  SvgWriter line(double x1, double y1, double x2, double y2, String stroke, double width) {
    out.append("<line x1=\"");
    num(x1).append("\" y1=\"");
    num(y1).append("\" x2=\"");
    num(x2).append("\" y2=\"");
    num(y2).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"");
    num(width).append("\"/>\n");
    return this;
  }

  /** A circle without attributes of its own: fill comes from the enclosing group. */
  SvgWriter dot(double cx, double cy, double r) {
    out.append("<circle cx=\"");
    num(cx).append("\" cy=\"");
    num(cy).append("\" r=\"");
    num(r).append("\"/>\n");
    return this;
  }

  SvgWriter polyline(double[] xs, double[] ys, int n, String stroke, double width) {
    out.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"");
    num(width).append("\" stroke-linejoin=\"round\" points=\"");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(' ');
      }
      num(xs[i]).append(',');
      num(ys[i]);
    }
    out.append("\"/>\n");
    return this;
  }

  /**
   * Text at (x, y) (baseline); {@code anchor} is start, middle or end; {@code rotate} in degrees
   * about the anchor point (0 for none).
   */
  SvgWriter text(
      double x, double y, String text, int size, String anchor, int rotate, boolean bold) {
    out.append("<text x=\"");
    num(x).append("\" y=\"");
    num(y).append("\" font-size=\"").append(size).append("\" text-anchor=\"").append(anchor);
    out.append('"');
    if (bold) {
      out.append(" font-weight=\"bold\"");
    }
    if (rotate != 0) {
      out.append(" transform=\"rotate(").append(rotate).append(' ');
      num(x).append(' ');
      num(y).append(")\"");
    }
    out.append('>').append(escape(text)).append("</text>\n");
    return this;
  }

  /** Opens {@code <g>} with raw, already escaped attributes, e.g. {@code fill="#1f77b4"}. */
  SvgWriter openGroup(String attributes) {
    out.append("<g ").append(attributes).append(">\n");
    return this;
  }

  SvgWriter closeGroup() {
    out.append("</g>\n");
    return this;
  }

  /** Closes the document and returns it. */
  String finish() {
    out.append("</svg>\n");
    return out.toString();
  }

  /** Escapes XML special characters (and drops control characters XML 1.0 forbids). */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Appends {@code v} rounded to two decimals, without exponent or locale. */
  private StringBuilder num(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("SVG coordinate is " + v + "; plot data must be finite");
    }
    long hundredths = Math.round(v * 100.0);
    if (hundredths < 0) {
      out.append('-');
      hundredths = -hundredths;
    }
    out.append(hundredths / 100);
    long frac = hundredths % 100;
    if (frac != 0) {
      out.append('.');
      if (frac < 10) {
        out.append('0').append(frac);
      } else if (frac % 10 == 0) {
        out.append(frac / 10);
      } else {
        out.append(frac);
      }
    }
    return out;
  }
}
