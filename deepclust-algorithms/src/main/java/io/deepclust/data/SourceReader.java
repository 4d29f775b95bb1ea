package io.deepclust.data;

import io.deepclust.linalg.FloatMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads a {@link SourceSpec} into an {@link ImageDataset} of pixels in [0, 1], channel-first {@code
 * (C, H, W)}. Reads only: nothing is ever written next to the source.
 *
 * <p>Shapes read: a folder's images as decoded ({@link ImageFolder}); arrays (IDX, NPY) of shape
 * {@code (N, H, W)} as grey images, {@code (N, C, H, W)} as C-channel images, {@code (N, D)} as
 * flat vectors; CSV rows as flat vectors. A flat vector has the shape {@code (1, 1, D)} unless a
 * target shape {@code (C, H, W)} with {@code C*H*W = D} is given, in which case it is read as that
 * image, row-major (and as {@code (C, W, H)} transposed back when the source says {@code
 * transpose=true}). Images are then brought to the target shape by {@link ImageTransforms}: a
 * folder of images of different sizes needs a target shape.
 *
 * <p>Values are scaled to [0, 1] by the source's {@link PixelScaling}. Labels, when the source has
 * them, are remapped to {@code 0..k-1} by {@link ClassLabels} (sorted distinct values; the original
 * values name the classes); a source without labels gives a dataset without labels.
 */
public final class SourceReader {
  private SourceReader() {}

  /**
   * A source, read.
   *
   * @param data the images, in the source's order
   * @param files the files read, in order (a folder's image files, or the array files)
   * @param description one line for the log: what was read and what was done to it
   */
  public record Loaded(ImageDataset data, List<Path> files, String description) {}

  /**
   * Reads {@code spec}.
   *
   * @param name the dataset's name in messages and the run (the source text, or a registered name)
   * @param shape the target {@code [C, H, W]}, or null to keep the images' own shape
   * @throws DataSourceException naming the file, the cause and the fix
   */
  public static Loaded read(SourceSpec spec, String name, int[] shape) {
    Objects.requireNonNull(spec, "spec");
    if (shape != null && (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1)) {
      throw new IllegalArgumentException("shape must be [C, H, W] with positive sizes");
    }
    return switch (spec.kind()) {
      case FOLDER -> readFolder(spec, name, shape);
      case IDX, NPY -> readArrays(spec, name, shape);
      case CSV -> readCsv(spec, name, shape);
    };
  }

  private static Loaded readFolder(SourceSpec spec, String name, int[] shape) {
    ImageFolder.Contents c = ImageFolder.read(spec.images());
    TreeSet<String> sizes = new TreeSet<>();
    int maxC = 1;
    for (ImageFolder.Image im : c.images()) {
      int h = spec.transpose() ? im.width() : im.height();
      int w = spec.transpose() ? im.height() : im.width();
      sizes.add(h + "x" + w);
      maxC = Math.max(maxC, im.channels());
    }
    int[] target = shape;
    if (target == null) {
      if (sizes.size() > 1) {
        ImageFolder.Image a = c.images().get(0);
        ImageFolder.Image b =
            c.images().stream()
                .filter(im -> im.height() != a.height() || im.width() != a.width())
                .findFirst()
                .orElseThrow();
        throw new DataSourceException(
            spec.images(),
            String.format(
                Locale.ROOT,
                "%s: the images differ in size (%s is %dx%d, %s is %dx%d; %d sizes in all), so"
                    + " they need one shape to be brought to: set data.shape, e.g. --set"
                    + " 'data.shape=[%d, 64, 64]'",
                spec.images(),
                a.file().getFileName(),
                a.height(),
                a.width(),
                b.file().getFileName(),
                b.height(),
                b.width(),
                sizes.size(),
                maxC));
      }
      String[] hw = sizes.first().split("x");
      target = new int[] {maxC, Integer.parseInt(hw[0]), Integer.parseInt(hw[1])};
    }
    int n = c.images().size();
    int d = target[0] * target[1] * target[2];
    float[] v = new float[Math.multiplyExact(n, d)];
    List<Path> files = new ArrayList<>();
    TreeSet<String> done = new TreeSet<>();
    int grey = 0;
    for (int i = 0; i < n; i++) {
      ImageFolder.Image im = c.images().get(i);
      files.add(im.file());
      grey += im.channels() == 1 ? 1 : 0;
      String what =
          ImageTransforms.describe(
              im.channels(), im.height(), im.width(), target, spec.transpose());
      if (!what.isEmpty()) {
        done.add(what);
      }
      float[] img;
      try {
        img =
            ImageTransforms.convert(
                im.chw(), im.channels(), im.height(), im.width(), target, spec.transpose());
      } catch (IllegalArgumentException e) {
        throw new DataSourceException(im.file(), im.file() + ": " + e.getMessage(), e);
      }
      System.arraycopy(img, 0, v, i * d, d);
    }
    String scaled =
        spec.scale()
            .apply(v, NumericArray.ElementKind.UNIT, "image samples / (2^bits - 1)", spec.text());
    ClassLabels labels = c.labels() == null ? null : new ClassLabels(c.labels(), c.classNames());
    ImageDataset data = dataset(name, v, n, target, labels);
    String read =
        String.format(
            Locale.ROOT,
            "%d images (%d grey, %d colour; %s)",
            n,
            grey,
            n - grey,
            sizes.size() == 1 ? sizes.first() : sizes.size() + " sizes");
    String labelText =
        labels == null
            ? "unlabelled (no class subfolders)"
            : labels.names().size()
                + " classes from subfolders ("
                + String.join(", ", preview(labels.names()))
                + ")";
    String description =
        describe(
            spec.text(), read, scaled, target, done, labelText, c.skipped(), "entries skipped");
    return new Loaded(data, files, description);
  }

