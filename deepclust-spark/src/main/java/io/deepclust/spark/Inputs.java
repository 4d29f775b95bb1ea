package io.deepclust.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * The images of a job's {@code --input}, as an RDD of {@link Item}s, one per image, never
 * collected:
 *
 * <ul>
 *   <li>{@code images:PATH} a folder (searched recursively) or glob of PNG, JPEG, BMP or GIF files,
 *       read with Spark's {@code binaryFile} source;
 *   <li>{@code npy:PATH} a folder or glob of NPY shards {@code (n, C, H, W)}, {@code (n, H, W)} or
 *       {@code (n, C*H*W)}, uint8 or float;
 *   <li>{@code parquet:PATH} Parquet with an image column (binary: an encoded image or raw 8-bit
 *       pixels; or an array of floats in [0, 1]) and optionally {@code id} and a label column.
 * </ul>
 *
 * <p>Labels: {@code folder} (each file's parent folder name; classes numbered in sorted name order,
 * as the single-machine {@code folder:} source), {@code column:NAME} (an integer column of the
 * Parquet), or {@code none}; the default is {@code folder} for files and the {@code label} column
 * of a Parquet when it has one. Row ids: the Parquet's {@code id} column when it has one, else
 * unique ids from Spark's {@code zipWithUniqueId} (unique, not consecutive).
 */
public final class Inputs {
  private Inputs() {}

  /**
   * One image.
   *
   * @param id row id
   * @param path its file (with {@code #row} for a row of a shard), or null for a Parquet row
   * @param label its class, or null
   * @param image encoded or raw 8-bit bytes, or null when {@code pixels} is set
   * @param pixels values in [0, 1], or null when {@code image} is set
   */
  public record Item(long id, String path, Integer label, byte[] image, float[] pixels)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Reads {@code input}.
   *
   * @param input {@code images:PATH}, {@code npy:PATH} or {@code parquet:PATH}
   * @param labels {@code folder}, {@code column:NAME}, {@code none}, or null for the default
   * @param imageColumn the Parquet's image column
   * @param pixels values per image the model takes (to split NPY shards into rows)
   * @throws IllegalArgumentException naming the option when it is malformed or the columns missing
   */
  public static JavaRDD<Item> read(
      SparkSession spark, String input, String labels, String imageColumn, int pixels) {
    int colon = input.indexOf(':');
    String kind = colon < 0 ? "" : input.substring(0, colon);
    String path = colon < 0 ? input : input.substring(colon + 1);
    switch (kind) {
      case "images" -> {
        return files(spark, path, "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}", labels, -1);
      }
      case "npy" -> {
        return files(spark, path, "*.npy", labels, pixels);
      }
      case "parquet" -> {
        return parquet(spark, path, labels, imageColumn);
      }
      default ->
          throw new IllegalArgumentException(
              "--input "
                  + input
                  + ": give images:PATH (a folder or glob of image files), npy:PATH (NPY"
                  + " shards) or parquet:PATH (Parquet with an image column)");
    }
  }

