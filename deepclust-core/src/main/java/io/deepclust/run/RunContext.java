package io.deepclust.run;

import ai.djl.Device;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.ComponentContext;
import io.deepclust.recipe.Recipe;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every stage of a run shares: the recipe, the folder it writes into, the log and the stage
 * timings, and the device the model, batches and libtorch kernels live on. The seed streams derive
 * from {@code recipe.seed} ({@code Seeds.stream(seed, purpose)}).
 */
public record RunContext(
    Recipe recipe,
    RunFolder folder,
    RunLog log,
    Timings timings,
    Map<String, FloatMatrix> phaseCentres,
    Device device) {

  /**
   * A context whose phase centres start empty.
   *
   * @param phaseCentres filled by training: the centres of each phase that keeps them ({@link
   *     io.deepclust.train.CentresPhase}), by phase name, for the {@code phase_centres} clusterer
   * @param device resolved from the recipe's {@code device} ({@link DeviceSettings})
   */
  public RunContext(Recipe recipe, RunFolder folder, RunLog log, Timings timings, Device device) {
    this(recipe, folder, log, timings, new LinkedHashMap<>(), device);
  }

  /** What components may take from the run when they are built. */
  public ComponentContext components() {
    return new ComponentContext(recipe.seedValue(), phaseCentres, null, device);
  }

  /** Logs one line. */
  public void info(String line) {
    log.info(line);
  }
}
