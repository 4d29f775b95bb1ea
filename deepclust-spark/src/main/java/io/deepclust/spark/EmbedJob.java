package io.deepclust.spark;

import io.deepclust.linalg.FloatMatrix;
import io.deepclust.predict.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code embed}: images to embeddings with a trained run's network, as the single-machine {@code
 * deepclust embed} computes them ({@link TrainedModel#embed}), written as Parquet ({@link
 * Schemas#EMBEDDINGS}). Runs in the tasks' own {@code mapPartitions}: each executor JVM loads the
 * bundle once ({@link ModelCache}); each batch is one forward pass in its own scoped NDManager,
 * closed (its native memory freed) before the next batch is read.
 */
public final class EmbedJob {
  private EmbedJob() {}

  /**
   * What a job did.
   *
   * @param rows rows written
   * @param seconds wall time of the job
   */
  public record Result(long rows, double seconds) {}

  /**
   * Embeds {@code input} ({@link Inputs#read}) into Parquet at {@code out}.
   *
   * @param bundle a run folder or its {@code model/} folder, readable at the same path on every
   *     executor
   * @param batch images per forward pass; 0 for the bundle's batch size
   * @throws IllegalArgumentException for a malformed option (named in the message)
   * @throws io.deepclust.bundle.BundleException when the bundle is missing or changed
   */
  public static Result run(
      SparkSession spark,
      String input,
      String labels,
      String imageColumn,
      String bundle,
      String out,
      int batch) {
    long t0 = System.nanoTime();
    String sum = ModelCache.checksum(bundle);
    // the driver checks the bundle once before any task starts, for a clear early error
    var b = ModelCache.bundle(bundle, sum);
    int[] shape = b.input().shape();
    int pixels = b.input().pixels();
    int size = batch > 0 ? batch : b.input().batchSize();
    JavaRDD<Inputs.Item> items = Inputs.read(spark, input, labels, imageColumn, pixels);
    LongAccumulator count = spark.sparkContext().longAccumulator("embedded");
    JavaRDD<Row> rows =
        items.mapPartitions(
            it -> {
              TrainedModel model = ModelCache.model(bundle, sum);
              return Batches.of(it, size, list -> embed(model, list, shape, pixels, count));
            });
    spark.createDataFrame(rows, Schemas.EMBEDDINGS).write().parquet(out);
    return new Result(count.value(), (System.nanoTime() - t0) / 1e9);
  }

  private static List<Row> embed(
      TrainedModel model, List<Inputs.Item> batch, int[] shape, int pixels, LongAccumulator count) {
    float[] x = new float[batch.size() * pixels];
    for (int i = 0; i < batch.size(); i++) {
      Inputs.Item it = batch.get(i);
      String where = it.path() != null ? it.path() : "row id " + it.id();
      float[] v = it.pixels() != null ? it.pixels() : Pixels.decode(it.image(), shape, where);
      if (v.length != pixels) {
        throw new IllegalArgumentException(
            where + ": " + v.length + " values but the model takes " + pixels + " per image");
      }
      System.arraycopy(v, 0, x, i * pixels, pixels);
    }
    FloatMatrix e = model.embed(new FloatMatrix(batch.size(), pixels, x));
    List<Row> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Inputs.Item it = batch.get(i);
      out.add(RowFactory.create(it.id(), it.path(), it.label(), e.row(i)));
    }
    count.add(batch.size());
    return out;
  }
}
