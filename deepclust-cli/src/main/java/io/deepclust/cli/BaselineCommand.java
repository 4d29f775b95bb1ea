package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.data.Split;
import io.deepclust.recipe.BaselineConfig;
import io.deepclust.recipe.BaselineExperiment;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deepclust baseline}: k-means on raw pixels and on PCA features (paper 001, V-B). */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description = {
      "k-means on raw pixels and on PCA features of a dataset split, with ACC, NMI, ARI, AMI,"
          + " purity, silhouette, Davies-Bouldin and Calinski-Harabasz; writes a run folder.",
      "Reproduces the baseline rows of paper 001 (MNIST test set, PCA-50)."
    })
final class BaselineCommand implements Callable<Integer> {
  @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist.")
  String dataset;

  @Option(names = "--split", defaultValue = "test", description = "train, test or all.")
  String split;

  @Option(
      names = "--subset",
      defaultValue = "0",
      description = "Use a seeded stratified sample of N images (0 = all).")
  int subset;

  @Option(names = "--pca", defaultValue = "50", description = "PCA components.")
  int pca;

  @Option(names = "--k", defaultValue = "10", description = "Number of clusters.")
  int k;

  @Option(names = "--n-init", defaultValue = "10", description = "k-means++ restarts.")
  int nInit;

  @Option(names = "--seed", defaultValue = "0", description = "The one seed of the run.")
  long seed;

  @Option(
      names = "--silhouette-sample",
      defaultValue = "0",
      description = "Silhouette on a seeded sample of N points (0 = exact on all).")
  int silhouetteSample;

  @Option(names = "--threads", defaultValue = "0", description = "Threads (0 = all cores).")
  int threads;

  @Option(names = "--data-dir", description = "Folder holding datasets.")
  Path dataDir;

  @Option(names = "--out", description = "Run folder (default runs/<date>-baseline-<dataset>).")
  Path out;

  @Override
  public Integer call() {
    BaselineConfig cfg =
        new BaselineConfig(
            dataset, Split.parse(split), subset, pca, k, nInit, seed, silhouetteSample, threads);
    RunFolder folder = RunFolder.create(Path.of("runs"), "baseline-" + dataset, out);
    RunLog log = new RunLog(System.out, folder.file("run.log"));
    BaselineExperiment.run(cfg, DataLocator.fromEnvironment(dataDir), folder, log);
    return 0;
  }
}