  private static JavaRDD<Item> files(
      SparkSession spark, String path, String glob, String labels, int npyPixels) {
    String how = labels == null ? "folder" : labels;
    if (!how.equals("folder") && !how.equals("none")) {
      throw new IllegalArgumentException(
          "--labels " + labels + ": image files and NPY shards take labels folder or none");
    }
    Dataset<Row> files =
        spark
            .read()
            .format("binaryFile")
            .option("pathGlobFilter", glob)
            .option("recursiveFileLookup", "true")
            .load(path)
            .select("path", "content");
    Broadcast<Map<String, Integer>> classes = null;
    if (how.equals("folder")) {
      // class names only: one short string per folder comes to the driver
      List<String> names =
          files.select("path").javaRDD().map(r -> parent(r.getString(0))).distinct().collect();
      String[] sorted = names.toArray(String[]::new);
      Arrays.sort(sorted);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < sorted.length; i++) {
        index.put(sorted[i], i);
      }
      classes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(index);
    }
    Broadcast<Map<String, Integer>> cls = classes;
    JavaRDD<Item> items =
        files
            .javaRDD()
            .flatMap(
                r -> {
                  String p = r.getString(0);
                  byte[] content = (byte[]) r.get(1);
                  Integer label = cls == null ? null : cls.value().get(parent(p));
                  if (npyPixels < 0) {
                    return List.of(new Item(0, p, label, content, null)).iterator();
                  }
                  List<float[]> rows = Pixels.npyRows(content, npyPixels, p);
                  List<Item> out = new ArrayList<>(rows.size());
                  for (int i = 0; i < rows.size(); i++) {
                    out.add(new Item(0, p + "#" + i, label, null, rows.get(i)));
                  }
                  return out.iterator();
                });
    return items
        .zipWithUniqueId()
        .map(t -> new Item(t._2(), t._1().path(), t._1().label(), t._1().image(), t._1().pixels()));
  }

  private static JavaRDD<Item> parquet(
      SparkSession spark, String path, String labels, String imageColumn) {
    Dataset<Row> df = spark.read().parquet(path);
    List<String> cols = Arrays.asList(df.columns());
    if (!cols.contains(imageColumn)) {
      throw new IllegalArgumentException(
          "--image-column " + imageColumn + ": " + path + " has no such column; it has " + cols);
    }
    DataType imageType = df.schema().apply(imageColumn).dataType();
    if (!(imageType instanceof BinaryType) && !(imageType instanceof ArrayType)) {
      throw new IllegalArgumentException(
          "--image-column "
              + imageColumn
              + " is "
              + imageType.simpleString()
              + "; it must be binary (an encoded image or raw 8-bit pixels) or an array of"
              + " floats");
    }
    String labelColumn;
    if (labels == null) {
      labelColumn = cols.contains("label") ? "label" : null;
    } else if (labels.equals("none")) {
      labelColumn = null;
    } else if (labels.startsWith("column:")) {
      labelColumn = labels.substring("column:".length());
      if (!cols.contains(labelColumn)) {
        throw new IllegalArgumentException(
            "--labels " + labels + ": " + path + " has no such column; it has " + cols);
      }
    } else {
      throw new IllegalArgumentException(
          "--labels " + labels + ": a Parquet input takes column:NAME or none");
    }
    if (labelColumn != null
        && !(df.schema().apply(labelColumn).dataType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "--labels: column " + labelColumn + " must hold integer class ids");
    }
    boolean hasId = cols.contains("id");
    String lc = labelColumn;
    Dataset<Row> sel =
        df.selectExpr(
            hasId ? "CAST(id AS BIGINT) AS id" : "CAST(0 AS BIGINT) AS id",
            lc == null ? "CAST(NULL AS INT) AS label" : "CAST(`" + lc + "` AS INT) AS label",
            imageType instanceof BinaryType
                ? "`" + imageColumn + "` AS image"
                : "CAST(NULL AS BINARY) AS image",
            imageType instanceof ArrayType
                ? "CAST(`" + imageColumn + "` AS ARRAY<FLOAT>) AS pixels"
                : "CAST(NULL AS ARRAY<FLOAT>) AS pixels");
    JavaRDD<Item> items = sel.javaRDD().map(Inputs::item);
    if (hasId) {
      return items;
    }
    return items
        .zipWithUniqueId()
        .map(t -> new Item(t._2(), null, t._1().label(), t._1().image(), t._1().pixels()));
  }

  private static Item item(Row r) {
    Integer label = r.isNullAt(1) ? null : r.getInt(1);
    byte[] image = r.isNullAt(2) ? null : (byte[]) r.get(2);
    float[] pixels = null;
    if (!r.isNullAt(3)) {
      List<Float> l = r.getList(3);
      pixels = new float[l.size()];
      Iterator<Float> it = l.iterator();
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = it.next();
      }
    }
    return new Item(r.getLong(0), null, label, image, pixels);
  }

  /** The name of a file's folder, from a Hadoop path or URI. */
  static String parent(String path) {
    int end = path.lastIndexOf('/');
    if (end <= 0) {
      return "";
    }
    int start = path.lastIndexOf('/', end - 1);
    return path.substring(start + 1, end);
  }
}
