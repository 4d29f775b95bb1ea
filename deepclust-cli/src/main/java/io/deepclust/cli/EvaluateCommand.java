package io.deepclust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ConfusionMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.report.MetricsTable;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deepclust evaluate --labels L --pred P [--features X]}: a metrics calculator. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score any clustering against true labels: ACC (with its class-to-cluster matching), NMI,"
          + " ARI, AMI, purity; silhouette, Davies-Bouldin and Calinski-Harabasz when --features"
          + " are given (scikit-learn's definitions). Files: FILE.npy, or FILE.csv[:COLUMN]"
          + " (UTF-8, header row; labels may be numbers in any range or names). Rows are"
          + " matched by position, so both files must list the samples in the same order."
          + " Without a column, --labels takes true_label or label, and --pred every column"
          + " but index, file, true_label and label (so a run's assignments.csv scores each"
          + " method)."
    })
final class EvaluateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--labels", description = "True labels: FILE.npy or FILE.csv[:COLUMN].")
  String labels;

  @Option(
      names = "--pred",
      required = true,
      description = "Predicted clusters: FILE.npy or FILE.csv[:COLUMN].")
  String pred;

  @Option(
      names = "--features",
      description = "Features (n x d): FILE.npy (2-D) or FILE.csv (numeric columns).")
  String features;

  @Option(
      names = "--silhouette-sample",
      defaultValue = "0",
      description = "Silhouette on a seeded sample of N points (0: all, exact).")
  int silhouetteSample;

  @Option(names = "--json", description = "Also write the results to this new JSON file.")
  Path json;

  @Override
  public Integer call() {
    if (labels == null && features == null) {
      throw new IllegalArgumentException(
          "give --labels (external metrics) or --features (internal metrics), or both");
    }
    if (json != null && Files.exists(json)) {
      throw new IllegalArgumentException(json + " exists; give a new file (never overwritten)");
    }
    int[] truth = null;
    List<String> classNames = null;
    if (labels != null) {
      Map<String, List<String>> names = new LinkedHashMap<>();
      Map<String, int[]> t = ColumnFiles.labels(ColumnFiles.Ref.parse(labels), true, names);
      truth = t.values().iterator().next();
      classNames = names.get(t.keySet().iterator().next());
    }
    Map<String, int[]> preds = ColumnFiles.labels(ColumnFiles.Ref.parse(pred), false);
    FloatMatrix x = features == null ? null : ColumnFiles.features(ColumnFiles.Ref.parse(features));
    EvaluationOptions opts = EvaluationOptions.defaults().withSilhouetteSample(silhouetteSample, 0);
    MetricsTable table = new MetricsTable();
    Map<String, Object> out = new LinkedHashMap<>();
    StringBuilder matching = new StringBuilder();
    for (Map.Entry<String, int[]> e : preds.entrySet()) {
      int[] p = e.getValue();
      check(truth, p, labels, pred, e.getKey());
      if (x != null && x.rows() != p.length) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "--features has %d rows but --pred '%s' has %d labels; give one row per sample",
                x.rows(),
                e.getKey(),
                p.length));
      }
      Map<String, Double> m = Evaluation.of(x, truth, p, opts).metrics();
      table.add(e.getKey(), m);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("metrics", m);
      if (truth != null) {
        ConfusionMatrix cm = ExternalMetrics.confusionMatrix(truth, p);
        List<Map<String, Object>> pairs = new ArrayList<>();
        matching.append(
            String.format(
                Locale.ROOT,
                "ACC matching of %s (class -> cluster: samples on the pair / class size):%n",
                e.getKey()));
        for (int r = 0; r < cm.classIds().length; r++) {
          int col = cm.matchedColumnCluster()[r];
          int size = 0;
          for (int v : cm.raw()[r]) {
            size += v;
          }
          Map<String, Object> pair = new LinkedHashMap<>();
          String className =
              classNames == null
                  ? Integer.toString(cm.classIds()[r])
                  : classNames.get(cm.classIds()[r]);
          pair.put("class", classNames == null ? cm.classIds()[r] : className);
          pair.put("cluster", col < 0 ? null : cm.clusterIds()[col]);
          pair.put("matched", cm.matched()[r][r]);
          pair.put("class_size", size);
          pairs.add(pair);
          matching.append(
              String.format(
                  Locale.ROOT,
                  "  class %s -> %s: %d / %d%n",
                  className,
                  col < 0 ? "no cluster" : "cluster " + cm.clusterIds()[col],
                  cm.matched()[r][r],
                  size));
        }
        List<Integer> unmatched = new ArrayList<>();
        for (int c = cm.classIds().length; c < cm.matchedColumnCluster().length; c++) {
          unmatched.add(cm.clusterIds()[cm.matchedColumnCluster()[c]]);
        }
        if (!unmatched.isEmpty()) {
          matching.append("  clusters matched to no class (count as wrong): " + unmatched + "\n");
        }
        row.put("matching", pairs);
        row.put("unmatched_clusters", unmatched);
      }
      out.put(e.getKey(), row);
    }
    System.out.println(table.toText());
    System.out.print(matching);
    if (json != null) {
      try {
        AtomicFiles.writeBytes(json, JSON.writeValueAsBytes(out));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
      }
      System.out.println("wrote " + json);
    }
    return 0;
  }

  private static void check(int[] truth, int[] p, String labels, String pred, String column) {
    if (truth != null && truth.length != p.length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--labels %s has %d labels but --pred %s (column '%s') has %d; give one label per"
                  + " sample in both, in the same order",
              labels,
              truth.length,
              pred,
              column,
              p.length));
    }
  }
}
