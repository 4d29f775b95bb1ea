package io.deepclust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.data.DataLocator;
import io.deepclust.engine.NativeMemory;
import io.deepclust.recipe.PhaseSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import io.deepclust.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the CLI runs a recipe: check everything (recipe, resume, data), then open the run
 * folder, then run. Shared by {@code run} and the {@code baseline} shortcut.
 */
final class RecipeExecution {
  private RecipeExecution() {}

  /**
   * @param overrides recorded in config.json
   * @param out the run folder, or null for {@code runs/<date>-<recipe>}
   * @param resume continue the run in {@code out} from its last checkpoint
   */
  static RecipeRun.Result execute(
      Recipe recipe, List<String> overrides, Path dataDir, Path out, RunFolder.Mode mode) {
    // everything is checked before the first byte is written: folder, resume, data
    RunFolder.Plan plan = RunFolder.prepare(Path.of("runs"), recipe.name(), out, mode);
    Path resumeFrom = mode == RunFolder.Mode.RESUME ? checkResume(recipe, out) : null;
    RecipeRun run =
        RecipeRun.prepare(
            recipe,
            overrides,
            DataSource.registry(DataLocator.fromEnvironment(dataDir)),
            System.out::println);
    // keep freed native memory: each training step would otherwise return ~0.5 GB to the OS
    // and fault it back in (measured +26% throughput, see docs/RESULTS.md)
    NativeMemory.retainFreedMemory();
    try (RunFolder folder = plan.open()) {
      RunLog log = new RunLog(System.out, folder.file("run.log"), resumeFrom != null);
      if (resumeFrom != null) {
        log.info("resuming " + folder.dir() + " from " + resumeFrom);
      }
      return run.run(folder, log, resumeFrom);
    }
  }

  /** The folder mode of {@code --resume} / {@code --overwrite}; both at once is an error. */
  static RunFolder.Mode mode(boolean resume, boolean overwrite) {
    if (resume && overwrite) {
      throw new RecipeException(
          "--resume continues a run and --overwrite clears it: give one of them");
    }
    return resume
        ? RunFolder.Mode.RESUME
        : overwrite ? RunFolder.Mode.OVERWRITE : RunFolder.Mode.NEW;
  }

  /**
   * A resume must continue the same run: the folder's recipe must equal this one in everything but
   * the phases' epochs.
   */
  private static Path checkResume(Recipe recipe, Path out) {
    Path checkpoints = out.resolve("checkpoints");
    if (!Files.isRegularFile(checkpoints.resolve("latest"))) {
      throw new RecipeException(
          "--resume: no checkpoint in "
              + checkpoints
              + " (the run stopped before its first epoch ended); start it again with"
              + " --overwrite");
    }
    Path config = out.resolve("config.json");
    JsonNode before;
    try {
      before = RecipeLoader.json().readTree(config.toFile()).path("recipe");
    } catch (IOException e) {
      throw new RecipeException(
          "--resume: cannot read "
              + config
              + ": "
              + RecipeException.reason(e)
              + "; this folder cannot be resumed (start a new run)",
          e);
    }
    JsonNode now;
    try {
      // through text, as config.json was: a tree built from the recipe holds LongNode/FloatNode
      // where the parsed file holds IntNode/DoubleNode, and JsonNode.equals tells them apart
      now =
          RecipeLoader.json()
              .readTree(RecipeLoader.json().writeValueAsString(RecipeLoader.toJson(recipe)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the recipe " + recipe.name(), e);
    }
    if (!withoutEpochs(before).equals(withoutEpochs(now))) {
      throw new RecipeException(
          "--resume: the run in "
              + out
              + " used another recipe or other settings (recipe, seed, data, model or methods"
              + " differ; only the phases' epochs may change); resume with the same recipe and"
              + " options, or start a new run with another --out");
    }
    checkEpochs(recipe, checkpoints);
    return checkpoints;
  }

  /** The recipe must ask for at least the epochs the checkpoint already holds. */
  private static void checkEpochs(Recipe recipe, Path checkpoints) {
    Checkpoints.Summary latest;
    try {
      latest = Checkpoints.describe(checkpoints);
    } catch (RuntimeException e) {
      throw new RecipeException("--resume: " + e.getMessage(), e);
    }
    latest.warnings().forEach(w -> System.out.println("warning: " + w));
    List<String> names = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    for (PhaseSpec p : recipe.training().phases()) {
      if (p.epochs() > 0) {
        names.add(p.name());
        epochs.add(p.epochs());
      }
    }
    try {
      Checkpoints.checkResumable(latest.checkpoint(), latest.state(), names, epochs);
    } catch (IllegalArgumentException e) {
      throw new RecipeException("--resume: " + e.getMessage(), e);
    }
  }

  private static JsonNode withoutEpochs(JsonNode recipe) {
    JsonNode copy = recipe.deepCopy();
    if (copy.path("training").path("phases") instanceof ArrayNode phases) {
      for (JsonNode p : phases) {
        ((ObjectNode) p).remove("epochs");
      }
    }
    return copy;
  }
}
