package io.deepclust.recipe;

import io.deepclust.cluster.ClusterResult;
import io.deepclust.cluster.KMeans;
import io.deepclust.cluster.KMeansConfig;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.ImageDataset;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.reduce.Pca;
import io.deepclust.reduce.PcaConfig;
import io.deepclust.reduce.PcaModel;
import io.deepclust.report.Assignments;
import io.deepclust.report.HtmlReport;
import io.deepclust.report.MetricsTable;
import io.deepclust.report.Provenance;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The k-means baselines of paper 001, section V-B: k-means (k-means++, restarts) on raw pixels and
 * on PCA features, each evaluated with the internal metrics on the features it clustered and the
 * external metrics against the true labels.
 */
public final class BaselineExperiment {
  /** Row names of the two baselines. */
  public static final String RAW = "kmeans_raw";

  private BaselineExperiment() {}

  /** What a baseline run produced. */
  public record Result(MetricsTable table, Map<String, Double> secondsByStage) {}

  /**
   * Runs both baselines and writes {@code config.json}, {@code metrics.json}, {@code
   * assignments.csv} and {@code run.log} into {@code folder}.
   */
  public static Result run(BaselineConfig cfg, DataLocator locator, RunFolder folder, RunLog log) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("command", "baseline");
    config.put("baseline", cfg);
    config.put("provenance", Provenance.collect());
    folder.writeJson("config.json", config);

    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    ImageDataset data =
        Datasets.obtain(cfg.dataset(), cfg.split(), cfg.subset(), cfg.seed(), locator, log::info);
    seconds.put("load", since(t));
    log.info(
        String.format(
            Locale.ROOT,
            "%s/%s: %d images of %dx%d, %d classes",
            data.name(),
            cfg.split().id(),
            data.size(),
            data.height(),
            data.width(),
            data.numClasses()));

    int threads = cfg.threads() == 0 ? Runtime.getRuntime().availableProcessors() : cfg.threads();
    KMeansConfig km =
        KMeansConfig.defaults()
            .withK(cfg.k())
            .withNInit(cfg.nInit())
            .withSeed(cfg.seed())
            .withThreads(threads);
    EvaluationOptions eval =
        EvaluationOptions.defaults().withSilhouetteSample(cfg.silhouetteSample(), cfg.seed());
    MetricsTable table = new MetricsTable();
    Map<String, int[]> assignments = new LinkedHashMap<>();

    FloatMatrix raw = data.pixels();
    t = System.nanoTime();
    ClusterResult rawFit = new KMeans(km).fit(raw);
    seconds.put("kmeans_raw", since(t));
    t = System.nanoTime();
    table.add(RAW, Evaluation.of(raw, data.labels(), rawFit.labels(), eval).metrics());
    seconds.put("evaluate_raw", since(t));
    assignments.put(RAW, rawFit.labels());
    log.info(String.format(Locale.ROOT, "k-means on raw pixels: inertia %.1f", rawFit.inertia()));

    t = System.nanoTime();
    PcaModel pca = new Pca(new PcaConfig(cfg.pcaComponents(), false), threads).fit(raw);
    FloatMatrix reduced = pca.transform(raw, threads);
    seconds.put("pca", since(t));
    double kept = 0;
    for (double r : pca.explainedVarianceRatio()) {
      kept += r;
    }
    log.info(
        String.format(
            Locale.ROOT, "PCA-%d keeps %.1f%% of the variance", cfg.pcaComponents(), 100 * kept));
    String pcaName = "kmeans_pca" + cfg.pcaComponents();
    t = System.nanoTime();
    ClusterResult pcaFit = new KMeans(km).fit(reduced);
    seconds.put("kmeans_pca", since(t));
    t = System.nanoTime();
    table.add(pcaName, Evaluation.of(reduced, data.labels(), pcaFit.labels(), eval).metrics());
    seconds.put("evaluate_pca", since(t));
    assignments.put(pcaName, pcaFit.labels());

    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    seconds.put("total", total);
    Map<String, Object> metrics = new LinkedHashMap<>(table.rows());
    metrics.put("seconds", seconds);
    folder.writeJson("metrics.json", metrics);
    Assignments.write(folder.file("assignments.csv"), data.labels(), assignments);
    log.info("metrics:\n" + table.toText());
    Map<String, Map<String, Double>> paper = paperValues(cfg, pcaName);
    HtmlReport.write(
        folder.dir(), paper, "k-means baselines on " + data.name() + "/" + cfg.split().id());
    log.info(String.format(Locale.ROOT, "done in %.1f s; wrote %s", total, folder.dir()));
    return new Result(table, seconds);
  }

  /**
   * Paper 001's Table I rows (MNIST test set, PCA-50), shown beside the measured rows in the
   * report; other settings have no published reference.
   */
  static Map<String, Map<String, Double>> paperValues(BaselineConfig cfg, String pcaName) {
    if (!cfg.dataset().equals("mnist")
        || cfg.split() != io.deepclust.data.Split.TEST
        || cfg.subset() != 0
        || cfg.k() != 10) {
      return Map.of();
    }
    Map<String, Map<String, Double>> paper = new LinkedHashMap<>();
    paper.put(RAW, Map.of("silhouette", 0.0589, "nmi", 0.5015, "ari", 0.3834));
    if (cfg.pcaComponents() == 50) {
      paper.put(pcaName, Map.of("silhouette", 0.0845, "nmi", 0.5024, "ari", 0.3816));
    }
    return paper;
  }

  private static double since(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
