package io.deepclust.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The Parquet layouts the jobs write. */
public final class Schemas {
  private Schemas() {}

  /**
   * {@code embed}'s output: {@code id} (bigint), {@code path} (string, null for Parquet input),
   * {@code label} (int, null without labels), {@code embedding} (array&lt;float&gt;, the encoder's
   * output, or the pixels for a run that clusters pixels).
   */
  public static final StructType EMBEDDINGS =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("path", DataTypes.StringType, true)
          .add("label", DataTypes.IntegerType, true)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /**
   * {@code predict}'s output: {@code id}, {@code path}, {@code label} as the input's, {@code
   * cluster} (int in [0, k)), {@code probabilities} (array&lt;float&gt; of k summing to 1, null for
   * a hard clusterer such as k-means).
   */
  public static final StructType PREDICTIONS =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("path", DataTypes.StringType, true)
          .add("label", DataTypes.IntegerType, true)
          .add("cluster", DataTypes.IntegerType, false)
          .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), true);

  /** A float array column's values. */
  static float[] floats(Row r, int column) {
    List<Float> l = r.getList(column);
    float[] v = new float[l.size()];
    int i = 0;
    for (Float f : l) {
      v[i++] = f;
    }
    return v;
  }
}
