package io.deepclust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.data.DataLocator;
import io.deepclust.engine.NativeMemory;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      Recipe recipe, List<String> overrides, Path dataDir, Path out, boolean resume) {
    Path resumeFrom = null;
    if (resume) {
      resumeFrom = checkResume(recipe, out);
    } else if (out != null && Files.isDirectory(out.resolve("checkpoints"))) {
      throw new RecipeException(
          out
              + " already holds a run with checkpoints; continue it with --resume or choose"
              + " another --out");
    }
    RecipeRun run =
        RecipeRun.prepare(
            recipe,
            overrides,
            DataSource.registry(DataLocator.fromEnvironment(dataDir)),
            System.out::println);
    // keep freed native memory: each training step would otherwise return ~0.5 GB to the OS
    // and fault it back in (measured +26% throughput, see docs/RESULTS.md)
    NativeMemory.retainFreedMemory();
    RunFolder folder = RunFolder.create(Path.of("runs"), recipe.name(), out);
    RunLog log = new RunLog(System.out, folder.file("run.log"));
    if (resumeFrom != null) {
      log.info("resuming " + folder.dir());
    }
    return run.run(folder, log, resumeFrom);
  }

  /**
   * A resume must continue the same run: the folder's recipe must equal this one in everything but
   * the phases' epochs.
   */
  private static Path checkResume(Recipe recipe, Path out) {
    if (out == null) {
      throw new RecipeException("--resume needs --out: the run folder to continue");
    }
    Path checkpoints = out.resolve("checkpoints");
    if (!Files.isRegularFile(checkpoints.resolve("latest"))) {
      throw new RecipeException(
          "--resume: no checkpoint in " + checkpoints + "; start the run without --resume");
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
    JsonNode now = RecipeLoader.toJson(recipe);
    if (!withoutEpochs(before).equals(withoutEpochs(now))) {
      throw new RecipeException(
          "--resume: the run in "
              + out
              + " used another recipe or other settings (recipe, seed, data, model or methods"
              + " differ; only the phases' epochs may change); resume with the same recipe and"
              + " options, or start a new run with another --out");
    }
    return checkpoints;
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
