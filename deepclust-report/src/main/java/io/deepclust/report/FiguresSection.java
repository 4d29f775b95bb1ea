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
      boolean wide =
          f.stem().contains("reconstruction") || (f.height() > 0 && f.width() > 2.4 * f.height());
      String caption = KNOWN_FIGURES.getOrDefault(f.stem(), Html.label(f.stem()));
      out.append("<figure")
          .append(wide ? " class=\"wide\"" : "")
          .append(">\n<div class=\"frame\"><img src=\"data:")
          .append(f.mime())
          .append(";base64,")
          .append(Base64.getEncoder().encodeToString(f.bytes()))
          .append("\" alt=\"")
          .append(Html.esc(caption))
          .append("\"");
      if (f.width() > 0) {
        out.append(" width=\"")
            .append(f.width())
            .append("\" height=\"")
            .append(f.height())
            .append("\"");
      }
      out.append("/></div>\n<figcaption><span>")
          .append(Html.esc(caption))
          .append("</span><code>figures/")
          .append(Html.esc(f.fileName()))
          .append("</code></figcaption>\n</figure>\n");
    }
    out.append("</div>\n</section>\n");
  }
}
