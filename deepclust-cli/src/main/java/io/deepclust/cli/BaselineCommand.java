package io.deepclust.cli;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      "Reproduces the baseline rows of paper 001 (MNIST test set, PCA-50). A shortcut for"
          + " the recipe kmeans-baselines: deepclust run kmeans-baselines does the same."
    })
final class BaselineCommand implements Callable<Integer> {
  /** The recipe this command is a shortcut for. */
  static final String RECIPE = "kmeans-baselines";

  @Option(
      names = "--dataset",
      defaultValue = "mnist",
      description =
          "mnist, fashion-mnist, a name from the datasets file, or a source (folder:PATH,"
              + " idx:..., npy:..., csv:...).")
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

  @Option(names = "--seed", description = "The one seed of the run (default 0).")
  Long seed;

  @Option(
      names = "--seeds",
      converter = SeedRuns.Converter.class,
      description =
          "Run once per seed (0,1,2 or 0-4) into --out/seed-<S>, then summary.json and"
              + " summary.html with mean ± sd and each seed's value.")
  List<Long> seeds;

  @Option(
      names = "--silhouette-sample",
      defaultValue = "0",
      description = "Silhouette on a seeded sample of N points (0 = exact on all).")
  int silhouetteSample;

  @Option(
      names = "--overwrite",
      description = "Clear the run folder given by --out first (only a deepclust run folder).")
  boolean overwrite;

  @Option(names = "--data-dir", description = "Folder holding datasets.")
  Path dataDir;

  @Option(
      names = "--out",
      description = "Run folder (default runs/<date>-kmeans-baselines); must be new or empty.")
  Path out;

  @Override
  public Integer call() {
    List<String> overrides = new ArrayList<>();
    overrides.add("data.dataset=" + RunCommand.quoted(dataset));
    overrides.add("data.split=" + split);
    overrides.add("data.subset=" + subset);
    overrides.add("evaluation.silhouette_sample=" + silhouetteSample);
    overrides.add("methods.1.name=kmeans_pca" + pca);
    overrides.add("methods.1.reduce.components=" + pca);
    for (int m = 0; m < 2; m++) {
      overrides.add("methods." + m + ".cluster.k=" + k);
      overrides.add("methods." + m + ".cluster.n_init=" + nInit);
    }
    // the paper's values apply to its setting only: MNIST test, all images, k = 10, PCA-50
    boolean papers = dataset.equals("mnist") && split.equals("test") && subset == 0 && k == 10;
    if (!papers) {
      overrides.add("methods.0.paper={}");
    }
    if (!papers || pca != 50) {
      overrides.add("methods.1.paper={}");
    }
    if (seeds != null) {
      if (seed != null) {
        throw new RecipeException("--seeds and --seed both give the seed; give one of them");
      }
      if (overwrite) {
        throw new RecipeException(
            "--seeds starts new runs into a new folder; leave --overwrite out");
      }
      SeedRuns.execute(
          seeds,
          s -> {
            List<String> o = new ArrayList<>(overrides);
            o.add("seed=" + s);
            return new RecipeExecution.Prepared(RecipeLoader.load(RECIPE, o), o);
          },
          dataDir,
          out);
      return 0;
    }
    overrides.add("seed=" + (seed == null ? 0 : seed));
    Recipe recipe = RecipeLoader.load(RECIPE, overrides);
    RecipeExecution.execute(
        recipe, overrides, dataDir, out, RecipeExecution.mode(false, overwrite));
    return 0;
  }
}
