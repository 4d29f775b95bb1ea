package io.deepclust.spark;

import io.deepclust.bundle.ModelBundle;
import io.deepclust.cluster.ClusterModel;
import io.deepclust.cluster.GaussianMixtureConfig.CovarianceType;
import io.deepclust.cluster.GaussianMixtureModel;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.predict.Prediction;
import io.deepclust.reduce.FittedReducer;
import io.deepclust.reduce.PcaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.BisectingKMeansModel;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code cluster}: fits a clusterer on distributed embeddings with Spark MLlib and saves it as a
 * model bundle ({@link ModelBundle}, docs/MODEL_BUNDLE.md) holding the source bundle's network and
 * recipe and one new method, so that {@code deepclust predict} on one machine and {@link
 * PredictJob} use it as any run's bundle.
 *
 * <ul>
 *   <li>{@code kmeans}: MLlib {@code KMeans} with k-means‖ initialisation (Bahmani et al., 2012),
 *       stored as its centres (nearest-centre rule, as MLlib's and scikit-learn's predict);
 *   <li>{@code bisecting}: MLlib {@code BisectingKMeans}, stored as its leaf centres and labelled
 *       by the nearest one (MLlib's own predict descends the split tree, which can differ on points
 *       near a split);
 *   <li>{@code gmm}: MLlib {@code GaussianMixture} (full covariances), best on reduced features
 *       ({@code --pca K} or {@code --reduce-from METHOD}).
 * </ul>
 *
 * <p>Features are reduced before fitting by {@code --reduce-from} (a method's fitted reducer of the
 * bundle) or {@code --pca K} (MLlib's distributed PCA, stored as a {@link PcaModel} whose centring
 * and projection the job applies itself, so that fitting and prediction see the same features).
 * Only the fitted model comes back to the driver.
 */
public final class ClusterJob {
  private ClusterJob() {}

  /**
   * The fit.
   *
   * @param algorithm {@code kmeans}, {@code gmm} or {@code bisecting}
   * @param k clusters, at least 2
   * @param maxIter iterations, at least 1
   * @param seed MLlib's seed
   * @param pca components of an MLlib PCA fitted first, or 0
   * @param reduceFrom the bundle method whose fitted reducer to apply first, or null
   * @param name the new method's name
   */
  public record Options(
      String algorithm, int k, int maxIter, long seed, int pca, String reduceFrom, String name) {
    public Options {
      if (!List.of("kmeans", "gmm", "bisecting").contains(algorithm)) {
        throw new IllegalArgumentException(
            "--algorithm " + algorithm + " is not known; use kmeans, gmm or bisecting");
      }
      if (k < 2) {
        throw new IllegalArgumentException("--k " + k + " is invalid; use k >= 2");
      }
      if (maxIter < 1) {
        throw new IllegalArgumentException("--max-iter " + maxIter + " is invalid; use >= 1");
      }
      if (pca < 0 || (pca > 0 && reduceFrom != null)) {
        throw new IllegalArgumentException(
            "--pca " + pca + ": give a positive --pca or --reduce-from, not both");
      }
    }
  }