  private static Loaded readArrays(SourceSpec spec, String name, int[] shape) {
    NumericArray a =
        spec.kind() == SourceSpec.Kind.IDX
            ? IdxArrays.read(spec.images())
            : NpyArrays.read(spec.images());
    ClassLabels labels = null;
    if (spec.labels() != null) {
      NumericArray y =
          spec.kind() == SourceSpec.Kind.IDX
              ? IdxArrays.read(spec.labels())
              : NpyArrays.read(spec.labels());
      long[] raw = y.asLabels();
      if (raw.length != a.count()) {
        throw new DataSourceException(
            spec.labels(),
            "image and label files disagree: "
                + spec.images()
                + " holds "
                + a.count()
                + " samples but "
                + spec.labels()
                + " holds "
                + raw.length
                + " labels; give the labels of these images");
      }
      labels = ClassLabels.ofNumbers(raw);
    }
    return fromArray(spec, name, shape, a, labels);
  }

  private static Loaded readCsv(SourceSpec spec, String name, int[] shape) {
    CsvTable.Table t = CsvTable.read(spec.images(), spec.labelColumn());
    ClassLabels labels =
        t.numericLabels() != null
            ? ClassLabels.ofNumbers(t.numericLabels())
            : t.namedLabels() != null ? ClassLabels.ofNames(t.namedLabels()) : null;
    return fromArray(spec, name, shape, t.features(), labels);
  }

