package io.deepclust.spark;

import io.deepclust.data.DataLocator;
import io.deepclust.data.DatasetLoader;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Images for the scale benchmark (tools/spark/bench-scale.sh): {@code n} MNIST training images,
 * image {@code i} drawn as source {@code i mod 60,000} under a small random affine transform seeded
 * by {@code (seed, i)} (rotation within ±10°, scale 0.9 to 1.1, shift within ±2 pixels, bilinear,
 * about the centre), written as Parquet shards with columns {@code id}, {@code label} and {@code
 * image} (784 raw 8-bit pixels). Each executor JVM reads MNIST once from {@code DEEPCLUST_DATA};
 * nothing passes through the driver.
 */
public final class ScaleGenerator {
  private static volatile ImageDataset mnist;

  private ScaleGenerator() {}

  /** The schema written. */
  public static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType, false)
          .add("label", DataTypes.IntegerType, false)
          .add("image", DataTypes.BinaryType, false);

  /**
   * Writes the shards.
   *
   * @param n images, at least 1
   * @param shards Parquet files (Spark partitions), at least 1
   */
  public static void run(SparkSession spark, long n, int shards, long seed, String out) {
    if (n < 1 || shards < 1) {
      throw new IllegalArgumentException("--n and --shards must be at least 1");
    }
    JavaRDD<Row> rows =
        spark
            .range(0, n, 1, shards)
            .javaRDD()
            .mapPartitions(
                it -> {
                  ImageDataset src = source();
                  return new java.util.Iterator<Row>() {
                    @Override
                    public boolean hasNext() {
                      return it.hasNext();
                    }

                    @Override
                    public Row next() {
                      long id = it.next();
                      int s = (int) (id % src.size());
                      return RowFactory.create(
                          id,
                          src.labels()[s],
                          transform(src, s, new SplittableRandom(seed ^ mix(id))));
                    }
                  };
                });
    spark.createDataFrame(rows, SCHEMA).write().parquet(out);
  }

  private static long mix(long id) {
    long z = id * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return z ^ (z >>> 31);
  }

  private static ImageDataset source() {
    ImageDataset d = mnist;
    if (d == null) {
      synchronized (ScaleGenerator.class) {
        if (mnist == null) {
          mnist = DatasetLoader.load("mnist", Split.TRAIN, new DataLocator(null, System.getenv()));
        }
        d = mnist;
      }
    }
    return d;
  }

  /** Image {@code s} under a random affine map, as 8-bit pixels. */
  static byte[] transform(ImageDataset d, int s, SplittableRandom rnd) {
    int h = d.height();
    int w = d.width();
    float[] px = d.pixels().data();
    int off = d.pixels().offset(s);
    double angle = Math.toRadians(rnd.nextDouble(-10, 10));
    double scale = rnd.nextDouble(0.9, 1.1);
    double tx = rnd.nextDouble(-2, 2);
    double ty = rnd.nextDouble(-2, 2);
    double cos = Math.cos(angle) / scale;
    double sin = Math.sin(angle) / scale;
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    byte[] out = new byte[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // inverse map: output pixel -> source coordinates
        double dx = x - cx - tx;
        double dy = y - cy - ty;
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        double v =
            (1 - fx) * (1 - fy) * at(px, off, w, h, x0, y0)
                + fx * (1 - fy) * at(px, off, w, h, x0 + 1, y0)
                + (1 - fx) * fy * at(px, off, w, h, x0, y0 + 1)
                + fx * fy * at(px, off, w, h, x0 + 1, y0 + 1);
        out[y * w + x] = (byte) Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
    return out;
  }

  private static double at(float[] px, int off, int w, int h, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0 : px[off + y * w + x];
  }
}
