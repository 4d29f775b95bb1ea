package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunConfigTest {
  private static RunConfig parse(String json) throws Exception {
    return RunConfig.of(new ObjectMapper().readTree(json));
  }

  /** `deepclust baseline` runs a recipe without a model; its folder has no command field. */
  @Test
  void aRecipeWithoutAModelIsABaseline() throws Exception {
    assertTrue(
        parse("{\"recipe\": {\"name\": \"kmeans-baselines\", \"model\": null}}").isBaseline());
    assertTrue(parse("{\"recipe\": {\"name\": \"kmeans-baselines\"}}").isBaseline());
    assertTrue(parse("{\"recipe\": {\"name\": \"old\"}, \"command\": \"baseline\"}").isBaseline());
    assertFalse(
        parse("{\"recipe\": {\"name\": \"dec\", \"model\": {\"type\": \"mlp\"}}}").isBaseline());
    assertFalse(RunConfig.EMPTY.isBaseline(), "no config.json: not claimed to be a baseline");
  }
}
