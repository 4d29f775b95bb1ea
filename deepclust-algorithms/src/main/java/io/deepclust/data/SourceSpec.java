package io.deepclust.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A data source named by a string, as a recipe's {@code data.dataset} or {@code --dataset} gives
 * it:
 *
 * <ul>
 *   <li>{@code folder:PATH}: PNG, JPEG, BMP or GIF images; labelled by class subfolders when there
 *       are any;
 *   <li>{@code idx:IMAGES[,LABELS]}: IDX files (gzip'ed or raw, any element type);
 *   <li>{@code npy:IMAGES[,LABELS]}: NumPy {@code .npy} arrays;
 *   <li>{@code csv:PATH}: one row per sample, numbers only; {@code ?label=NAME} names the label
 *       column (by header name, or by 0-based index in a file without a header).
 * </ul>
 *
 * <p>Options follow a {@code ?}, joined by {@code &}: {@code label=NAME} (csv only), {@code
 * transpose=true} (swap each image's height and width, for EMNIST's transposed images) and {@code
 * scale=auto|minmax} (see {@link PixelScaling}). A leading {@code ~/} in a path is the home folder.
 * Paths may not contain {@code ?}, nor {@code ,} for idx and npy (the separator of the two files).
 *
 * @param text the source as given
 * @param kind folder, idx, npy or csv
 * @param images the folder, or the file of the images (csv: the table)
 * @param labels the file of the labels, or null (idx, npy)
 * @param labelColumn csv: the label column's header name or 0-based index; null for none
 * @param transpose swap each image's height and width after reading
 * @param scale how values become pixels in [0, 1]
 */
public record SourceSpec(
    String text,
    Kind kind,
    Path images,
    Path labels,
    String labelColumn,
    boolean transpose,
    PixelScaling scale) {

  /** The kinds of source. */
  public enum Kind {
    FOLDER,
    IDX,
    NPY,
    CSV;

    /** The prefix, e.g. {@code folder}. */
    public String prefix() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The forms, for messages. */
  public static final String FORMS =
      "folder:PATH, idx:IMAGES[,LABELS], npy:IMAGES[,LABELS] or csv:PATH[?label=COLUMN]";

  public SourceSpec {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(scale, "scale");
  }

  /** Whether {@code text} starts with a source prefix ({@code folder:}, {@code idx:}, ...). */
  public static boolean isSource(String text) {
    if (text == null) {
      return false;
    }
    for (Kind k : Kind.values()) {
      if (text.startsWith(k.prefix() + ":")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses a source string; reads no file.
   *
   * @throws IllegalArgumentException naming what is wrong and the forms
   */
  public static SourceSpec parse(String text) {
    if (!isSource(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a data source; use " + FORMS);
    }
    int colon = text.indexOf(':');
    Kind kind = Kind.valueOf(text.substring(0, colon).toUpperCase(Locale.ROOT));
    String rest = text.substring(colon + 1);
    Map<String, String> options = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String kv : rest.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              text + ": option '" + kv + "' is not key=value (e.g. ?transpose=true)");
        }
        options.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
      }
      rest = rest.substring(0, q);
    }
    List<String> known =
        kind == Kind.CSV ? List.of("label", "transpose", "scale") : List.of("transpose", "scale");
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            text
                + ": unknown option '"
                + key
                + "' for a "
                + kind.prefix()
                + " source; known: "
                + String.join(", ", known));
      }
    }
    String images = rest;
    String labels = null;
    if (kind == Kind.IDX || kind == Kind.NPY) {
      String[] parts = rest.split(",", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException(
            text + ": give at most two files, IMAGES,LABELS (paths may not contain ',')");
      }
      images = parts[0];
      labels = parts.length == 2 ? parts[1] : null;
      if (labels != null && labels.isBlank()) {
        throw new IllegalArgumentException(text + ": the labels file after ',' is empty");
      }
    }
    if (images.isBlank()) {
      throw new IllegalArgumentException(
          text + ": no path after '" + kind.prefix() + ":'; e.g. " + kind.prefix() + ":/data/x");
    }
    String transpose = options.getOrDefault("transpose", "false");
    if (!transpose.equals("true") && !transpose.equals("false")) {
      throw new IllegalArgumentException(
          text + ": transpose must be true or false, got '" + transpose + "'");
    }
    PixelScaling scale = PixelScaling.parse(options.getOrDefault("scale", "auto"), text);
    String label = options.get("label");
    if (label != null && label.isEmpty()) {
      throw new IllegalArgumentException(text + ": label= needs a column name or index");
    }
    return new SourceSpec(
        text,
        kind,
        path(images),
        labels == null ? null : path(labels),
        label,
        transpose.equals("true"),
        scale);
  }

  /** {@code ~/x} is the home folder's x. */
  static Path path(String p) {
    p = p.strip();
    if (p.equals("~") || p.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + p.substring(1));
    }
    return Path.of(p);
  }

  /** The files (or folder) this source names. */
  public List<Path> paths() {
    return labels == null ? List.of(images) : List.of(images, labels);
  }
}
