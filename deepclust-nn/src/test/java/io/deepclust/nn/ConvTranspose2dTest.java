package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConvTranspose2d} against {@code torch.nn.functional.conv_transpose2d} (fixture from {@code
 * tools/fixtures/gen_conv_transpose.py}), against an independent scatter implementation at paper
 * scale, and for the DJL memory rule (no arrays left in the parameters' manager).
 */
class ConvTranspose2dTest {

  private static final double TOLERANCE = 1e-4;
  private static final String FIXTURE = "/fixtures/conv_transpose2d.json";
  private static JsonNode fixture;

  private static synchronized JsonNode fixture() {
    if (fixture == null) {
      try (InputStream in = ConvTranspose2dTest.class.getResourceAsStream(FIXTURE)) {
        assertNotNull(in, "missing test resource " + FIXTURE);
        fixture = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fixture;
  }

  static Stream<String> caseNames() {
    List<String> names = new ArrayList<>();
    fixture().get("cases").forEach(c -> names.add(c.get("name").asText()));
    return names.stream();
  }

  private static JsonNode fixtureCase(String name) {
    for (JsonNode c : fixture().get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no fixture case " + name);
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  private static Shape shape(JsonNode array) {
    long[] dims = new long[array.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = array.get(i).asLong();
    }
    return new Shape(dims);
  }

  private static Shape pair(JsonNode array) {
    return new Shape(array.get(0).asLong(), array.get(1).asLong());
  }

  private static ConvTranspose2d blockFor(JsonNode c) {
    ConvTranspose2d block =
        ConvTranspose2d.builder()
            .setFilters(c.get("outChannels").asInt())
            .setKernelShape(pair(c.get("kernel")))
            .optStride(pair(c.get("stride")))
            .optPadding(pair(c.get("padding")))
            .optOutputPadding(pair(c.get("outputPadding")))
            .optBias(c.get("bias").asBoolean())
            .build();
    float[] weight = floats(c.get("weight"));
    block.setInitializer((m, s, t) -> m.create(weight, s), "weight");
    if (block.hasBias()) {
      float[] bias = floats(c.get("biasValues"));
      block.setInitializer((m, s, t) -> m.create(bias, s), "bias");
    }
    return block;
  }

  private static double maxAbsDiff(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(max <= TOLERANCE, what + ": max |diff| " + max + " > " + TOLERANCE);
    return max;
  }

  private static Parameter parameter(ConvTranspose2d block, String name) {
    return block.getParameters().get(name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseNames")
  void matchesPyTorchForwardAndGradients(String name) {
    JsonNode c = fixtureCase(name);
    Shape inputShape = shape(c.get("inputShape"));
    Shape outputShape = shape(c.get("outputShape"));
    try (NDManager manager = NDManager.newBaseManager()) {
      ConvTranspose2d block = blockFor(c);
      block.initialize(manager, DataType.FLOAT32, inputShape);
      assertEquals(outputShape, block.getOutputShapes(new Shape[] {inputShape})[0]);
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.create(floats(c.get("input")), inputShape);
      x.setRequiresGradient(true);
      NDArray r = manager.create(floats(c.get("r")), outputShape);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
        assertEquals(outputShape, y.getShape());
        collector.backward(y.mul(r).sum());
        double dy = maxAbsDiff(floats(c.get("output")), y.toFloatArray(), name + " output");
        double dx = maxAbsDiff(floats(c.get("gradInput")), x.getGradient().toFloatArray(), "dx");
        NDArray gw = parameter(block, "weight").getArray().getGradient();
        double dw = maxAbsDiff(floats(c.get("gradWeight")), gw.toFloatArray(), name + " dW");
        double db = 0;
        if (block.hasBias()) {
          NDArray gb = parameter(block, "bias").getArray().getGradient();
          db = maxAbsDiff(floats(c.get("gradBias")), gb.toFloatArray(), name + " db");
        } else {
          assertNull(parameter(block, "bias"));
        }
        System.out.printf(
            "ConvTranspose2d %-32s fast=%-5s max|diff| y %.2e  dx %.2e  dW %.2e  db %.2e%n",
            name, block.usesFastPath(), dy, dx, dw, db);
      }
    }
  }

  /** The realistic path: Model + Trainer + trainer.newGradientCollector(). */
  @Test
  void gradientsThroughTrainerMatchPyTorch() {
    JsonNode c = fixtureCase("k3s2p1op1_paper001_7to14");
    Shape inputShape = shape(c.get("inputShape"));
    Shape outputShape = shape(c.get("outputShape"));
    ConvTranspose2d block = blockFor(c);
    try (Model model = Model.newInstance("convt");
        NDManager step = model.getNDManager().newSubManager()) {
      model.setBlock(block);
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        trainer.initialize(inputShape);
        NDArray x = step.create(floats(c.get("input")), inputShape);
        NDArray r = step.create(floats(c.get("r")), outputShape);
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
          collector.backward(y.mul(r).sum());
          maxAbsDiff(floats(c.get("output")), y.toFloatArray(), "trainer output");
          NDArray gw = parameter(block, "weight").getArray().getGradient();
          NDArray gb = parameter(block, "bias").getArray().getGradient();
          maxAbsDiff(floats(c.get("gradWeight")), gw.toFloatArray(), "trainer dW");
          maxAbsDiff(floats(c.get("gradBias")), gb.toFloatArray(), "trainer db");
        }
      }
    }
  }

  /**
   * Paper 001's decoder layer at full size (64 -> 32 channels, 7x7 -> 14x14, k3 s2 p1 op1), which
   * is too large for the JSON fixture, against a direct scatter in double precision.
   */
  @Test
  void paperScaleLayerMatchesDirectScatter() {
    int n = 2;
    int cin = 64;
    int cout = 32;
    SplittableRandom random = new SplittableRandom(1);
    float[] x = randomFloats(random, n * cin * 7 * 7, 1.0);
    float[] w = randomFloats(random, cin * cout * 9, 1.0 / Math.sqrt(cout * 9));
    float[] b = randomFloats(random, cout, 0.1);
    float[] expected = scatter(x, w, b, n, cin, cout, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray y =
          ConvTranspose2d.convTranspose2d(
                  manager.create(x, new Shape(n, cin, 7, 7)),
                  manager.create(w, new Shape(cin, cout, 3, 3)),
                  manager.create(b, new Shape(cout)),
                  new Shape(2, 2),
                  new Shape(1, 1),
                  new Shape(1, 1))
              .singletonOrThrow();
      assertEquals(new Shape(n, cout, 14, 14), y.getShape());
      double max = maxAbsDiff(expected, y.toFloatArray(), "paper-scale output");
      System.out.printf("ConvTranspose2d 64->32 k3s2p1op1 vs scatter: max|diff| %.2e%n", max);
    }
  }

  /**
   * The block, fed a smaller map than it was initialised for, refuses an output size below 1 in its
   * kernel-sized forms as the functional form does (a review found the row form returning an empty
   * map instead).
   */
  @Test
  void kernelSizedFormsOfTheBlockCheckTheOutputSize() {
    ConvTranspose2d block = Layers.convTranspose(3, 2, 1, 1, 0, true);
    try (NDManager manager = NDManager.newBaseManager()) {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2));
      ParameterStore store = new ParameterStore(manager, false);
      NDList tooSmall = new NDList(manager.ones(new Shape(1, 2, 1, 1)));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> block.forward(store, tooSmall, false));
      assertTrue(e.getMessage().contains("gives output size 0"), e.getMessage());
      assertEquals(
          new Shape(1, 3, 1, 1),
          block
              .forward(store, new NDList(manager.ones(new Shape(1, 2, 2, 2))), false)
              .singletonOrThrow()
              .getShape());
    }
  }

  /** Both implementations at kernel == stride, 64 -> 32 channels, forward and input gradient. */
  @Test
  void depthToSpaceEqualsZeroInsertion() {
    SplittableRandom random = new SplittableRandom(2);
    Shape xShape = new Shape(2, 64, 7, 7);
    float[] x = randomFloats(random, (int) xShape.size(), 1.0);
    float[] w = randomFloats(random, 64 * 32 * 4, 0.1);
    float[] b = randomFloats(random, 32, 0.1);
    float[] expected = scatter(x, w, b, 2, 64, 32, 7, 7, 2, 2, 2, 2, 0, 0, 0, 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray wa = manager.create(w, new Shape(64, 32, 2, 2));
      NDArray ba = manager.create(b, new Shape(32));
      NDArray fast = ConvTranspose2d.byDepthToSpace(manager.create(x, xShape), wa, ba);
      NDArray general =
          ConvTranspose2d.byZeroInsertion(
              manager.create(x, xShape), wa, ba, new Shape(2, 2), new Shape(0, 0), new Shape(0, 0));
      maxAbsDiff(expected, fast.toFloatArray(), "depth-to-space");
      maxAbsDiff(expected, general.toFloatArray(), "zero insertion");
    }
  }

  /**
   * The polyphase form against a direct scatter (output) and against the zero-insertion form
   * (output and the input, weight and bias gradients), on geometries that exercise its padding and
   * cropping: kernels shorter than, equal to and longer than the stride, padding beyond the kernel,
   * output padding, strides 2 and 3, anisotropic kernels and strides, and DCEC's layers at their
   * real channel counts.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("polyphaseGeometries")
  void polyphaseEqualsScatterAndZeroInsertion(String name, int[] g) {
    // g: n, cin, cout, h, w, kh, kw, sh, sw, ph, pw, oph, opw
    SplittableRandom random = new SplittableRandom(name.hashCode());
    int n = g[0];
    int cin = g[1];
    int cout = g[2];
    Shape xShape = new Shape(n, cin, g[3], g[4]);
    Shape wShape = new Shape(cin, cout, g[5], g[6]);
    float[] x = randomFloats(random, (int) xShape.size(), 1.0);
    float[] w = randomFloats(random, (int) wShape.size(), 1.0 / Math.sqrt(cout * g[5] * g[6]));
    float[] b = randomFloats(random, cout, 0.1);
    float[] expected =
        scatter(
            x, w, b, n, cin, cout, g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12]);
    Shape stride = new Shape(g[7], g[8]);
    Shape padding = new Shape(g[9], g[10]);
    Shape outputPadding = new Shape(g[11], g[12]);
    float[][] polyphase =
        forwardAndGradients(x, w, b, xShape, wShape, stride, padding, outputPadding, true);
    float[][] zeros =
        forwardAndGradients(x, w, b, xShape, wShape, stride, padding, outputPadding, false);
    maxAbsDiff(expected, polyphase[0], name + " polyphase output vs scatter");
    String[] what = {"output", "dx", "dW", "db"};
    for (int i = 0; i < what.length; i++) {
      maxAbsDiff(zeros[i], polyphase[i], name + " polyphase vs zero insertion, " + what[i]);
    }
  }

  static Stream<Arguments> polyphaseGeometries() {
    return Stream.of(
        geometry("k3s2p1op1", 2, 4, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1),
        geometry("k5s2p2op1_keras_same", 2, 4, 3, 7, 7, 5, 5, 2, 2, 2, 2, 1, 1),
        geometry("k4s2p1_rect", 2, 3, 2, 5, 6, 4, 4, 2, 2, 1, 1, 0, 0),
        geometry("k3s2p3_padding_exceeds_kernel", 1, 3, 2, 6, 6, 3, 3, 2, 2, 3, 3, 0, 0),
        geometry("k1s2_kernel_below_stride", 1, 3, 2, 4, 5, 1, 1, 2, 2, 0, 0, 1, 0),
        geometry("k2s3op2_kernel_below_stride", 2, 3, 5, 4, 3, 2, 2, 3, 3, 0, 0, 2, 1),
        geometry("k3s3p0op2", 1, 3, 2, 4, 4, 3, 3, 3, 3, 0, 0, 2, 2),
        geometry("k5s3p4", 2, 2, 3, 6, 5, 5, 5, 3, 3, 4, 4, 0, 1),
        geometry("k3x2s2x1p1x0op1x0_anisotropic", 2, 3, 2, 4, 5, 3, 2, 2, 1, 1, 0, 1, 0),
        geometry("k2x5s1x2p0x2_anisotropic", 2, 3, 4, 5, 4, 2, 5, 1, 2, 0, 2, 0, 1),
        geometry("k7s2p3op1_one_pixel_input", 2, 5, 3, 1, 1, 7, 7, 2, 2, 3, 3, 1, 1),
        geometry("dcec_64to32_7to14", 2, 64, 32, 7, 7, 5, 5, 2, 2, 2, 2, 1, 1),
        geometry("dcec_32to1_14to28", 2, 32, 1, 14, 14, 5, 5, 2, 2, 2, 2, 1, 1),
        geometry("dcec_128to64_3to7", 2, 128, 64, 3, 3, 3, 3, 2, 2, 0, 0, 0, 0));
  }

  private static Arguments geometry(String name, int... g) {
    return Arguments.of(name, g);
  }

  /** Output and the input, weight and bias gradients of {@code sum(y * r)}, r fixed. */
  private static float[][] forwardAndGradients(
      float[] x,
      float[] w,
      float[] b,
      Shape xShape,
      Shape wShape,
      Shape stride,
      Shape padding,
      Shape outputPadding,
      boolean polyphase) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray xa = manager.create(x, xShape);
      NDArray wa = manager.create(w, wShape);
      NDArray ba = manager.create(b, new Shape(b.length));
      xa.setRequiresGradient(true);
      wa.setRequiresGradient(true);
      ba.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y =
            polyphase
                ? ConvTranspose2d.byPolyphase(xa, wa, ba, stride, padding, outputPadding)
                : ConvTranspose2d.byZeroInsertion(xa, wa, ba, stride, padding, outputPadding);
        float[] r = randomFloats(new SplittableRandom(7), (int) y.getShape().size(), 1.0);
        collector.backward(y.mul(manager.create(r, y.getShape())).sum());
        return new float[][] {
          y.toFloatArray(),
          xa.getGradient().toFloatArray(),
          wa.getGradient().toFloatArray(),
          ba.getGradient().toFloatArray()
        };
      }
    }
  }

  /**
   * The DJL memory rule. NDManager has no count method, but {@link NDManager#getManagedArrays()}
   * (public since 0.2x) lists every live array of a manager and its open sub-managers; a closed
   * sub-manager detaches itself from its parent. So: initialise the block in one manager, run 50
   * forwards (eval, and train + backward) each in a closed sub-manager, and require the count in
   * the parameters' manager to stay where it was.
   */
  @Test
  void forwardLeavesNoArraysInParameterManager() {
    for (boolean fast : new boolean[] {false, true}) {
      ConvTranspose2d block =
          Layers.convTranspose(8, fast ? 2 : 3, 2, fast ? 0 : 1, fast ? 0 : 1, true);
      assertEquals(fast, block.usesFastPath());
      Shape inputShape = new Shape(2, 4, 5, 5);
      try (NDManager manager = NDManager.newBaseManager()) {
        block.initialize(manager, DataType.FLOAT32, inputShape);
        ParameterStore store = new ParameterStore(manager, false);
        runForwards(block, store, manager, inputShape, 1); // warm-up: first-use caches, if any
        int before = manager.getManagedArrays().size();
        runForwards(block, store, manager, inputShape, 50);
        int after = manager.getManagedArrays().size();
        assertEquals(before, after, "arrays in the parameters' manager, fast path = " + fast);
        assertEquals(2, before, "weight and bias only");
      }
    }
  }

  /** Control for the leak check: a parameter-first op in the same loop is seen as a leak. */
  @Test
  void leakCheckDetectsParameterFirstExpressions() {
    ConvTranspose2d block = Layers.convTranspose(8, 3, 2, 1, 1, true);
    try (NDManager manager = NDManager.newBaseManager()) {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 5, 5));
      NDArray weight = parameter(block, "weight").getArray();
      int before = manager.getManagedArrays().size();
      for (int i = 0; i < 50; i++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.ones(new Shape(8, 1, 1));
          weight.flip(2, 3).add(x); // parameter first: flip and sum land in the model's manager
        }
      }
      assertEquals(before + 2 * 50, manager.getManagedArrays().size());
    }
  }

  private static void runForwards(
      ConvTranspose2d block, ParameterStore store, NDManager manager, Shape shape, int times) {
    for (int i = 0; i < times; i++) {
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.randomNormal(shape);
        block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
          collector.backward(y.sum());
        }
      }
    }
  }

  @Test
  void parametersRoundTripThroughSaveAndLoad() throws IOException, MalformedModelException {
    Shape inputShape = new Shape(1, 3, 4, 4);
    try (NDManager manager = NDManager.newBaseManager()) {
      ConvTranspose2d saved = Layers.convTranspose(2, 3, 2, 1, 1, true);
      saved.initialize(manager, DataType.FLOAT32, inputShape);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      saved.saveParameters(new DataOutputStream(bytes));
      ConvTranspose2d loaded = Layers.convTranspose(2, 3, 2, 1, 1, true);
      loaded.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(inputShape);
      assertArrayEquals(
          saved.forward(store, new NDList(x), false).head().toFloatArray(),
          loaded.forward(store, new NDList(x), false).head().toFloatArray());
    }
  }

  @Test
  void initialisationFollowsPyTorchDefault() {
    ConvTranspose2d block = Layers.convTranspose(16, 3, 2, 1, 1, true);
    double bound = 1.0 / Math.sqrt(16 * 9); // fan_in = weight.size(1) * kH * kW
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 32, 7, 7));
      assertEquals(new Shape(32, 16, 3, 3), parameter(block, "weight").getShape());
      float[] w = parameter(block, "weight").getArray().toFloatArray();
      float[] b = parameter(block, "bias").getArray().toFloatArray();
      double maxW = 0;
      double sumSq = 0;
      for (float v : w) {
        maxW = Math.max(maxW, Math.abs(v));
        sumSq += v * v;
      }
      for (float v : b) {
        assertTrue(Math.abs(v) <= bound + 1e-7, "bias within bound");
      }
      assertTrue(maxW <= bound + 1e-7, "weight within bound " + bound + ": " + maxW);
      assertTrue(maxW > 0.95 * bound, "weight uses the whole range: " + maxW);
      double rms = Math.sqrt(sumSq / w.length);
      assertEquals(bound / Math.sqrt(3), rms, 0.05 * bound, "uniform RMS");
    }
  }

  @Test
  void builderRejectsUnsupportedSettings() {
    Supplier<ConvTranspose2d.Builder> base =
        () -> ConvTranspose2d.builder().setFilters(4).setKernelShape(new Shape(3, 3));
    assertRejected(() -> base.get().optDilation(new Shape(2, 2)).build(), "dilation");
    assertRejected(() -> base.get().optGroups(2).build(), "groups");
    assertRejected(
        () -> base.get().optStride(new Shape(2, 2)).optOutputPadding(new Shape(2, 0)).build(),
        "outputPadding");
    assertRejected(() -> base.get().optPadding(new Shape(-1, 0)).build(), "padding");
    assertRejected(() -> base.get().setFilters(0).build(), "setFilters");
    assertRejected(() -> base.get().setKernelShape(null).build(), "setKernelShape");
    assertRejected(() -> base.get().setKernelShape(new Shape(3)).build(), "kernelShape");
  }

  private static void assertRejected(Executable build, String mentioned) {
    String message = assertThrows(IllegalArgumentException.class, build).getMessage();
    assertTrue(message.contains(mentioned), message);
  }

  @Test
  void rejectsWrongInputs() {
    ConvTranspose2d block = Layers.convTranspose(4, 3, 2, 1, 1, true);
    assertFalse(block.usesFastPath());
    try (NDManager manager = NDManager.newBaseManager()) {
      String rank =
          assertThrows(
                  IllegalArgumentException.class,
                  () -> block.initialize(manager, DataType.FLOAT32, new Shape(3, 7, 7)))
              .getMessage();
      assertTrue(rank.contains("(N, Cin, H, W)"), rank);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 7, 7));
      ParameterStore store = new ParameterStore(manager, false);
      String channels =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      block.forward(store, new NDList(manager.ones(new Shape(1, 5, 7, 7))), false))
              .getMessage();
      assertTrue(channels.contains("5 channels"), channels);
      ConvTranspose2d tooMuchPadding =
          ConvTranspose2d.builder()
              .setFilters(2)
              .setKernelShape(new Shape(1, 1))
              .optPadding(new Shape(1, 1))
              .build();
      assertThrows(
          IllegalArgumentException.class,
          () -> tooMuchPadding.getOutputShapes(new Shape[] {new Shape(1, 3, 1, 1)}));
    }
  }

  @Test
  void outputShapesFollowPyTorchFormula() {
    Shape out =
        ConvTranspose2d.builder()
            .setFilters(32)
            .setKernelShape(new Shape(3, 3))
            .optStride(new Shape(2, 2))
            .optPadding(new Shape(1, 1))
            .optOutputPadding(new Shape(1, 1))
            .build()
            .getOutputShapes(new Shape[] {new Shape(5, 64, 7, 7)})[0];
    assertArrayEquals(new long[] {5, 32, 14, 14}, out.getShape());
  }

  private static float[] randomFloats(SplittableRandom random, int size, double scale) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return out;
  }

  /** Textbook transposed convolution: every input pixel scatters {@code x * w} into the output. */
  private static float[] scatter(
      float[] x,
      float[] w,
      float[] b,
      int n,
      int cin,
      int cout,
      int h,
      int wd,
      int kh,
      int kw,
      int sh,
      int sw,
      int ph,
      int pw,
      int oph,
      int opw) {
    int ho = (h - 1) * sh - 2 * ph + kh + oph;
    int wo = (wd - 1) * sw - 2 * pw + kw + opw;
    double[] y = new double[n * cout * ho * wo];
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < cout; o++) {
        for (int i = 0; i < ho * wo; i++) {
          y[(s * cout + o) * ho * wo + i] = b[o];
        }
      }
      for (int c = 0; c < cin; c++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < wd; j++) {
            double xv = x[((s * cin + c) * h + i) * wd + j];
            for (int o = 0; o < cout; o++) {
              for (int a = 0; a < kh; a++) {
                int r = i * sh + a - ph;
                if (r < 0 || r >= ho) {
                  continue;
                }
                for (int e = 0; e < kw; e++) {
                  int q = j * sw + e - pw;
                  if (q < 0 || q >= wo) {
                    continue;
                  }
                  y[((s * cout + o) * ho + r) * wo + q] +=
                      xv * w[((c * cout + o) * kh + a) * kw + e];
                }
              }
            }
          }
        }
      }
    }
    float[] out = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = (float) y[i];
    }
    return out;
  }
}
