package io.deepclust.run;

import ai.djl.Device;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's device: the recipe's {@code device} ({@code --device} sets it), else {@code
 * DEEPCLUST_DEVICE}, else {@code auto}; resolved against what DJL sees before anything is written,
 * and recorded in {@code config.json} ({@code engine.device} and the fields beside it).
 *
 * @param requested the name asked for ({@code cpu}, {@code gpu:N}, {@code auto})
 * @param from who asked: {@code recipe}, {@code DEEPCLUST_DEVICE} or {@code default}
 * @param device the device the run uses
 * @param seen DJL's GPU count and the libtorch flavour
 */
record DeviceSettings(String requested, String from, Device device, DeviceChoice.Seen seen) {

  /**
   * @param env the environment, for {@code DEEPCLUST_DEVICE}
   * @throws RecipeException naming the field, when the device is malformed or a GPU is asked for
   *     that this build cannot use (the message names what DJL sees and the build to use)
   */
  static DeviceSettings resolve(Recipe recipe, Map<String, String> env) {
    try {
      DeviceChoice.Request r = DeviceChoice.request(recipe.device(), "recipe", env);
      DeviceChoice.Seen seen = DeviceChoice.seen();
      return new DeviceSettings(r.name(), r.from(), DeviceChoice.resolve(r.name(), seen), seen);
    } catch (IllegalArgumentException e) {
      // the recipe's value was checked when it loaded: a message names the device or the variable
      throw new RecipeException(e.getMessage(), e);
    }
  }

  /** For {@code config.json}'s {@code engine} section. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", DeviceChoice.name(device));
    m.put("device_requested", requested);
    m.put("device_from", from);
    m.put("gpu_count", seen.gpuCount());
    m.put("libtorch_version", DeviceChoice.libtorchVersion());
    m.put("libtorch_flavour", seen.flavour());
    return m;
  }
}
