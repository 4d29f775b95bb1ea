package io.deepclust.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.deepclust.bundle.ModelBundle;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.ContingencyTable;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.metrics.InternalMetrics;
import io.deepclust.reduce.FittedReducer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code evaluate}: the metrics of a predictions Parquet ({@link Schemas#PREDICTIONS}).
 *
 * <ul>
 *   <li>External (ACC, NMI, ARI, AMI, purity; with labels): the contingency table is counted by
 *       Spark ({@code GROUP BY label, cluster}); only its non-zero cells (at most classes x
 *       clusters rows) come to the driver, where the single-machine code computes the metrics from
 *       it ({@link ContingencyTable#ofCells}, {@link ExternalMetrics}), so the values equal those
 *       of {@code deepclust evaluate} / {@code predict} on the same labels exactly.
 *   <li>Internal (silhouette, Davies-Bouldin, Calinski-Harabasz; with {@code --embeddings}): on a
 *       seeded sample of a stated size (the rows with the smallest {@code xxhash64(id, seed)}, the
 *       same rows for the same ids and seed whatever the partitioning), reduced by the method's
 *       fitted reducer when a bundle is given, computed on the driver by {@link Evaluation}.
 * </ul>
 */
public final class EvaluateJob {
  private EvaluateJob() {}

  /**
   * Evaluates.
   *
   * @param predictions the predictions Parquet
   * @param embeddings the embeddings Parquet for the internal metrics, or null
   * @param bundle the bundle whose method's reducer to apply to the sample, or null
   * @param method the method (null: the first)
   * @param sample rows of the internal-metrics sample, at least 2 when embeddings are given
   * @param seed the sample's seed
   * @return metrics in {@link Evaluation#KEYS} order, then {@code n} (rows) and {@code
   *     internal_sample} (rows sampled), as doubles
   * @throws IllegalArgumentException for a bad option
   */
  public static Map<String, Double> run(
      SparkSession spark,
      String predictions,
      String embeddings,
      String bundle,
      String method,
      int sample,
      long seed) {
    Dataset<Row> p = spark.read().parquet(predictions).select("id", "label", "cluster");
    List<Row> cells =
        p.groupBy("label", "cluster").count().collectAsList(); // <= classes x clusters rows
    Map<String, Double> m = new LinkedHashMap<>();
    List<Integer> truth = new ArrayList<>();
    List<Integer> pred = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    java.util.Set<Integer> clusters = new java.util.TreeSet<>();
    long n = 0;
    boolean unlabelled = false;
    for (Row r : cells) {
      clusters.add(r.getInt(1));
      n += r.getLong(2);
      if (r.isNullAt(0)) {
        unlabelled = true;
        continue;
      }
      truth.add(r.getInt(0));
      pred.add(r.getInt(1));
      counts.add(r.getLong(2));
    }
    if (!truth.isEmpty() && !unlabelled) {
      ContingencyTable t =
          ContingencyTable.ofCells(
              truth.stream().mapToInt(Integer::intValue).toArray(),
              pred.stream().mapToInt(Integer::intValue).toArray(),
              counts.stream().mapToLong(Long::longValue).toArray());
      m.put(Evaluation.ACC, ExternalMetrics.accuracy(t));
      m.put(Evaluation.NMI, ExternalMetrics.nmi(t));
      m.put(Evaluation.ARI, ExternalMetrics.ari(t));
      m.put(Evaluation.AMI, ExternalMetrics.ami(t));
      m.put(Evaluation.PURITY, ExternalMetrics.purity(t));
    }
    if (embeddings != null) {
      if (sample < 2) {
        throw new IllegalArgumentException(
            "--sample " + sample + " is invalid; the internal metrics need at least 2 rows");
      }
      Dataset<Row> e = spark.read().parquet(embeddings).select("id", "embedding");
      List<Row> rows =
          p.join(e, "id")
              .orderBy(xxhash64(col("id"), lit(seed)), col("id"))
              .limit(sample)
              .select("cluster", "embedding")
              .collectAsList();
      FittedReducer reducer = FittedReducer.IDENTITY;
      if (bundle != null) {
        ModelBundle b = ModelCache.bundle(bundle, ModelCache.checksum(bundle));
        reducer = ModelCache.method(b, method).reducer();
      }
      int d = rows.isEmpty() ? 0 : Schemas.floats(rows.get(0), 1).length;
      float[] x = new float[rows.size() * d];
      int[] labels = new int[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        labels[i] = rows.get(i).getInt(0);
        System.arraycopy(Schemas.floats(rows.get(i), 1), 0, x, i * d, d);
      }
      FloatMatrix f = reducer.transform(new FloatMatrix(rows.size(), d, x));
      boolean defined = clustersOf(labels) >= 2 && clustersOf(labels) <= labels.length - 1;
      m.put(Evaluation.SILHOUETTE, defined ? InternalMetrics.silhouette(f, labels) : Double.NaN);
      m.put(
          Evaluation.DAVIES_BOULDIN,
          defined ? InternalMetrics.daviesBouldin(f, labels) : Double.NaN);
      m.put(
          Evaluation.CALINSKI_HARABASZ,
          defined ? InternalMetrics.calinskiHarabasz(f, labels) : Double.NaN);
      m.put("internal_sample", (double) rows.size());
    }
    m.put(Evaluation.N_CLUSTERS, (double) clusters.size());
    m.put("n", (double) n);
    return m;
  }

  private static int clustersOf(int[] labels) {
    return (int) java.util.Arrays.stream(labels).distinct().count();
  }
}
