package io.deepclust.spark;

import io.deepclust.bundle.ModelBundle;
import io.deepclust.linalg.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code predict}: embeddings to clusters with one method of a trained run's bundle: its fitted
 * reducer, then its fitted clusterer's rule and probabilities, exactly as the single-machine {@code
 * deepclust predict} ({@code io.deepclust.predict.Prediction#predict}) applies them, so the labels
 * are the same. Writes Parquet ({@link Schemas#PREDICTIONS}). Needs no network: executors load only
 * the bundle's fitted parts, once per JVM.
 */
public final class PredictJob {
  private PredictJob() {}

  /**
   * Assigns the embeddings Parquet at {@code embeddings} ({@link Schemas#EMBEDDINGS}) and writes
   * the predictions to {@code out}.
   *
   * @param method the bundle's method, or null for its first
   * @param batch rows per reducer / clusterer call (results do not depend on it)
   * @throws IllegalArgumentException for an unknown method or embeddings of another size
   */
  public static EmbedJob.Result run(
      SparkSession spark, String embeddings, String bundle, String method, String out, int batch) {
    long t0 = System.nanoTime();
    String sum = ModelCache.checksum(bundle);
    ModelBundle.Method m = ModelCache.method(ModelCache.bundle(bundle, sum), method);
    String name = m.name();
    int dim = m.inputDim();
    Dataset<Row> in = spark.read().parquet(embeddings).select("id", "path", "label", "embedding");
    LongAccumulator count = spark.sparkContext().longAccumulator("predicted");
    JavaRDD<Row> rows =
        in.javaRDD()
            .mapPartitions(
                it -> {
                  ModelBundle.Method fitted =
                      ModelCache.method(ModelCache.bundle(bundle, sum), name);
                  return Batches.of(it, batch, list -> assign(fitted, list, dim, count));
                });
    spark.createDataFrame(rows, Schemas.PREDICTIONS).write().parquet(out);
    return new EmbedJob.Result(count.value(), (System.nanoTime() - t0) / 1e9);
  }

  /** The method's features of a batch of embedding rows: its reducer applied. */
  static FloatMatrix features(ModelBundle.Method m, List<Row> batch, int dim) {
    float[] x = new float[batch.size() * dim];
    for (int i = 0; i < batch.size(); i++) {
      float[] v = Schemas.floats(batch.get(i), 3);
      if (v.length != dim) {
        throw new IllegalArgumentException(
            "row id "
                + batch.get(i).getLong(0)
                + ": a "
                + v.length
                + "-d embedding but method '"
                + m.name()
                + "' takes "
                + dim
                + "-d; embed with the same bundle");
      }
      System.arraycopy(v, 0, x, i * dim, dim);
    }
    return m.reducer().transform(new FloatMatrix(batch.size(), dim, x));
  }

  private static List<Row> assign(
      ModelBundle.Method m, List<Row> batch, int dim, LongAccumulator count) {
    FloatMatrix f = features(m, batch, dim);
    int[] labels = m.clusterer().predict(f);
    FloatMatrix proba = m.clusterer().predictProba(f);
    List<Row> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Row r = batch.get(i);
      out.add(
          RowFactory.create(
              r.getLong(0),
              r.isNullAt(1) ? null : r.getString(1),
              r.isNullAt(2) ? null : r.getInt(2),
              labels[i],
              proba == null ? null : proba.row(i)));
    }
    count.add(batch.size());
    return out;
  }
}
