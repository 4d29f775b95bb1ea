package io.deepclust.cli;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deepclust run <recipe>}: a recipe end to end into a run folder. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a recipe end to end: train the autoencoder, embed, reduce, cluster, evaluate and"
          + " write a run folder with metrics, assignments, features, checkpoints and figures.",
      "RECIPE is a shipped name (see: deepclust recipes), a YAML file, or a run folder's"
          + " config.json (or the folder itself) to repeat that run."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RECIPE", description = "Shipped recipe name or YAML file.")
  String recipe;

  @Option(names = "--dataset", description = "Override data.dataset (mnist, fashion-mnist).")
  String dataset;

  @Option(names = "--epochs", description = "Override the epochs of every training phase.")
  Integer epochs;

  @Option(names = "--subset", description = "Train and cluster on a seeded sample of N images.")
  Integer subset;

  @Option(names = "--seed", description = "Override the recipe's seed.")
  Long seed;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any recipe field, e.g. --set training.batch_size=128 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--data-dir", description = "Folder holding datasets.")
  Path dataDir;

  @Option(names = "--out", description = "Run folder (default runs/<date>-<recipe>).")
  Path out;

  @Option(
      names = "--resume",
      description =
          "Continue the run in --out from its last checkpoint (after a kill); same seed, same"
              + " result as an unbroken run.")
  boolean resume;

  @Override
  public Integer call() {
    List<String> overrides = new ArrayList<>();
    if (dataset != null) {
      overrides.add("data.dataset=" + dataset);
    }
    if (subset != null) {
      overrides.add("data.subset=" + subset);
    }
    if (seed != null) {
      overrides.add("seed=" + seed);
    }
    overrides.addAll(sets);
    Recipe r = RecipeLoader.load(recipe, overrides);
    if (epochs != null) {
      for (int i = 0; i < r.training().phases().size(); i++) {
        overrides.add("training.phases." + i + ".epochs=" + epochs);
      }
      r = RecipeLoader.load(recipe, overrides);
    }
    RecipeExecution.execute(r, overrides, dataDir, out, resume);
    return 0;
  }
}
