package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * SgdOptimizer, AdamOptimizer and the LR schedules against torch 1.13 ({@code
 * tools/fixtures/gen_optim.py}).
 */
class OptimizerFixtureTest {
  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in = OptimizerFixtureTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static OptimizerConfig config(JsonNode c, float lr) {
    float wd = (float) c.get("weight_decay").asDouble();
    if (c.get("kind").asText().equals("sgd")) {
      return new SgdConfig(
          lr,
          (float) c.get("momentum").asDouble(),
          (float) c.get("dampening").asDouble(),
          c.get("nesterov").asBoolean(),
          wd);
    }
    return new AdamConfig(
        lr,
        (float) c.get("beta1").asDouble(),
        (float) c.get("beta2").asDouble(),
        (float) c.get("eps").asDouble(),
        wd);
  }

  @Test
  void optimizersMatchTorchStepByStep() throws IOException {
    JsonNode fx = fixture("optimizers.json");
    Shape shape = new Shape(fx.get("shape").get(0).asLong(), fx.get("shape").get(1).asLong());
    JsonNode lrs = fx.get("lrs");
    for (JsonNode c : fx.get("cases")) {
      String name = c.get("name").asText();
      StatefulOptimizer opt = StatefulOptimizer.of(config(c, (float) lrs.get(0).asDouble()));
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray w = m.create(floats(fx.get("w0")), shape);
        w.setRequiresGradient(true);
        for (int t = 0; t < lrs.size(); t++) {
          opt.setLearningRate(lrs.get(t).asDouble());
          try (NDArray g = m.create(floats(fx.get("grads").get(t)), shape)) {
            opt.update("w", w, g);
          }
          assertArrayEquals(
              floats(c.get("weights").get(t)),
              w.toFloatArray(),
              2e-6f,
              name + ", after step " + (t + 1));
        }
        assertEquals(lrs.size(), opt.stepCount("w"), name);
      }
    }
  }

  @Test
  void lrSchedulesMatchTorch() throws IOException {
    JsonNode fx = fixture("lr_schedules.json");
    double base = fx.get("base_lr").asDouble();
    JsonNode losses = fx.get("losses");
    for (JsonNode c : fx.get("cases")) {
      LrSchedule schedule =
          c.get("kind").asText().equals("step")
              ? new LrSchedule.StepLr(c.get("step_size").asInt(), (float) c.get("gamma").asDouble())
              : new LrSchedule.ReduceLrOnPlateau(
                  "loss",
                  (float) c.get("factor").asDouble(),
                  c.get("patience").asInt(),
                  (float) c.get("threshold").asDouble(),
                  c.get("cooldown").asInt(),
                  (float) c.get("min_lr").asDouble());
      LrSchedule.State s = LrSchedule.State.start(base);
      for (int e = 0; e < losses.size(); e++) {
        double want = c.get("lrs").get(e).asDouble();
        assertEquals(want, s.lr(), want * 1e-12, schedule + ", epoch " + (e + 1));
        s = schedule.step(s, losses.get(e).asDouble());
      }
    }
  }

  @Test
  void sgdStateRoundTripsAndNesterovNeedsMomentum() throws IOException {
    var e =
        assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1f, 0f, 0f, true, 0f));
    assertTrue(e.getMessage().contains("nesterov"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0.1f, 0.9f, 0.1f, true, 0f));
    assertThrows(IllegalArgumentException.class, () -> new SgdConfig(0f, 0.9f, 0f, false, 0f));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LrSchedule.ReduceLrOnPlateau("acc", 0.1f, 1, 0f, 0, 0f));
    assertEquals("sgd", new SgdConfig(0.1f, 0.9f, 0f, true, 0f).kind());
  }
}
