package io.deepclust.data;

import io.deepclust.linalg.FloatMatrix;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Brings images to one shape {@code (C, H, W)}, channel-first like {@link ImageDataset}, by a fixed
 * rule applied in this order:
 *
 * <ol>
 *   <li>transpose (when asked): each channel's {@code (y, x)} becomes {@code (x, y)}, for files
 *       that store images column by column (EMNIST);
 *   <li>channels: grey to colour by replicating the grey channel into R, G and B; colour to grey by
 *       the ITU-R BT.601 luma {@code Y = 0.299 R + 0.587 G + 0.114 B} (what PIL's {@code
 *       convert("L")} uses); no other channel counts are converted;
 *   <li>size: bilinear resampling with antialiasing, PIL's {@code Image.resize(size, BILINEAR)} and
 *       torchvision's {@code resize(..., antialias=True)}: a triangle filter whose support widens
 *       by the downscale factor, pixel centres aligned ({@code align_corners=False}), in float
 *       without rounding between the horizontal and the vertical pass. Upscaling is plain bilinear
 *       interpolation. The aspect ratio is not kept: a 64x48 image becomes exactly the target size.
 * </ol>
 *
 * Values stay in [0, 1]: every step is a convex combination of input pixels.
 */
public final class ImageTransforms {
  /** ITU-R BT.601 luma weights of R, G and B. */
  public static final float LUMA_R = 0.299f;

  public static final float LUMA_G = 0.587f;
  public static final float LUMA_B = 0.114f;

  private ImageTransforms() {}

