package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DenseConv}'s forms and the layers of paper 004's network against PyTorch ({@code
 * tools/fixtures/gen_fast_conv.py}: forward and the gradients w.r.t. input, weight and bias), the
 * dispatch rule, and flat native memory over many short epochs.
 */
class DenseConvTest {

  private static final String FIXTURE = "/fixtures/fast_conv.json";
  private static JsonNode fixture;

  private static synchronized JsonNode fixture() {
    if (fixture == null) {
      try (InputStream in = DenseConvTest.class.getResourceAsStream(FIXTURE)) {
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

  /** Float32 sums of up to ~650 terms: 1e-5 relative to the largest magnitude, at least 1e-5. */
  private static double check(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 1;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
    }
    assertTrue(max <= 1e-5 * scale, what + ": max |diff| " + max + " > " + 1e-5 * scale);
    return max;
  }

  interface Layer {
    NDArray apply(NDArray x, NDArray w, NDArray b);
  }

  /** Runs {@code layer} on the case's operands and checks y, dx, dW and db against PyTorch. */
  private static void checkAgainstFixture(JsonNode c, String label, Layer layer) {
    Shape inputShape = shape(c.get("inputShape"));
    Shape outputShape = shape(c.get("outputShape"));
    long cin = c.get("inChannels").asLong();
    long cout = c.get("outChannels").asLong();
    long k = c.get("kernel").get(0).asLong();
    boolean conv = c.get("kind").asText().equals("conv");
    Shape weightShape = conv ? new Shape(cout, cin, k, k) : new Shape(cin, cout, k, k);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(floats(c.get("input")), inputShape);
      NDArray w = manager.create(floats(c.get("weight")), weightShape);
      NDArray b = manager.create(floats(c.get("biasValues")), new Shape(cout));
      NDArray r = manager.create(floats(c.get("r")), outputShape);
      for (NDArray a : new NDArray[] {x, w, b}) {
        a.setRequiresGradient(true);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = layer.apply(x, w, b);
        assertEquals(outputShape, y.getShape());
        collector.backward(y.mul(r).sum());
        String name = c.get("name").asText() + " " + label;
        double dy = check(floats(c.get("output")), y.toFloatArray(), name + " y");
        double dx = check(floats(c.get("gradInput")), x.getGradient().toFloatArray(), name + " dx");
        double dw =
            check(floats(c.get("gradWeight")), w.getGradient().toFloatArray(), name + " dW");
        double db = check(floats(c.get("gradBias")), b.getGradient().toFloatArray(), name + " db");
        System.out.printf(
            "%-44s max|diff| y %.2e  dx %.2e  dW %.2e  db %.2e%n", name, dy, dx, dw, db);
      }
    }
  }

  /** The kernel-sized forms themselves, on the transposed convolutions of the fixture. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("caseNames")
  void kernelSizedFormsMatchPyTorch(String name) {
    JsonNode c = fixtureCase(name);
    if (c.get("kind").asText().equals("conv")) {
      return; // convolutions run on PaddedConv2d (next test)
    }
    Shape sample = shape(c.get("inputShape")).slice(1);
    Shape kernel = shape(c.get("kernel"));
    long cout = c.get("outChannels").asLong();
    long[] index = DenseConv.rowBandIndex(sample, cout, kernel);
    Shape indexShape =
        new Shape(sample.get(0) * sample.get(2), index.length / (sample.get(0) * sample.get(2)));
    checkAgainstFixture(
        c,
        "rows",
        (x, w, b) ->
            DenseConv.convTransposeByRows(
                x, w, b, x.getManager().create(index, indexShape), new Shape(0, 0)));
    if (sample.get(1) == 1 && sample.get(2) == 1) {
      checkAgainstFixture(c, "pixel", DenseConv::convTransposeOfPixel);
    }
  }

  /**
   * The row form against the zero-padded correlation ({@code ConvTranspose2d.byZeroInsertion}, the
   * general form) on random shapes with padding, bias and batch: output and all gradients.
   */
  @Test
  void rowFormMatchesTheGeneralFormWithPadding() {
    java.util.Random random = new java.util.Random(7);
    Shape one = new Shape(1, 1);
    Shape zero = new Shape(0, 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int t = 0; t < 24; t++) {
        int cin = 1 + random.nextInt(5);
        int cout = 1 + random.nextInt(5);
        int h = 1 + random.nextInt(6);
        int wd = 1 + random.nextInt(6);
        int kh = h + random.nextInt(6);
        int kw = wd + random.nextInt(6);
        int ph = random.nextInt((kh + h - 2) / 2 + 1);
        int pw = random.nextInt((kw + wd - 2) / 2 + 1);
        Shape padding = new Shape(ph, pw);
        Shape sample = new Shape(cin, h, wd);
        long[] index = DenseConv.rowBandIndex(sample, cout, new Shape(kh, kw));
        NDArray x = manager.randomNormal(new Shape(3, cin, h, wd));
        NDArray w = manager.randomNormal(new Shape(cin, cout, kh, kw));
        NDArray b = manager.randomNormal(new Shape(cout));
        float[][] rows;
        float[][] general;
        try (NDManager step = manager.newSubManager()) {
          NDArray indexArray = step.create(index, new Shape(cin * wd, index.length / (cin * wd)));
          rows =
              gradients(
                  step,
                  x,
                  w,
                  b,
                  (xs, ws, bs) -> DenseConv.convTransposeByRows(xs, ws, bs, indexArray, padding));
        }
        try (NDManager step = manager.newSubManager()) {
          general =
              gradients(
                  step,
                  x,
                  w,
                  b,
                  (xs, ws, bs) -> ConvTranspose2d.byZeroInsertion(xs, ws, bs, one, padding, zero));
        }
        String what =
            "Cin "
                + cin
                + " Cout "
                + cout
                + " map "
                + h
                + "x"
                + wd
                + " kernel "
                + kh
                + "x"
                + kw
                + " padding "
                + padding;
        for (int i = 0; i < 4; i++) {
          check(general[i], rows[i], what + " part " + i);
        }
      }
    }
  }

