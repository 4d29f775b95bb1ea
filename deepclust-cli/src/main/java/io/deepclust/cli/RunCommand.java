package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.engine.NativeMemory;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.recipe.RecipeRunner;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.nio.file.Files;
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
      "RECIPE is a shipped name (see: deepclust recipes) or a path to a YAML file."
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
    Path resumeFrom = null;
    if (resume) {
      if (out == null) {
        throw new RecipeException("--resume needs --out: the run folder to continue");
      }
      if (!RecipeRunner.hasCheckpoint(out)) {
        throw new RecipeException(
            "--resume: no checkpoint in "
                + out.resolve("checkpoints")
                + "; start the run without"
                + " --resume");
      }
      resumeFrom = out.resolve("checkpoints");
    } else if (out != null && RecipeRunner.hasCheckpoint(out)) {
      throw new RecipeException(
          out
              + " already holds a run with checkpoints; continue it with --resume or choose"
              + " another --out");
    }
    // keep freed native memory: each training step would otherwise return ~0.5 GB to the OS
    // and fault it back in (measured +26% throughput, see docs/RESULTS.md)
    NativeMemory.retainFreedMemory();
    RunFolder folder = RunFolder.create(Path.of("runs"), r.name(), out);
    RunLog log = new RunLog(System.out, folder.file("run.log"));
    if (resumeFrom != null && Files.exists(folder.dir().resolve("run.log"))) {
      log.info("resuming " + folder.dir());
    }
    new RecipeRunner(r, overrides, DataLocator.fromEnvironment(dataDir), folder, log)
        .run(resumeFrom);
    return 0;
  }
}
