package io.deepclust.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** "Figures": every PNG/SVG of {@code figures/}, embedded as a data URI, in reading order. */
final class FiguresSection {
  private FiguresSection() {}

  /** Figure file stems in the order a reader wants them, with their captions. */
  private static final Map<String, String> KNOWN_FIGURES = new LinkedHashMap<>();

  static {
    // loss and confusion side by side, the wide reconstruction grid on its own row, then the
    // 2-D maps in truth/cluster pairs so each pair shares a row
    KNOWN_FIGURES.put("loss", "Training loss per epoch");
    KNOWN_FIGURES.put("confusion", "Confusion matrix: true classes against matched clusters");
    KNOWN_FIGURES.put(
        "cluster_updates",
        "Clustering phase per update: labels changed, largest cluster, clusters in use, ACC/NMI");
    KNOWN_FIGURES.put(
        "cluster_updates_quality",
        "Clustering phase per update: ACC and NMI on an axis fitted to their range");
    KNOWN_FIGURES.put(
        "clusters",
        "Each cluster (largest first): size, majority class and purity; left the 8 images nearest"
            + " its centre, right 8 random members");
    KNOWN_FIGURES.put("reconstructions", "Inputs and their autoencoder reconstructions");
    KNOWN_FIGURES.put("pca2d_truth", "PCA of the clustered features, coloured by true class");
    KNOWN_FIGURES.put(
        "pca2d_clusters", "PCA of the clustered features, coloured by the first method's clusters");
    KNOWN_FIGURES.put("tsne_truth", "t-SNE of the clustered features, coloured by true class");
    KNOWN_FIGURES.put(
        "tsne_clusters",
        "t-SNE of the clustered features, coloured by the first method's clusters");
    KNOWN_FIGURES.put("umap_truth", "2-D UMAP of the clustered features, coloured by true class");
    KNOWN_FIGURES.put(
        "umap_clusters",
        "2-D UMAP of the clustered features, coloured by the first method's clusters");
  }

  static void render(RunContents run, StringBuilder out) {
    List<RunContents.Figure> figs = new ArrayList<>(run.figures());
    // the cluster view has its own section
    figs.removeIf(f -> f.stem().equals(ClustersSection.FIGURE));
    if (figs.isEmpty()) {
      return;
    }
    List<String> order = new ArrayList<>(KNOWN_FIGURES.keySet());
    figs.sort(
        (a, b) -> {
          int ra = order.indexOf(a.stem());
          int rb = order.indexOf(b.stem());
          ra = ra < 0 ? order.size() : ra;
          rb = rb < 0 ? order.size() : rb;
          return ra != rb ? Integer.compare(ra, rb) : a.fileName().compareTo(b.fileName());
        });
    out.append("<section id=\"figures\">\n<div class=\"section-head\"><h2>Figures</h2></div>\n")
        .append("<div class=\"figures\">\n");
    for (RunContents.Figure f : figs) {
      figure(f, out);
    }
    out.append("</div>\n</section>\n");
  }

  /** One {@code <figure>}: the image as a data URI, its caption and file name. */
  static void figure(RunContents.Figure f, StringBuilder out) {
    boolean wide =
        f.stem().contains("reconstruction") || (f.height() > 0 && f.width() > 2.4 * f.height());
    figure(
        "data:" + f.mime() + ";base64," + Base64.getEncoder().encodeToString(f.bytes()),
        caption(f.stem()),
        "figures/" + f.fileName(),
        f.width(),
        f.height(),
        wide,
        out);
  }

  /** The caption of a figure file stem ({@code tsne_truth}). */
  static String caption(String stem) {
    java.util.regex.Matcher m = AFTER_PHASE.matcher(stem);
    if (m.matches()) {
      return "t-SNE of the features after phase '"
          + m.group(1)
          + "', coloured by "
          + (m.group(2).equals("truth") ? "true class" : "that evaluation's clusters");
    }
    String known = KNOWN_FIGURES.get(stem);
    if (known != null) {
      return known;
    }
    if (stem.startsWith("pca2d_")) {
      return "PCA of the features of method '"
          + stem.substring("pca2d_".length())
          + "', coloured by its clusters";
    }
    if (stem.startsWith("loss_")) {
      return "Loss per epoch of '"
          + stem.substring("loss_".length())
          + "' (a training phase, or a method's clusterer)";
    }
    return Html.label(stem);
  }

  /** {@code tsne_after_<phase>_truth} / {@code _clusters}: the t-SNE at the end of a phase. */
  private static final java.util.regex.Pattern AFTER_PHASE =
      java.util.regex.Pattern.compile("tsne_after_(.+)_(truth|clusters)");

  /**
   * One {@code <figure>}.
   *
   * @param src the image's URI (a data URI, or a path relative to the page)
   * @param file the file named under the caption
   * @param width pixels, 0 when unknown (then no size attributes)
   */
  static void figure(
      String src,
      String caption,
      String file,
      int width,
      int height,
      boolean wide,
      StringBuilder out) {
    out.append("<figure")
        .append(wide ? " class=\"wide\"" : "")
        .append(">\n<div class=\"frame\"><img src=\"")
        .append(Html.esc(src))
        .append("\" alt=\"")
        .append(Html.esc(caption))
        .append("\"");
    if (width > 0) {
      out.append(" width=\"").append(width).append("\" height=\"").append(height).append("\"");
    }
    out.append("/></div>\n<figcaption><span>")
        .append(Html.esc(caption))
        .append("</span><code>")
        .append(Html.esc(file))
        .append("</code></figcaption>\n</figure>\n");
  }
}
