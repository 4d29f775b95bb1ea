package io.deepclust.cli;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
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
  @Parameters(
      paramLabel = "RECIPE",
      description =
          "Shipped recipe name, YAML file, or a run folder (or its config.json) to repeat.")
  String recipe;

  @Option(
      names = "--dataset",
      paramLabel = "DATASET",
      description =
          "Override data.dataset: mnist, fashion-mnist, a name from the datasets file, or a"
              + " source: folder:PATH, idx:IMAGES[,LABELS], npy:IMAGES[,LABELS],"
              + " csv:PATH[?label=COLUMN].")
  String dataset;

  @Option(names = "--epochs", description = "Override the epochs of every training phase.")
  Integer epochs;

  @Option(names = "--subset", description = "Train and cluster on a seeded sample of N images.")
  Integer subset;

  @Option(names = "--seed", description = "Override the recipe's seed.")
  Long seed;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description =
          "Where to train and embed: cpu, gpu (GPU 0), gpu:N, or auto (a GPU when this build"
              + " can use one, else the CPU). Default: the recipe's device, else DEEPCLUST_DEVICE,"
              + " else auto. A GPU this build cannot use is an error naming what DJL sees.")
  String device;

  @Option(
      names = "--seeds",
      converter = SeedRuns.Converter.class,
      description =
          "Run once per seed (0,1,2 or 0-4) into --out/seed-<S>, then write summary.json and"
              + " summary.html: mean ± sd per metric and method, and each seed's value.")
  List<Long> seeds;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any recipe field, e.g. --set training.batch_size=128 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--data-dir", description = "Folder holding datasets.")
  Path dataDir;

  @Option(
      names = "--out",
      description =
          "Run folder (default runs/<date>-<recipe>); must be empty or new unless --resume or"
              + " --overwrite.")
  Path out;

  @Option(
      names = "--resume",
      description =
          "Continue the run in --out from its last checkpoint (after a kill); same seed, same"
              + " result as an unbroken run. With --seeds: continue the sweep in --out (complete"
              + " seeds are kept, stopped ones resume, missing ones start).")
  boolean resume;

  @Option(
      names = "--overwrite",
      description =
          "Clear the run folder given by --out first (only a deepclust run folder, and only the"
              + " files a run writes; a folder holding other files is refused).")
  boolean overwrite;

  @Override
  public Integer call() {
    List<String> overrides = new ArrayList<>();
    if (dataset != null) {
      // quoted: a path may hold characters YAML would read otherwise (': ', '#', '~')
      overrides.add("data.dataset=" + quoted(dataset));
    }
    if (subset != null) {
      overrides.add("data.subset=" + subset);
    }
    if (seed != null) {
      overrides.add("seed=" + seed);
    }
    if (device != null) {
      overrides.add("device=" + quoted(device));
    }
    for (String set : sets) {
      String key = set.contains("=") ? set.substring(0, set.indexOf('=')).strip() : set;
      if ((key.equals("data.dataset") && dataset != null)
          || (key.equals("data.subset") && subset != null)
          || (key.equals("seed") && seed != null)
          || (key.equals("device") && device != null)) {
        throw new RecipeException(
            "--set " + key + " and its own option both give it; give it once");
      }
    }
    overrides.addAll(sets);
    RunFolder.Mode mode = RecipeExecution.mode(resume, overwrite);
    if (seeds != null) {
      if (seed != null || sets.stream().anyMatch(x -> x.strip().startsWith("seed="))) {
        throw new RecipeException("--seeds and --seed both give the seed; give one of them");
      }
      if (mode == RunFolder.Mode.OVERWRITE) {
        throw new RecipeException(
            "--seeds writes into a new or empty folder and does not clear one; give another"
                + " --out, or continue a stopped sweep with --resume");
      }
      if (mode == RunFolder.Mode.RESUME && out == null) {
        throw new RecipeException("--seeds --resume continues a sweep: give its folder with --out");
      }
      SeedRuns.execute(
          seeds,
          s -> {
            List<String> o = new ArrayList<>(overrides);
            o.add("seed=" + s);
            return withEpochs(o);
          },
          dataDir,
          out,
          mode == RunFolder.Mode.RESUME);
      return 0;
    }
    RecipeExecution.Prepared p = withEpochs(overrides);
    RecipeExecution.execute(p.recipe(), p.overrides(), dataDir, out, mode);
    return 0;
  }

  /** The recipe with {@code overrides}, and {@code --epochs} applied to every phase. */
  private RecipeExecution.Prepared withEpochs(List<String> overrides) {
    Recipe r = RecipeLoader.load(recipe, overrides);
    if (epochs != null) {
      if (r.training().phases().isEmpty()) {
        throw new RecipeException(
            "--epochs: recipe '"
                + r.name()
                + "' has no training phases, so there is nothing to"
                + " train; leave --epochs out");
      }
      for (int i = 0; i < r.training().phases().size(); i++) {
        overrides.add("training.phases." + i + ".epochs=" + epochs);
      }
      r = RecipeLoader.load(recipe, overrides);
    }
    return new RecipeExecution.Prepared(r, overrides);
  }

  /** {@code s} as a YAML double-quoted scalar (JSON string syntax). */
  static String quoted(String s) {
    if (s.matches("[A-Za-z0-9_.-]+")) {
      return s; // a plain name reads the same either way; config.json keeps it readable
    }
    try {
      return io.deepclust.recipe.RecipeLoader.json().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
