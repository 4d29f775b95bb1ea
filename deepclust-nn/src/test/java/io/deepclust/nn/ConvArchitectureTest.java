package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer-by-layer form: paper 004's DCAE and paper 001's model, shapes and counts. */
class ConvArchitectureTest {

  static ConvArchitecture read(String yaml) throws Exception {
    return (ConvArchitecture) ArchitectureYamlTest.read(yaml);
  }

  /**
   * Paper 004 (section 3): conv 9x9 1->8 (28->20), conv 9x9 8->4 (20->12), FC 576->250, FC 250->10;
   * decoder FC 10->250, conv-transpose 12x12 250->4 (1->12), 17x17 4->4 (12->28), 1x1 4->1.
   */
  @Test
  void paper004DcaeHasTheHandCountedParameters() throws Exception {
    ConvArchitecture dcae = read(ArchitectureYamlTest.PAPER_004);
    long encoder =
        (1 * 8 * 9 * 9 + 8) // conv1: 656
            + (8 * 4 * 9 * 9 + 4) // conv2: 2,596
            + (4 * 12 * 12 * 250 + 250) // FC 576 -> 250: 144,250
            + (250 * 10 + 10); // FC 250 -> 10: 2,510
    long decoder =
        (10 * 250 + 250) // FC 10 -> 250: 2,750
            + (250 * 4 * 12 * 12 + 4) // conv-transpose 12x12: 144,004
            + (4 * 4 * 17 * 17 + 4) // conv-transpose 17x17: 4,628
            + (4 * 1 * 1 * 1 + 1); // conv-transpose 1x1: 5
    long[] counts = MlpArchitectureTest.countParameters(dcae);
    assertEquals(encoder, counts[0]);
    assertEquals(decoder, counts[1]);
    assertEquals(301_399, counts[0] + counts[1]);
    assertEquals(new Shape(10), dcae.embeddingShape());
    // and PyTorch's own count of the same layers (tools/fixtures/gen_architectures.py)
    try (InputStream in = getClass().getResourceAsStream("/fixtures/architectures.json")) {
      JsonNode torch = new ObjectMapper().readTree(in).get("dcae-004");
      assertEquals(torch.get("encoder_parameters").asLong(), counts[0]);
      assertEquals(torch.get("decoder_parameters").asLong(), counts[1]);
      assertEquals(torch.get("parameters").asLong(), counts[0] + counts[1]);
      assertEquals(10, torch.get("embedding_shape").get(0).asInt());
    }
  }

  @Test
  void paper004DcaeMapsImagesToTenSigmoidsAndBack() throws Exception {
    Engine.getInstance().setRandomSeed(5);
    MlpArchitectureTest.forwardRandomBatch(
        read(ArchitectureYamlTest.PAPER_004),
        3,
        (encoder, decoder, store, x) -> {
          NDArray z = encoder.forward(store, new NDList(x), false).singletonOrThrow();
          assertEquals(new Shape(3, 10), z.getShape());
          assertTrue(z.min().getFloat() > 0f && z.max().getFloat() < 1f, "sigmoid embedding");
          NDArray y = decoder.forward(store, new NDList(z), true).singletonOrThrow();
          assertEquals(x.getShape(), y.getShape());
          assertTrue(y.min().getFloat() > 0f && y.max().getFloat() < 1f, "sigmoid output");
        });
  }

