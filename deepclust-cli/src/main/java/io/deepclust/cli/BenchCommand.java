package io.deepclust.cli;

import io.deepclust.engine.BenchmarkResult;
import io.deepclust.engine.TrainingBenchmark;
import io.deepclust.nn.Architecture;
import io.deepclust.recipe.AdamSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.recipe.ReconstructionSpec;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepclust bench [ARCHITECTURE | --recipe NAME|FILE]}: training images/s and peak memory on
 * this machine.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training throughput (images/s, median of several timed runs after warm-up) and"
          + " peak memory of an architecture at a batch size on this machine.",
      "Architectures: cae-bn-000 (paper 000), triplet-cae-001 (paper 001); or any recipe's model"
          + " with --recipe.",
      "Each step: forward, BCE loss (as torch.nn.BCELoss), backward, Adam lr 1e-3 without weight"
          + " decay, whatever the recipe trains with (compare with tools/bench/pytorch_*.py)."
    })
final class BenchCommand implements Callable<Integer> {
  /** The architecture measured when neither ARCHITECTURE nor --recipe is given. */
  static final String DEFAULT_ARCHITECTURE = "cae-bn-000";

  /** The batch size when neither --batch nor --recipe is given (pytorch_cae000.py's). */
  static final int DEFAULT_BATCH = 256;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "ARCHITECTURE",
      arity = "0..1",
      description =
          "Optional named architecture (default "
              + DEFAULT_ARCHITECTURE
              + "); not together with --recipe.")
  String architecture;

  @Option(
      names = "--recipe",
      paramLabel = "NAME|FILE",
      description =
          "Measure this recipe's model (shipped name, see: deepclust recipes, or a YAML file);"
              + " --batch then defaults to its training.batch_size.")
  String recipe;

  @Option(
      names = "--batch",
      description =
          "Batch size (default: the recipe's training.batch_size, else " + DEFAULT_BATCH + ").")
  Integer batch;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first.")
  int warmup;

  @Option(names = "--steps", defaultValue = "10", description = "Steps per timed run.")
  int steps;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (median reported).")
  int runs;

  @Override
  public Integer call() {
    if (recipe != null && architecture != null) {
      throw new ParameterException(
          spec.commandLine(),
          "give either ARCHITECTURE ('"
              + architecture
              + "') or --recipe ('"
              + recipe
              + "'), not both");
    }
    TrainingBenchmark.Config config =
        TrainingBenchmark.Config.defaults().withSteps(warmup, steps, runs);
    BenchmarkResult r;
    if (recipe == null) {
      r =
          TrainingBenchmark.run(
              config
                  .withArchitecture(architecture == null ? DEFAULT_ARCHITECTURE : architecture)
                  .withBatchSize(batch == null ? DEFAULT_BATCH : batch));
    } else {
      Recipe loaded = RecipeLoader.load(recipe, List.of());
      Architecture model = loaded.model();
      if (model == null) {
        throw new IllegalArgumentException(
            "recipe '"
                + loaded.name()
                + "' has no model to benchmark (it clusters pixels); use a recipe with a model:"
                + " section, e.g. --recipe mlp-soft-centroids, or a named ARCHITECTURE");
      }
      int batchSize = batch == null ? loaded.training().batchSize() : batch;
      System.out.println(
          "recipe "
              + loaded.name()
              + ": model "
              + model.name()
              + ", batch "
              + batchSize
              + "; the recipe trains with "
              + recipeTraining(loaded)
              + ", this benchmark with BCE + Adam lr 1e-3 (no weight decay)");
      r = TrainingBenchmark.run(model, config.withBatchSize(batchSize));
    }
    System.out.println(r);
    return 0;
  }

  /** The recipe's reconstruction losses and optimizer, for the comparison line. */
  private static String recipeTraining(Recipe recipe) {
    List<String> losses =
        recipe.training().phases().stream()
            .filter(ReconstructionSpec.class::isInstance)
            .map(p -> ((ReconstructionSpec) p).loss().toUpperCase(Locale.ROOT))
            .distinct()
            .toList();
    String loss = losses.isEmpty() ? "no reconstruction phase" : String.join("/", losses);
    String optimizer =
        recipe.training().optimizer() instanceof AdamSpec a
            ? String.format(Locale.ROOT, "Adam lr %s weight decay %s", a.lr(), a.weightDecay())
            : recipe.training().optimizer().toString();
    return loss + " + " + optimizer;
  }
}
