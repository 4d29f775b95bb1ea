package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.engine.NativeMemory;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import io.deepclust.run.ResumeCheck;
import io.deepclust.train.TrainingDivergedException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way the CLI runs a recipe: check everything (recipe, resume, data), then open the run
 * folder, then run. Shared by {@code run} and the {@code baseline} shortcut.
 */
final class RecipeExecution {
  private RecipeExecution() {}

  /** A recipe with the overrides that made it, ready to run. */
  record Prepared(Recipe recipe, List<String> overrides) {}

  /**
   * @param overrides recorded in config.json
   * @param out the run folder, or null for {@code runs/<date>-<recipe>}
   * @param resume continue the run in {@code out} from its last checkpoint
   */
  static RecipeRun.Result execute(
      Recipe recipe, List<String> overrides, Path dataDir, Path out, RunFolder.Mode mode) {
    int retries = 0;
    int total = 0;
    TrainingDivergedException last = null;
    while (true) {
      RunFolder.Plan[] opened = new RunFolder.Plan[1];
      try {
        return executeOnce(recipe, overrides, dataDir, out, mode, opened);
      } catch (TrainingDivergedException e) {
        // A NaN loss, or a NaN gradient of a finite loss, that a resume from the last good
        // checkpoint does not meet again has been seen in long DEC-joint runs (docs/RESULTS.md,
        // paper 003), at a new step each time. So a NaN step past the previous one is retried
        // (up to MAX_DIVERGENCE_RETRIES in all); one that comes back at or before the same step
        // is retried DIVERGENCE_RETRIES times, then fails with the exception's advice
        boolean progressed = last != null && later(e, last);
        if (e.lastCheckpoint() == null
            || opened[0] == null
            || !e.nanStep()
            || total >= MAX_DIVERGENCE_RETRIES
            || (!progressed && retries >= DIVERGENCE_RETRIES)) {
          if (e.nanStep() && e.lastCheckpoint() != null && opened[0] != null) {
            // the run logged this NaN as retryable; say in run.log that it was not retried
            try {
              new RunLog(null, opened[0].dir().resolve("run.log"), true)
                  .fileOnly(
                      "error: the run stopped: no retry left ("
                          + total
                          + " resumes after NaN steps): "
                          + e.getMessage());
            } catch (RuntimeException logFailed) {
              e.addSuppressed(logFailed); // the divergence stays the error reported
            }
          }
          throw e;
        }
        retries = progressed ? 1 : retries + 1;
        total++;
        last = e;
        System.out.printf(
            java.util.Locale.ROOT,
            "training diverged (%s) in phase '%s', epoch %d, batch %d; resuming from the last"
                + " good checkpoint %s (retry %d of %d at this step, %d of %d in all)%n",
            e.parameter() == null ? "NaN loss" : "NaN gradient of " + e.parameter(),
            e.phase(),
            e.epoch(),
            e.batch(),
            e.lastCheckpoint(),
            retries,
            DIVERGENCE_RETRIES,
            total,
            MAX_DIVERGENCE_RETRIES);
        out = opened[0].dir();
        mode = RunFolder.Mode.RESUME;
      }
    }
  }

  /** Whether {@code now} stopped at a later step than {@code before} (same phase order). */
  private static boolean later(TrainingDivergedException now, TrainingDivergedException before) {
    if (!now.lastCheckpoint().equals(before.lastCheckpoint())) {
      // a newer checkpoint was written since: the run got past the earlier NaN
      return true;
    }
    return now.epoch() > before.epoch()
        || (now.epoch() == before.epoch() && now.batch() > before.batch());
  }

  /**
   * How many times a run whose step became NaN continues from its last good checkpoint when the NaN
   * comes back at (or before) the same step, before the divergence is reported.
   */
  static final int DIVERGENCE_RETRIES = 2;

  /** The most resumes of one run after NaN steps, wherever they happened. */
  static final int MAX_DIVERGENCE_RETRIES = 10;

  private static RecipeRun.Result executeOnce(
      Recipe recipe,
      List<String> overrides,
      Path dataDir,
      Path out,
      RunFolder.Mode mode,
      RunFolder.Plan[] opened) {
    // everything is checked before the first byte is written: folder, resume, data
    RunFolder.Plan plan = RunFolder.prepare(Path.of("runs"), recipe.name(), out, mode);
    // a resumed run is checked against its config.json, whose model is already built for the
    // images' shape: resume with the run folder as the recipe (deepclust run runs/X --resume)
    Path resumeFrom =
        mode == RunFolder.Mode.RESUME ? ResumeCheck.check(recipe, out, System.out::println) : null;
    RecipeRun run =
        RecipeRun.prepare(
            recipe,
            overrides,
            DataSource.registry(DataLocator.fromEnvironment(dataDir)),
            System.out::println);
    String initFrom = run.recipe().training().initFrom();
    if (initFrom != null
        && mode == RunFolder.Mode.OVERWRITE
        && Path.of(initFrom)
            .toAbsolutePath()
            .normalize()
            .startsWith(plan.dir().toAbsolutePath().normalize())) {
      throw new RecipeException(
          "training.init_from: "
              + initFrom
              + " lies inside "
              + plan.dir()
              + ", which --overwrite would clear; start from a copy of that run, or write this"
              + " run to another --out");
    }
    // keep freed native memory: each training step would otherwise return ~0.5 GB to the OS
    // and fault it back in (measured +26% throughput, see docs/RESULTS.md)
    NativeMemory.retainFreedMemory();
    try (RunFolder folder = plan.open()) {
      opened[0] = plan;
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
}