  /**
   * Fits on the embeddings Parquet at {@code embeddings} ({@link Schemas#EMBEDDINGS}) and writes
   * the bundle into {@code out} (a new or empty folder on the driver's file system).
   *
   * @return the method written
   * @throws IllegalArgumentException for a bad option or a non-empty {@code out}
   */
  public static ModelBundle.Method run(
      SparkSession spark, String embeddings, String bundle, Options o, Path out) {
    String sum = ModelCache.checksum(bundle);
    ModelBundle source = ModelCache.bundle(bundle, sum);
    int dim = source.network() == null ? source.input().pixels() : source.network().embeddingDim();
    Prediction.requireNewOrEmpty(out);
    FittedReducer reducer =
        o.reduceFrom() == null
            ? FittedReducer.IDENTITY
            : ModelCache.method(source, o.reduceFrom()).reducer();
    Dataset<Row> emb = spark.read().parquet(embeddings).select("id", "path", "label", "embedding");
    Dataset<Row> features =
        vectors(spark, emb, ReducerSpec.of(bundle, sum, o.reduceFrom(), reducer), dim);
    if (o.pca() > 0) {
      reducer = pca(features, o.pca(), dim);
      features.unpersist();
      features = vectors(spark, emb, ReducerSpec.of(bundle, sum, null, reducer), dim);
    }
    ClusterModel model;
    try {
      model = fit(features, o);
    } finally {
      features.unpersist();
    }
    String name = o.name() != null ? o.name() : "spark_" + o.algorithm();
    ModelBundle.Method m = new ModelBundle.Method(name, "spark", "spark", dim, reducer, model);
    Path weights = source.weights();
    ModelBundle.write(
        out,
        source.recipeName(),
        source.recipe(),
        source.input(),
        source.network(),
        weights == null ? null : w -> Files.copy(weights, w),
        List.of(m));
    return m;
  }

  /**
   * What a task needs to rebuild the reducer (the fitted reducers are not {@link
   * java.io.Serializable}): a bundle method's, or a PCA's arrays, or none.
   */
  record ReducerSpec(
      String bundle,
      String checksum,
      String method,
      double[] mean,
      float[] components,
      double[] variance,
      double[] ratio)
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    static ReducerSpec of(String bundle, String checksum, String method, FittedReducer r) {
      if (r instanceof PcaModel p) {
        return new ReducerSpec(
            null,
            null,
            null,
            p.mean(),
            p.components().data(),
            p.explainedVariance(),
            p.explainedVarianceRatio());
      }
      return new ReducerSpec(bundle, checksum, method, null, null, null, null);
    }

