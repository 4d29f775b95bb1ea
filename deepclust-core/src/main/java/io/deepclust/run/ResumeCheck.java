package io.deepclust.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.recipe.PhaseSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides, before anything is written, whether {@code --resume} may continue the run in a folder
 * with a recipe: the checkpoint must exist and the recipe must be the run's own in everything that
 * shaped the checkpoint. Allowed to differ: every phase's {@code epochs} (at least those already
 * trained), every field of phases that had not started yet (e.g. another triplet mining after the
 * reconstruction phase), and the {@code report} section.
 */
public final class ResumeCheck {
  private static final String RESUME_FIX =
      "this folder cannot be resumed (start a new run with --overwrite)";

  private ResumeCheck() {}

  /**
   * @param out the run folder to continue
   * @param log receives warnings (e.g. a damaged latest checkpoint that will be skipped)
   * @return the folder's checkpoints directory, to resume from
   * @throws RecipeException naming what differs, or why the folder cannot be resumed, and the fix
   */
  public static Path check(Recipe recipe, Path out, Consumer<String> log) {
    Path checkpoints = out.resolve(TrainStage.CHECKPOINTS);
    if (!Files.isRegularFile(checkpoints.resolve("latest"))) {
      throw new RecipeException(
          "--resume: no checkpoint in "
              + checkpoints
              + " (the run stopped before its first epoch ended); start it again with"
              + " --overwrite");
    }
    Checkpoints.Summary latest;
    try {
      latest = Checkpoints.describe(checkpoints);
    } catch (RuntimeException e) {
      throw new RecipeException("--resume: " + e.getMessage(), e);
    }
    latest.warnings().forEach(w -> log.accept("warning: " + w));
    JsonNode before = readRecipe(out.resolve("config.json"), "--resume: ", RESUME_FIX);
    JsonNode now = asRead(RecipeLoader.toJson(recipe));
    int started = phaseIndex(recipe, latest.phase());
    List<String> differ = new ArrayList<>();
    diff("", shaping(before, started), shaping(now, started), differ);
    if (!differ.isEmpty()) {
      throw new RecipeException(
          "--resume: the run in "
              + out
              + " was made with other settings (these differ: "
              + listed(differ)
              + "; only epochs, phases not yet started and the report section may change);"
              + " resume with the run's recipe and options (deepclust run "
              + out
              + " --resume --out "
              + out
              + "), or start a new run with another --out");
    }
    checkEpochs(recipe, latest);
    return checkpoints;
  }

  /**
   * The recipe fields in which {@code recipe} differs from the run in {@code out} (its
   * config.json), the report section and the device excepted; empty when the run was made with this
   * recipe. For the seeds of one sweep, which must share one recipe (epochs included).
   *
   * @throws RecipeException when config.json cannot be read
   */
  public static List<String> differences(Recipe recipe, Path out) {
    JsonNode before = readRecipe(out.resolve("config.json"), "--resume: ", RESUME_FIX);
    JsonNode now = asRead(RecipeLoader.toJson(recipe));
    List<String> differ = new ArrayList<>();
    diff("", withoutReport(before), withoutReport(now), differ);
    return differ;
  }

  /**
   * The recipe fields (e.g. {@code seed}, {@code training.init_from}) in which the runs in folders
   * {@code a} and {@code b} differ, by their config.json, the report section and the device
   * excepted; settings added to this version since either ran count as their defaults.
   *
   * @throws RecipeException naming the config.json that cannot be read and why
   */
  public static List<String> differences(Path a, Path b) {
    List<String> differ = new ArrayList<>();
    diff("", withoutReport(storedRecipe(a)), withoutReport(storedRecipe(b)), differ);
    return differ;
  }

  /**
   * The resolved recipe stored in {@code run}'s config.json (defaults of this version filled in).
   *
   * @throws RecipeException naming the file, the reason and the fix
   */
  public static JsonNode storedRecipe(Path run) {
    return readRecipe(
        run.resolve("config.json"), "", "give the folder of a finished deepclust run");
  }

  private static JsonNode withoutReport(JsonNode recipe) {
    ObjectNode copy = recipe.deepCopy();
    copy.remove("report");
    copy.remove("device");
    return copy;
  }

  /** The first 8 of {@code differ}, comma-separated, with ", ..." when there are more. */
  public static String listed(List<String> differ) {
    return String.join(", ", differ.subList(0, Math.min(differ.size(), 8)))
        + (differ.size() > 8 ? ", ..." : "");
  }

  /** Whether the run folder {@code out} holds a checkpoint a resume could start from. */
  public static boolean hasCheckpoint(Path out) {
    return Files.isRegularFile(out.resolve(TrainStage.CHECKPOINTS).resolve("latest"));
  }

  /** {@code tree} as it reads back from a file: int vs long nodes must not count as a change. */
  private static JsonNode asRead(JsonNode tree) {
    try {
      return RecipeLoader.json().readTree(RecipeLoader.json().writeValueAsString(tree));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The stored recipe resolved again by this version, so that a setting added since the run started
   * (stored nowhere, given its default now) does not count as a difference; the stored tree as it
   * is when this version cannot read it.
   */
  private static JsonNode withDefaults(Path config, JsonNode stored) {
    try {
      Recipe again =
          RecipeLoader.parse(
              config.toString(), RecipeLoader.json().writeValueAsString(stored), List.of());
      return asRead(RecipeLoader.toJson(again));
    } catch (IOException | RuntimeException e) {
      return stored;
    }
  }

  /** config.json's recipe with this version's defaults; unreadable: prefix + reason + fix. */
  private static JsonNode readRecipe(Path config, String prefix, String fix) {
    try {
      JsonNode recipe = RecipeLoader.json().readTree(config.toFile()).path("recipe");
      if (!recipe.isObject()) {
        throw new IOException("it holds no recipe");
      }
      return withDefaults(config, recipe);
    } catch (IOException e) {
      throw new RecipeException(
          prefix + "cannot read " + config + ": " + RecipeException.reason(e) + "; " + fix, e);
    }
  }

  /** Position of the checkpoint's phase among the recipe's phases; -1 when it has none. */
  private static int phaseIndex(Recipe recipe, String phase) {
    List<PhaseSpec> phases = recipe.training().phases();
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i).name().equals(phase)) {
        return i;
      }
    }
    return phases.size() - 1;
  }

  /** The parts of a resolved recipe that shaped a checkpoint taken in phase {@code started}. */
  private static JsonNode shaping(JsonNode recipe, int started) {
    ObjectNode copy = recipe.deepCopy();
    copy.remove("report");
    // checkpoints load onto any device: a run may continue on another one
    copy.remove("device");
    if (copy.path("training").path("phases") instanceof ArrayNode phases) {
      for (int i = phases.size() - 1; i > started; i--) {
        phases.remove(i);
      }
      for (JsonNode p : phases) {
        ((ObjectNode) p).remove("epochs");
      }
    }
    return copy;
  }

  /**
   * Adds the paths (e.g. {@code seed}, {@code data.subset}) where {@code a} and {@code b} differ.
   */
  private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
    if (a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      List<String> keys = new ArrayList<>();
      a.fieldNames().forEachRemaining(keys::add);
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
      for (String k : keys) {
        diff(at.isEmpty() ? k : at + "." + k, a.path(k), b.path(k), out);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(at + "." + i, a.get(i), b.get(i), out);
      }
    } else {
      out.add(at.isEmpty() ? "the recipe" : at);
    }
  }

  /** The recipe must ask for at least the epochs the checkpoint already holds. */
  private static void checkEpochs(Recipe recipe, Checkpoints.Summary latest) {
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
}