  /**
   * One image {@code (c, h, w)} transposed to {@code (c, w, h)}: {@code out[c][x][y] =
   * in[c][y][x]}.
   */
  public static float[] transpose(float[] img, int c, int h, int w) {
    float[] out = new float[img.length];
    for (int k = 0; k < c; k++) {
      int base = k * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[base + x * h + y] = img[base + y * w + x];
        }
      }
    }
    return out;
  }

  /**
   * One image {@code (c, h, w)} with {@code targetC} channels: the same array when {@code c ==
   * targetC}, grey replicated to 3 channels, or 3 colour channels to their luma.
   *
   * @throws IllegalArgumentException for any other pair of channel counts
   */
  public static float[] toChannels(float[] img, int c, int h, int w, int targetC) {
    if (c == targetC) {
      return img;
    }
    int hw = h * w;
    if (c == 1 && targetC == 3) {
      float[] out = new float[3 * hw];
      for (int k = 0; k < 3; k++) {
        System.arraycopy(img, 0, out, k * hw, hw);
      }
      return out;
    }
    if (c == 3 && targetC == 1) {
      float[] out = new float[hw];
      for (int i = 0; i < hw; i++) {
        out[i] = LUMA_R * img[i] + LUMA_G * img[hw + i] + LUMA_B * img[2 * hw + i];
      }
      return out;
    }
    throw new IllegalArgumentException(
        "cannot convert images of "
            + c
            + " channel(s) to "
            + targetC
            + "; only grey (1) and colour (3) convert into each other");
  }

  /**
   * One image {@code (c, h, w)} resized to {@code (c, th, tw)} by antialiased bilinear resampling
   * (see the class comment); the same array when the size does not change.
   */
  public static float[] resize(float[] img, int c, int h, int w, int th, int tw) {
    if (h == th && w == tw) {
      return img;
    }
    Coefficients cx = Coefficients.of(w, tw);
    Coefficients cy = Coefficients.of(h, th);
    float[] out = new float[c * th * tw];
    float[] tmp = new float[h * tw];
    for (int k = 0; k < c; k++) {
      int in = k * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < tw; x++) {
          double s = 0;
          int lo = cx.start[x];
          double[] wts = cx.weights[x];
          for (int j = 0; j < wts.length; j++) {
            s += wts[j] * img[in + y * w + lo + j];
          }
          tmp[y * tw + x] = (float) s;
        }
      }
      int o = k * th * tw;
      for (int y = 0; y < th; y++) {
        int lo = cy.start[y];
        double[] wts = cy.weights[y];
        for (int x = 0; x < tw; x++) {
          double s = 0;
          for (int j = 0; j < wts.length; j++) {
            s += wts[j] * tmp[(lo + j) * tw + x];
          }
          out[o + y * tw + x] = (float) s;
        }
      }
    }
    return out;
  }

  /** Per output position: the first input index and the normalised filter weights (PIL). */
  private record Coefficients(int[] start, double[][] weights) {
    static Coefficients of(int in, int out) {
      double scale = (double) in / out;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // the triangle filter's support is 1
      int[] start = new int[out];
      double[][] weights = new double[out][];
      for (int i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max((int) (center - support + 0.5), 0);
        int hi = Math.min((int) (center + support + 0.5), in);
        double[] w = new double[hi - lo];
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
          double t = Math.abs((j + lo - center + 0.5) / filterScale);
          w[j] = t < 1 ? 1 - t : 0;
          sum += w[j];
        }
        for (int j = 0; j < w.length; j++) {
          w[j] = sum == 0 ? 0 : w[j] / sum;
        }
        start[i] = lo;
        weights[i] = w;
      }
      return new Coefficients(start, weights);
    }
  }

  /**
   * One image brought from {@code (c, h, w)} to {@code target}, transposed first when asked.
   *
   * @throws IllegalArgumentException when the channels cannot be converted
   */
  public static float[] convert(float[] img, int c, int h, int w, int[] target, boolean transpose) {
    if (transpose) {
      img = transpose(img, c, h, w);
      int t = h;
      h = w;
      w = t;
    }
    img = toChannels(img, c, h, w, target[0]);
    return resize(img, target[0], h, w, target[1], target[2]);
  }

  /**
   * What {@link #convert} does to images of {@code (c, h, w)}, as one phrase for the log, e.g.
   * {@code "transposed, grey by ITU-R 601 luma, resized bilinear from 64x48"}; "" when nothing.
   */
  public static String describe(int c, int h, int w, int[] target, boolean transpose) {
    List<String> steps = new ArrayList<>();
    if (transpose) {
      steps.add("transposed (height and width swapped)");
      int t = h;
      h = w;
      w = t;
    }
    if (c == 3 && target[0] == 1) {
      steps.add("grey by ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B)");
    } else if (c == 1 && target[0] == 3) {
      steps.add("colour by replicating grey into R, G, B");
    }
    if (h != target[1] || w != target[2]) {
      steps.add(
          String.format(
              Locale.ROOT,
              "resized bilinear (antialiased) from %dx%d to %dx%d",
              h,
              w,
              target[1],
              target[2]));
    }
    return String.join(", ", steps);
  }

  /**
   * {@code data} with every image brought to {@code target} ({@code [C, H, W]}; null keeps the
   * shape) and transposed first when asked; the same dataset when nothing changes.
   *
   * @throws IllegalArgumentException when the channels cannot be converted
   */
  public static ImageDataset apply(ImageDataset data, int[] target, boolean transpose) {
    int c = data.channels();
    int h = data.height();
    int w = data.width();
    int[] to = target != null ? target : transpose ? new int[] {c, w, h} : new int[] {c, h, w};
    if (!transpose && to[0] == c && to[1] == h && to[2] == w) {
      return data;
    }
    int n = data.size();
    int d = to[0] * to[1] * to[2];
    float[] out = new float[Math.multiplyExact(n, d)];
    float[] src = data.pixels().data();
    int in = data.featureCount();
    for (int i = 0; i < n; i++) {
      float[] img = new float[in];
      System.arraycopy(src, i * in, img, 0, in);
      System.arraycopy(convert(img, c, h, w, to, transpose), 0, out, i * d, d);
    }
    return new ImageDataset(
        data.name(),
        data.split(),
        new FloatMatrix(n, d, out),
        data.labels(),
        to[1],
        to[2],
        to[0],
        data.classNames());
  }

  /** {@code (c, h, w)} as text. */
  public static String shapeText(int c, int h, int w) {
    return "(" + c + ", " + h + ", " + w + ")";
  }

  /**
   * The pixels of a decoded image in [0, 1], channels first: one channel for a grey image (any bit
   * depth, scaled by its maximum), else three (RGB, 8 bits each; alpha dropped).
   *
   * @return {@code C x H x W} values, C = 1 when {@link #isGrey}, else 3
   */
  public static float[] pixels(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    boolean grey = isGrey(img);
    float[] v = new float[(grey ? 1 : 3) * h * w];
    if (grey && !(img.getColorModel() instanceof IndexColorModel)) {
      Raster r = img.getRaster();
      float max = (1L << img.getColorModel().getComponentSize(0)) - 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          v[y * w + x] = r.getSample(x, y, 0) / max;
        }
      }
    } else {
      int hw = h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = img.getRGB(x, y);
          int i = y * w + x;
          if (grey) {
            v[i] = (rgb & 0xFF) / 255f;
          } else {
            v[i] = ((rgb >> 16) & 0xFF) / 255f;
            v[hw + i] = ((rgb >> 8) & 0xFF) / 255f;
            v[2 * hw + i] = (rgb & 0xFF) / 255f;
          }
        }
      }
    }
    return v;
  }

  /** Whether the image has one colour channel (grey, or a palette of greys). */
  public static boolean isGrey(BufferedImage img) {
    if (img.getColorModel() instanceof IndexColorModel icm) {
      for (int i = 0; i < icm.getMapSize(); i++) {
        if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
          return false;
        }
      }
      return true;
    }
    return img.getColorModel().getNumColorComponents() == 1;
  }
}