    FittedReducer get() {
      if (mean != null) {
        return new PcaModel(
            mean,
            new FloatMatrix(variance.length, mean.length, components),
            variance,
            ratio,
            false);
      }
      if (method == null) {
        return FittedReducer.IDENTITY;
      }
      return ModelCache.method(ModelCache.bundle(bundle, checksum), method).reducer();
    }
  }

  /** The reduced embeddings as an MLlib {@code features} vector column, cached. */
  private static Dataset<Row> vectors(
      SparkSession spark, Dataset<Row> emb, ReducerSpec spec, int dim) {
    JavaRDD<Row> rows =
        emb.javaRDD()
            .mapPartitions(
                it -> {
                  ModelBundle.Method m =
                      new ModelBundle.Method("features", "", "", dim, spec.get(), null);
                  return Batches.of(
                      it,
                      4096,
                      batch -> {
                        FloatMatrix f = PredictJob.features(m, batch, dim);
                        List<Row> out = new ArrayList<>(batch.size());
                        for (int i = 0; i < f.rows(); i++) {
                          out.add(RowFactory.create(Vectors.dense(f.rowAsDoubles(i))));
                        }
                        return out;
                      });
                });
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false);
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    df.persist(StorageLevel.MEMORY_AND_DISK());
    return df;
  }

  /** MLlib's PCA (eigenvectors of the covariance) with the mean and variances it leaves out. */
  private static PcaModel pca(Dataset<Row> features, int k, int dim) {
    if (k > dim) {
      throw new IllegalArgumentException("--pca " + k + " exceeds the embedding dimension " + dim);
    }
    PCAModel p = new PCA().setK(k).setInputCol("features").fit(features);
    Row stats =
        features
            .select(Summarizer.metrics("mean", "variance").summary(features.col("features")))
            .first()
            .getStruct(0);
    double[] mean = ((Vector) stats.get(0)).toArray();
    double total = 0;
    for (double v : ((Vector) stats.get(1)).toArray()) {
      total += v;
    }
    Matrix pc = p.pc(); // dim x k, column j = component j
    float[] comps = new float[k * dim];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < dim; i++) {
        comps[j * dim + i] = (float) pc.apply(i, j);
      }
    }
    double[] ratio = p.explainedVariance().toArray();
    double[] var = new double[k];
    for (int j = 0; j < k; j++) {
      var[j] = ratio[j] * total;
    }
    return new PcaModel(mean, new FloatMatrix(k, dim, comps), var, ratio, false);
  }

  private static ClusterModel fit(Dataset<Row> features, Options o) {
    switch (o.algorithm()) {
      case "kmeans" -> {
        KMeansModel km =
            new KMeans()
                .setK(o.k())
                .setInitMode("k-means||")
                .setMaxIter(o.maxIter())
                .setSeed(o.seed())
                .fit(features);
        return new ClusterModel.NearestCentre(centres(km.clusterCenters()));
      }
      case "bisecting" -> {
        BisectingKMeansModel bk =
            new BisectingKMeans()
                .setK(o.k())
                .setMaxIter(o.maxIter())
                .setSeed(o.seed())
                .fit(features);
        return new ClusterModel.NearestCentre(centres(bk.clusterCenters()));
      }
      default -> {
        var g =
            new GaussianMixture()
                .setK(o.k())
                .setMaxIter(o.maxIter())
                .setSeed(o.seed())
                .fit(features);
        int k = g.getK();
        int d = g.gaussians()[0].mean().size();
        double[][] means = new double[k][];
        double[] cov = new double[k * d * d];
        double[] prec = new double[k * d * d];
        for (int j = 0; j < k; j++) {
          means[j] = g.gaussians()[j].mean().toArray();
          Matrix c = g.gaussians()[j].cov();
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              cov[(j * d + a) * d + b] = c.apply(a, b);
            }
          }
          precisionCholesky(cov, prec, j * d * d, d);
        }
        long n = g.summary().clusterSizes().length == 0 ? 1 : sum(g.summary().clusterSizes());
        return new ClusterModel.Mixture(
            new GaussianMixtureModel(
                CovarianceType.FULL,
                g.weights().clone(),
                means,
                cov,
                prec,
                g.summary().logLikelihood() / n,
                g.summary().numIter() < o.maxIter(),
                g.summary().numIter(),
                0,
                new int[0]));
      }
    }
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) {
      s += x;
    }
    return Math.max(1, s);
  }

  private static FloatMatrix centres(Vector[] c) {
    int k = c.length;
    int d = c[0].size();
    float[] v = new float[k * d];
    for (int j = 0; j < k; j++) {
      double[] a = c[j].toArray();
      for (int i = 0; i < d; i++) {
        v[j * d + i] = (float) a[i];
      }
    }
    return new FloatMatrix(k, d, v);
  }

  /**
   * scikit-learn's {@code precisions_cholesky_} of one full covariance: {@code U = L^-T} for the
   * Cholesky factor {@code L} of the covariance, so {@code U U^T} is the precision.
   *
   * @throws IllegalArgumentException when the covariance is not positive definite
   */
  static void precisionCholesky(double[] cov, double[] out, int offset, int d) {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = cov[offset + i * d + j];
        for (int p = 0; p < j; p++) {
          s -= l[i * d + p] * l[j * d + p];
        }
        if (i == j) {
          if (s <= 0) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "a fitted Gaussian's covariance is not positive definite (pivot %g); reduce the"
                        + " features first (--pca K)",
                    s));
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    // inv = L^-1 (lower), by forward substitution column by column; out = inv^T (upper)
    for (int c = 0; c < d; c++) {
      for (int i = 0; i < d; i++) {
        double s = i == c ? 1 : 0;
        for (int p = 0; p < i; p++) {
          s -= l[i * d + p] * out[offset + c * d + p];
        }
        // out[c][i] holds inv[i][c]: row c of U = column c of L^-1
        out[offset + c * d + i] = i < c ? 0 : s / l[i * d + i];
      }
    }
  }
}
