package io.deepclust.run;

import io.deepclust.recipe.ComponentContext;
import io.deepclust.recipe.Recipe;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;

/**
 * What every stage of a run shares: the recipe, the folder it writes into, the log and the stage
 * timings. The seed streams derive from {@code recipe.seed} ({@code Seeds.stream(seed, purpose)}).
 */
public record RunContext(Recipe recipe, RunFolder folder, RunLog log, Timings timings) {

  /** What components may take from the run when they are built. */
  public ComponentContext components() {
    return new ComponentContext(recipe.seedValue());
  }

  /** Logs one line. */
  public void info(String line) {
    log.info(line);
  }
}