  /** Paper 001's model layer by layer equals the named record, to the parameter and buffer. */
  @Test
  void tripletCae001WrittenLayerByLayerHasThePapersCount() throws Exception {
    ConvArchitecture conv = read(ArchitectureYamlTest.TRIPLET_CAE_001_AS_CONV);
    long[] counts = MlpArchitectureTest.countParameters(conv);
    assertEquals(219_776, counts[0]); // fixtures/architectures.json, from PyTorch
    assertEquals(222_657, counts[1]);
    assertEquals(442_433, counts[0] + counts[1]);
    Engine.getInstance().setRandomSeed(2);
    Shape input = new Shape(3, 1, 28, 28);
    try (NDManager manager = NDManager.newBaseManager()) {
      Block encoder = conv.encoder();
      encoder.initialize(manager, DataType.FLOAT32, input);
      Block decoder = conv.decoder();
      decoder.initialize(manager, DataType.FLOAT32, new Shape(3, 64));
      assertEquals(256, ModelSummary.countBuffers(encoder) + ModelSummary.countBuffers(decoder));
      ParameterStore store = new ParameterStore(manager, false);
      try (NDManager step = manager.newSubManager()) {
        NDArray x = step.randomUniform(0, 1, input);
        NDArray z = encoder.forward(store, new NDList(x), true).singletonOrThrow();
        assertEquals(new Shape(3, 64), z.getShape());
        for (float norm : z.norm(new int[] {1}).toFloatArray()) {
          assertEquals(1f, norm, 1e-5f, "L2-normalised embedding");
        }
        NDArray y = decoder.forward(store, new NDList(z), false).singletonOrThrow();
        assertEquals(input, y.getShape());
      }
    }
  }

  @Test
  void everyLayerTypeBuildsAndInfersItsShape() {
    ConvArchitecture all =
        new ConvArchitecture(
            new Shape(2, 12, 10),
            List.of(
                new LayerSpec.Conv(4, new Size2d(3, 5), null, new Size2d(1, 2), false),
                new LayerSpec.BatchNorm(),
                new LayerSpec.Activation(ActivationFunction.ELU),
                new LayerSpec.MaxPool(Size2d.square(2), null),
                new LayerSpec.LayerNorm(),
                new LayerSpec.Dropout(0.3),
                new LayerSpec.Flatten(),
                new LayerSpec.Linear(6, null),
                new LayerSpec.Activation(ActivationFunction.NONE),
                new LayerSpec.L2Normalize()),
            List.of(
                new LayerSpec.Linear(4 * 6 * 5, true),
                new LayerSpec.Activation(ActivationFunction.LEAKY_RELU),
                new LayerSpec.Reshape(List.of(4, 6, 5)),
                new LayerSpec.ConvTranspose(
                    2, Size2d.square(2), Size2d.square(2), null, null, null),
                new LayerSpec.Activation(ActivationFunction.TANH)),
            WeightInit.XAVIER_NORMAL,
            true);
    assertEquals(new Shape(6), all.embeddingShape());
    long encoder =
        (2 * 4 * 3 * 5) // conv, no bias
            + 2 * 4 // batch_norm
            + 2 * (4 * 6 * 5) // layer_norm over (4, 6, 5)
            + (120 * 6 + 6); // linear
    long decoder = (6 * 120 + 120) + (4 * 2 * 2 * 2 + 2);
    long[] counts = MlpArchitectureTest.countParameters(all);
    assertEquals(encoder, counts[0]);
    assertEquals(decoder, counts[1]);
    assertNotSame(all.encoder(), all.encoder());
    assertTrue(all.description().contains("conv 4, kernel [3, 5], stride 1, padding [1, 2]"));
  }

  @Test
  void shapeErrorsNameTheLayer() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ConvArchitecture(
                    null,
                    List.of(new LayerSpec.MaxPool(Size2d.square(2), null)),
                    List.of(
                        new LayerSpec.ConvTranspose(
                            1, Size2d.square(2), Size2d.square(2), null, null, null),
                        new LayerSpec.Flatten(),
                        new LayerSpec.Reshape(List.of(1, 28, 28)),
                        new LayerSpec.Conv(1, Size2d.square(29), null, null, null)),
                    null,
                    null));
    assertTrue(
        e.getMessage().startsWith("decoder.3: kernel: 29 is larger than the input's height 28"),
        e.getMessage());
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ConvArchitecture(
                    new Shape(1, 4, 4),
                    List.of(
                        new LayerSpec.Flatten(),
                        new LayerSpec.Reshape(List.of(16, 1, 1)),
                        new LayerSpec.ConvTranspose(
                            1, Size2d.square(1), null, Size2d.square(1), null, null)),
                    List.of(new LayerSpec.Flatten()),
                    null,
                    null));
    assertTrue(
        negative.getMessage().startsWith("encoder.2: padding: 1 leaves an output of -1"),
        negative.getMessage());
  }
}