  /** y, dx, dW, db of {@code sum(layer(x, w, b) * sin(y))}, with fresh copies of the operands. */
  private static float[][] gradients(
      NDManager step, NDArray x0, NDArray w0, NDArray b0, Layer layer) {
    NDArray x = x0.duplicate();
    NDArray w = w0.duplicate();
    NDArray b = b0.duplicate();
    for (NDArray a : new NDArray[] {x, w, b}) {
      a.attach(step);
      a.setRequiresGradient(true);
    }
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray y = layer.apply(x, w, b);
      collector.backward(y.mul(y.sin()).sum());
      return new float[][] {
        y.toFloatArray(),
        x.getGradient().toFloatArray(),
        w.getGradient().toFloatArray(),
        b.getGradient().toFloatArray()
      };
    }
  }

  /**
   * What the network runs: PaddedConv2d (DJL's Conv2d padded to whole channel blocks; with DJL's
   * own the input gradient of these layers is wrong on AVX-512 machines), or ConvTranspose2d with
   * its automatic choice.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("caseNames")
  void networkLayerMatchesPyTorch(String name) {
    JsonNode c = fixtureCase(name);
    if (c.get("kind").asText().equals("conv")) {
      Shape one = new Shape(1, 1);
      checkAgainstFixture(
          c,
          "PaddedConv2d",
          (x, w, b) -> PaddedConv2d.convolve(x, w, b, one, new Shape(0, 0), one, 1));
      return;
    }
    Shape one = new Shape(1, 1);
    Shape zero = new Shape(0, 0);
    checkAgainstFixture(
        c,
        "ConvTranspose2d",
        (x, w, b) -> ConvTranspose2d.convTranspose2d(x, w, b, one, zero, zero).singletonOrThrow());
  }

  @Test
  void dispatchRuleChoosesTheKernelSizedFormsOnlyForMapsNoLargerThanTheKernel() {
    // Paper 004: the decoder's 1x1 -> 12x12 (250 channels) and 12x12 -> 28x28 layers.
    assertTrue(
        Layers.convTranspose(4, 12, 1, 0, 0, true).usesKernelSizedForm(new Shape(100, 250, 1, 1)));
    assertTrue(
        Layers.convTranspose(4, 17, 1, 0, 0, true).usesKernelSizedForm(new Shape(100, 4, 12, 12)));
    // ... the 1x1 kernel over 28x28 maps is not (784 pixels > 1 tap): depth-to-space.
    assertFalse(
        Layers.convTranspose(1, 1, 1, 0, 0, true).usesKernelSizedForm(new Shape(100, 4, 28, 28)));
    // DCEC's 128 -> 64, 3x3 -> 7x7 layer (stride 2) takes the polyphase form instead.
    assertFalse(
        Layers.convTranspose(64, 3, 2, 0, 0, true).usesKernelSizedForm(new Shape(256, 128, 3, 3)));
    // Kernels smaller than the map: 784 and 400 pixels > 81 taps.
    assertFalse(DenseConv.isWorthIt(new Shape(1, 28, 28), 8, new Shape(9, 9)));
    assertFalse(DenseConv.isWorthIt(new Shape(8, 20, 20), 4, new Shape(9, 9)));
    // Too large a band index: 256 channels of 16x16 -> 256 x 31x31 has 5.2e8 entries.
    assertFalse(DenseConv.isWorthIt(new Shape(256, 16, 16), 256, new Shape(16, 16)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DenseConv.rowBandIndex(new Shape(256, 16, 16), 256, new Shape(16, 16)));
    assertTrue(e.getMessage().contains("MAX_OPERATOR_ENTRIES"), e.getMessage());
  }

  /**
   * Paper 004's decoder (FC 10 -> 250, 1x1 -> 12x12 and 12x12 -> 28x28 dense transposed
   * convolutions, 1x1 to one map) trained for many short epochs through a Trainer with one
   * sub-manager per step, as the training loop does: the model's manager holds the same arrays
   * after every epoch (weights, optimizer state and the two cached operator indices) and the
   * process's resident memory stays flat.
   */
  @Test
  void manyShortEpochsKeepNativeMemoryFlat() throws Exception {
    ConvArchitecture dcae = ConvArchitectureTest.read(ArchitectureYamlTest.PAPER_004);
    Block decoder = dcae.decoder();
    Shape input = new Shape(20, 10);
    int epochs = 60;
    int stepsPerEpoch = 3;
    int[] live = new int[epochs];
    long[] rss = new long[epochs];
    try (Model model = Model.newInstance("dcae004-decoder")) {
      model.setBlock(decoder);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(
                  Optimizer.sgd()
                      .setLearningRateTracker(Tracker.fixed(0.006f))
                      .optMomentum(0.9f)
                      .optWeightDecays(5e-4f)
                      .build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(input);
        for (int epoch = 0; epoch < epochs; epoch++) {
          for (int s = 0; s < stepsPerEpoch; s++) {
            try (NDManager step = trainer.getManager().newSubManager()) {
              NDArray z = step.randomUniform(0f, 1f, input);
              NDArray target = step.randomUniform(0f, 1f, new Shape(20, 1, 28, 28));
              try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray y = trainer.forward(new NDList(z)).singletonOrThrow();
                collector.backward(y.sub(target).square().mean());
              }
              trainer.step();
            }
          }
          live[epoch] = liveResources(model.getNDManager());
          rss[epoch] = rssKb();
        }
      }
    }
    System.out.printf(
        "dcae004 decoder, %d epochs: live arrays %d -> %d, RSS %d -> %d kB%n",
        epochs, live[1], live[epochs - 1], rss[1], rss[epochs - 1]);
    assertEquals(live[1], live[epochs - 1], "arrays under the model's manager after each epoch");
    if (rss[1] > 0) {
      long growth = rss[epochs - 1] - rss[epochs / 2];
      assertTrue(growth < 32 * 1024, "RSS grew by " + growth + " kB over the last half");
    }
  }

  private static final Pattern COUNT = Pattern.compile("resource count: (\\d+)");

  /** Live arrays and sub-managers under {@code manager}, recursively, from {@code debugDump}. */
  private static synchronized int liveResources(NDManager manager) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      ((BaseNDManager) manager).debugDump(0);
    } finally {
      System.setOut(old);
    }
    Matcher m = COUNT.matcher(buf.toString(StandardCharsets.UTF_8));
    int sum = 0;
    while (m.find()) {
      sum += Integer.parseInt(m.group(1));
    }
    return sum;
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
