package io.deepclust.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.bundle.ModelBundle;
import io.deepclust.util.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Spark jobs' entry point, for {@code spark-submit --class io.deepclust.spark.SparkMain} and
 * for {@code deepclust spark ...} (tools/spark/deepclust-spark, {@code local[*]}): subcommands
 * {@code embed}, {@code predict}, {@code cluster}, {@code evaluate} and {@code generate} (benchmark
 * images). docs/SPARK.md has the command lines.
 */
@Command(
    name = "deepclust spark",
    mixinStandardHelpOptions = true,
    subcommands = {
      SparkMain.Embed.class,
      SparkMain.Predict.class,
      SparkMain.Cluster.class,
      SparkMain.Evaluate.class,
      SparkMain.Generate.class
    },
    description = {
      "Embed, assign, cluster and evaluate images with a trained run's model bundle on Apache"
          + " Spark. Training stays on one machine (deepclust run)."
    })
public final class SparkMain implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "give a subcommand: embed, predict, cluster, evaluate or generate");
  }

  /** Runs {@code args}; returns the exit code (2 for a usage error, 1 for a failed job). */
  public static int execute(String... args) {
    return new CommandLine(new SparkMain())
        .setParameterExceptionHandler((e, a) -> usageError(e, a))
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof CommandLine.ParameterException pe) {
                return usageError(pe, args);
              }
              cmd.getErr().println("deepclust spark: " + e.getMessage());
              return 1;
            })
        .execute(args);
  }

  /**
   * Prints the error, naming any option the subcommand does not know (picocli reports a missing
   * required option first, which hides a misspelt one), and the usage; exit code 2.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (!(e instanceof CommandLine.UnmatchedArgumentException)) {
      List<String> unknown =
          Arrays.stream(args)
              .filter(a -> a.startsWith("-") && !a.matches("-[0-9.].*"))
              .map(a -> a.split("=", 2)[0])
              .filter(a -> cmd.getCommandSpec().findOption(a) == null)
              .toList();
      if (!unknown.isEmpty()) {
        err.println("deepclust spark: unknown option(s) " + String.join(", ", unknown));
      }
    }
    err.println("deepclust spark: " + e.getMessage());
    cmd.usage(err);
    return 2;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Options every job takes. */
  static final class Common {
    @Option(
        names = "--master",
        description =
            "Spark master when not run by spark-submit (default: spark-submit's, else local[*]).")
    String master;

    SparkSession session(String job) {
      SparkSession.Builder b = SparkSession.builder().appName("deepclust " + job);
      if (master != null) {
        b.master(master);
      } else if (!new SparkConf().contains("spark.master")) {
        b.master("local[*]");
      }
      return b.getOrCreate();
    }
  }

  static void report(PrintWriter out, String job, EmbedJob.Result r) {
    out.printf(
        Locale.ROOT,
        "%s: %,d rows in %.1f s (%.1f rows/s)%n",
        job,
        r.rows(),
        r.seconds(),
        r.rows() / Math.max(r.seconds(), 1e-9));
    out.flush();
  }

  @Command(
      name = "embed",
      mixinStandardHelpOptions = true,
      description = "Images to embeddings with the run's network; Parquet id,path,label,embedding.")
  static final class Embed implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = "--input",
        required = true,
        description = "images:PATH (folder or glob), npy:PATH (NPY shards) or parquet:PATH.")
    String input;

    @Option(
        names = "--labels",
        description = "folder (subfolder names), column:NAME (Parquet) or none.")
    String labels;

    @Option(
        names = "--image-column",
        defaultValue = "image",
        description = "The Parquet's image column (default: ${DEFAULT-VALUE}).")
    String imageColumn;

    @Option(names = "--bundle", required = true, description = "A run folder or its model/.")
    String bundle;

    @Option(names = "--out", required = true, description = "The embeddings Parquet (new).")
    String out;

    @Option(
        names = "--batch",
        defaultValue = "0",
        description = "Images per forward pass (default: the bundle's batch size).")
    int batch;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (batch < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--batch " + batch + " is invalid; use 0 or more");
      }
      SparkSession s = common.session("embed");
      report(
          spec.commandLine().getOut(),
          "embed",
          EmbedJob.run(s, input, labels, imageColumn, bundle, out, batch));
      return 0;
    }
  }

  @Command(
      name = "predict",
      mixinStandardHelpOptions = true,
      description =
          "Embeddings to clusters with a method's fitted reducer and clusterer; Parquet"
              + " id,path,label,cluster,probabilities.")
  static final class Predict implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--embeddings", required = true, description = "Parquet from embed.")
    String embeddings;

    @Option(names = "--bundle", required = true, description = "A run folder or its model/.")
    String bundle;

    @Option(names = "--method", description = "The bundle's method (default: its first).")
    String method;

    @Option(names = "--out", required = true, description = "The predictions Parquet (new).")
    String out;

    @Option(names = "--batch", defaultValue = "4096", description = "Rows per call.")
    int batch;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (batch < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--batch " + batch + " is invalid; use 1 or more");
      }
      SparkSession s = common.session("predict");
      report(
          spec.commandLine().getOut(),
          "predict",
          PredictJob.run(s, embeddings, bundle, method, out, batch));
      return 0;
    }
  }

  @Command(
      name = "cluster",
      mixinStandardHelpOptions = true,
      description =
          "Fit MLlib KMeans (k-means||), GaussianMixture or BisectingKMeans on the embeddings and"
              + " save a model bundle (the source bundle's network plus the fitted method).")
  static final class Cluster implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--embeddings", required = true, description = "Parquet from embed.")
    String embeddings;

    @Option(names = "--bundle", required = true, description = "The bundle that embedded them.")
    String bundle;

    @Option(names = "--algorithm", defaultValue = "kmeans", description = "kmeans, gmm, bisecting.")
    String algorithm;

    @Option(names = "--k", required = true, description = "Clusters.")
    int k;

    @Option(names = "--max-iter", defaultValue = "100", description = "Iterations.")
    int maxIter;

    @Option(names = "--seed", defaultValue = "0", description = "MLlib's seed.")
    long seed;

    @Option(names = "--pca", defaultValue = "0", description = "Reduce with an MLlib PCA first.")
    int pca;

    @Option(names = "--reduce-from", description = "Reduce with this bundle method's reducer.")
    String reduceFrom;

    @Option(names = "--name", description = "The new method's name (default spark_ALGORITHM).")
    String name;

    @Option(names = "--out", required = true, description = "The new bundle folder (new/empty).")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ClusterJob.Options o;
      try {
        o = new ClusterJob.Options(algorithm, k, maxIter, seed, pca, reduceFrom, name);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      long t0 = System.nanoTime();
      ModelBundle.Method m = ClusterJob.run(common.session("cluster"), embeddings, bundle, o, out);
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "cluster: %s (%s) saved in %s in %.1f s%n",
              m.name(),
              m.clusterer().getClass().getSimpleName(),
              out,
              (System.nanoTime() - t0) / 1e9);
      return 0;
    }
  }

  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description =
          "Metrics of a predictions Parquet: ACC/NMI/ARI/AMI/purity from a distributed"
              + " contingency table; silhouette/DB/CH on a seeded sample (with --embeddings).")
  static final class Evaluate implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--predictions", required = true, description = "Parquet from predict.")
    String predictions;

    @Option(names = "--embeddings", description = "Parquet from embed, for internal metrics.")
    String embeddings;

    @Option(names = "--bundle", description = "Reduce the sample with this bundle's method.")
    String bundle;

    @Option(names = "--method", description = "The bundle's method (default: its first).")
    String method;

    @Option(names = "--sample", defaultValue = "10000", description = "Internal-metric rows.")
    int sample;

    @Option(names = "--seed", defaultValue = "0", description = "The sample's seed.")
    long seed;

    @Option(names = "--out", description = "Also write the metrics to this JSON file.")
    Path out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (embeddings != null && sample < 2) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--sample " + sample + " is invalid; use 2 or more");
      }
      long t0 = System.nanoTime();
      Map<String, Double> m =
          EvaluateJob.run(
              common.session("evaluate"), predictions, embeddings, bundle, method, sample, seed);
      byte[] json = JSON.writeValueAsBytes(m);
      if (out != null) {
        AtomicFiles.writeBytes(out, json);
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
      w.printf(Locale.ROOT, "evaluate: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      w.flush();
      return 0;
    }
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description =
          "Benchmark images: MNIST under seeded small random affine transforms, as Parquet shards"
              + " (id,label,image).")
  static final class Generate implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--n", defaultValue = "1000000", description = "Images.")
    long n;

    @Option(names = "--shards", defaultValue = "16", description = "Parquet files.")
    int shards;

    @Option(names = "--seed", defaultValue = "0", description = "The transforms' seed.")
    long seed;

    @Option(names = "--out", required = true, description = "The Parquet folder (new).")
    String out;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      if (n < 1 || shards < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--n and --shards must be at least 1");
      }
      long t0 = System.nanoTime();
      ScaleGenerator.run(common.session("generate"), n, shards, seed, out);
      report(
          spec.commandLine().getOut(),
          "generate",
          new EmbedJob.Result(n, (System.nanoTime() - t0) / 1e9));
      return 0;
    }
  }
}