  private static Loaded fromArray(
      SourceSpec spec, String name, int[] shape, NumericArray a, ClassLabels labels) {
    Path file = spec.images();
    int[] s = a.shape();
    int n = s[0];
    int c;
    int h;
    int w;
    boolean flat = false;
    switch (s.length) {
      case 2 -> {
        flat = true;
        c = 1;
        h = 1;
        w = s[1];
      }
      case 3 -> {
        c = 1;
        h = s[1];
        w = s[2];
      }
      case 4 -> {
        c = s[1];
        h = s[2];
        w = s[3];
        boolean small = c == 1 || c == 3 || c == 4;
        if (!small && (w == 1 || w == 3 || w == 4)) {
          throw new DataSourceException(
              file,
              file
                  + ": shape "
                  + a.shapeText()
                  + " looks channel-last (N, H, W, C); deepclust reads (N, C, H, W): save"
                  + " a.transpose(0, 3, 1, 2)");
        }
      }
      default ->
          throw new DataSourceException(
              file,
              file
                  + ": shape "
                  + a.shapeText()
                  + " is not images; give (N, H, W) grey images, (N, C, H, W) images or (N, D)"
                  + " vectors");
    }
    if (n == 0) {
      throw new DataSourceException(
          file, file + ": holds no samples (shape " + a.shapeText() + ")");
    }
    float[] v = a.values();
    String scaled = spec.scale().apply(v, a.kind(), a.dtype(), file.toString());
    int[] target = shape;
    boolean transpose = spec.transpose();
    List<String> steps = new ArrayList<>();
    if (flat) {
      int d = w;
      if (shape == null) {
        if (transpose) {
          throw new DataSourceException(
              file,
              file
                  + ": holds flat vectors of "
                  + d
                  + " values, so transpose=true needs the image shape: set data.shape, e.g."
                  + " [1, "
                  + (int) Math.sqrt(d)
                  + ", "
                  + (int) Math.sqrt(d)
                  + "]");
        }
        target = new int[] {1, 1, d};
      } else {
        if ((long) shape[0] * shape[1] * shape[2] != d) {
          throw new DataSourceException(
              file,
              String.format(
                  Locale.ROOT,
                  "%s: holds flat vectors of %d values, which cannot be read as images of"
                      + " data.shape %s = %d values; give a shape with C*H*W = %d",
                  file,
                  d,
                  ImageTransforms.shapeText(shape[0], shape[1], shape[2]),
                  shape[0] * shape[1] * shape[2],
                  d));
        }
        // read each row as (C, W, H) when it is stored transposed, so that it comes out (C, H, W)
        c = shape[0];
        h = transpose ? shape[2] : shape[1];
        w = transpose ? shape[1] : shape[2];
        steps.add("flat vectors read as " + ImageTransforms.shapeText(c, h, w) + " row-major");
      }
    }
    if (target == null) {
      target = transpose ? new int[] {c, w, h} : new int[] {c, h, w};
    }
    String what = ImageTransforms.describe(c, h, w, target, transpose);
    if (!what.isEmpty()) {
      steps.add(what);
    }
    int in = c * h * w;
    int d = target[0] * target[1] * target[2];
    float[] out = v;
    if (transpose || c != target[0] || h != target[1] || w != target[2]) {
      out = new float[Math.multiplyExact(n, d)];
      float[] img = new float[in];
      for (int i = 0; i < n; i++) {
        System.arraycopy(v, i * in, img, 0, in);
        float[] r;
        try {
          r = ImageTransforms.convert(img, c, h, w, target, transpose);
        } catch (IllegalArgumentException e) {
          throw new DataSourceException(
              file,
              file
                  + ": images of shape "
                  + ImageTransforms.shapeText(c, h, w)
                  + " cannot be brought to data.shape "
                  + ImageTransforms.shapeText(target[0], target[1], target[2])
                  + ": "
                  + e.getMessage(),
              e);
        }
        System.arraycopy(r, 0, out, i * d, d);
      }
    }
    ImageDataset data = dataset(name, out, n, target, labels);
    String read =
        n + " samples of " + a.shapeText().replaceFirst("^\\(\\d+", "(N") + " " + a.dtype();
    String labelText = labels == null ? "unlabelled" : labels.describe();
    return new Loaded(
        data, spec.paths(), describe(spec.text(), read, scaled, target, steps, labelText, 0, ""));
  }

  private static ImageDataset dataset(
      String name, float[] v, int n, int[] target, ClassLabels labels) {
    int d = target[0] * target[1] * target[2];
    return new ImageDataset(
        name,
        Split.ALL,
        new FloatMatrix(n, d, v),
        labels == null ? null : labels.ids(),
        target[1],
        target[2],
        target[0],
        labels == null ? List.of() : labels.names());
  }

  private static String describe(
      String source,
      String read,
      String scaled,
      int[] target,
      java.util.Collection<String> steps,
      String labels,
      int skipped,
      String skippedWhat) {
    StringBuilder sb = new StringBuilder();
    sb.append(source).append(": ").append(read).append(", pixels ").append(scaled);
    sb.append("; images ").append(ImageTransforms.shapeText(target[0], target[1], target[2]));
    if (!steps.isEmpty()) {
      sb.append(" (").append(String.join("; ", steps)).append(')');
    } else {
      sb.append(" as read");
    }
    sb.append("; ").append(labels);
    if (skipped > 0) {
      sb.append("; ").append(skipped).append(' ').append(skippedWhat);
    }
    return sb.toString();
  }

  private static List<String> preview(List<String> names) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < Math.min(names.size(), 8); k++) {
      out.add(names.get(k) + "=" + k);
    }
    if (names.size() > 8) {
      out.add("...");
    }
    return out;
  }
}
