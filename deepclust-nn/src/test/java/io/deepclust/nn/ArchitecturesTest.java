package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Architectures against PyTorch's own parameter counts (fixture from {@code
 * tools/fixtures/gen_architectures.py}) and end-to-end shapes.
 */
class ArchitecturesTest {

  private static JsonNode fixture() {
    try (InputStream in =
        ArchitecturesTest.class.getResourceAsStream("/fixtures/architectures.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void registryListsBothAndRejectsUnknownNamesWithTheList() {
    assertEquals(List.of("cae-bn-000", "triplet-cae-001"), Architectures.names());
    String message =
        assertThrows(IllegalArgumentException.class, () -> Architectures.create("cae-000"))
            .getMessage();
    assertTrue(
        message.contains("'cae-000'") && message.contains("cae-bn-000, triplet-cae-001"), message);
    assertThrows(IllegalArgumentException.class, () -> Architectures.create(null));
  }

  /**
   * The layer-list forms have no defaults, so they are not named: the message says how to write
   * them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mlp", "conv"})
  void layerListFormsAreNotNamed(String type) {
    assertFalse(Architectures.names().contains(type));
    String message =
        assertThrows(IllegalArgumentException.class, () -> Architectures.create(type)).getMessage();
    assertTrue(message.contains("type: mlp or type: conv"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cae-bn-000", "triplet-cae-001"})
  void parameterCountsMatchPyTorch(String name) {
    JsonNode expected = fixture().get(name);
    Architecture architecture = Architectures.create(name);
    assertEquals(name, architecture.name());
    assertEquals(new Shape(1, 28, 28), architecture.inputShape());
    Block encoder = architecture.encoder();
    Block decoder = architecture.decoder();
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape input = new Shape(2).addAll(architecture.inputShape());
      encoder.initialize(manager, DataType.FLOAT32, input);
      Shape embedding = encoder.getOutputShapes(new Shape[] {input})[0];
      decoder.initialize(manager, DataType.FLOAT32, embedding);
      assertEquals(
          expected.get("embedding_shape").toString(),
          embedding.slice(1).toString().replace("(", "[").replace(")", "]").replace(", ", ","));
      assertEquals(input, decoder.getOutputShapes(new Shape[] {embedding})[0]);
      assertEquals(embedding.slice(1), architecture.embeddingShape());
      long encoderParams = ModelSummary.countParameters(encoder);
      long decoderParams = ModelSummary.countParameters(decoder);
      assertEquals(expected.get("encoder_parameters").asLong(), encoderParams);
      assertEquals(expected.get("decoder_parameters").asLong(), decoderParams);
      assertEquals(expected.get("parameters").asLong(), encoderParams + decoderParams);
      assertEquals(
          expected.get("buffers").asLong(),
          ModelSummary.countBuffers(encoder) + ModelSummary.countBuffers(decoder));
    }
  }

  @Test
  void tripletCaeHasThePapersParameterCount() {
    Architecture architecture = Architectures.create("triplet-cae-001");
    try (NDManager manager = NDManager.newBaseManager()) {
      Block encoder = architecture.encoder();
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
      Block decoder = architecture.decoder();
      decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 64));
      assertEquals(
          442_433, ModelSummary.countParameters(encoder) + ModelSummary.countParameters(decoder));
    }
  }

  /** (N,1,28,28) -> embedding -> (N,1,28,28) in (0,1), in training and inference mode. */
  @ParameterizedTest
  @ValueSource(strings = {"cae-bn-000", "triplet-cae-001"})
  void mapsImagesToEmbeddingsAndBack(String name) {
    Engine.getInstance().setRandomSeed(3);
    Architecture architecture = Architectures.create(name);
    Block encoder = architecture.encoder();
    Block decoder = architecture.decoder();
    Shape input = new Shape(3, 1, 28, 28);
    try (NDManager manager = NDManager.newBaseManager()) {
      encoder.initialize(manager, DataType.FLOAT32, input);
      decoder.initialize(manager, DataType.FLOAT32, encoder.getOutputShapes(new Shape[] {input}));
      ParameterStore store = new ParameterStore(manager, false);
      int before = manager.getManagedArrays().size();
      for (boolean training : new boolean[] {false, true}) {
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.randomUniform(0, 1, input);
          NDArray z = encoder.forward(store, new NDList(x), training).singletonOrThrow();
          assertEquals(3, z.getShape().get(0));
          if (name.equals("triplet-cae-001")) {
            assertEquals(new Shape(3, 64), z.getShape());
            float[] norms = z.norm(new int[] {1}).toFloatArray();
            for (float norm : norms) {
              assertEquals(1f, norm, 1e-5f, "L2-normalised embedding");
            }
          } else {
            assertEquals(new Shape(3, 256, 7, 7), z.getShape());
          }
          NDArray y = decoder.forward(store, new NDList(z), training).singletonOrThrow();
          assertEquals(input, y.getShape());
          assertTrue(y.min().getFloat() > 0f && y.max().getFloat() < 1f, "sigmoid range");
        }
      }
      assertEquals(before, manager.getManagedArrays().size(), "no arrays leak into the model");
    }
  }

  @Test
  void createByNameGivesTheDefaults() {
    assertEquals(Architectures.CaeBn000.defaults(), Architectures.create("cae-bn-000"));
    assertEquals(Architectures.TripletCae001.defaults(), Architectures.create("triplet-cae-001"));
    assertEquals(
        new Architectures.TripletCae001(null, null, null, null, null),
        Architectures.TripletCae001.defaults());
    assertTrue(
        Architectures.create("triplet-cae-001").description().startsWith("Paper 001"),
        "description says what it is");
  }

  @Test
  void newBlocksOnEveryCall() {
    Architecture architecture = Architectures.create("cae-bn-000");
    assertNotSame(architecture.encoder(), architecture.encoder());
    assertNotSame(architecture.decoder(), architecture.decoder());
    assertFalse(architecture.description().isBlank());
  }

  @Test
  void typedRecordsTakeOtherSettings() {
    Architecture small = new Architectures.TripletCae001(10, false, null, null, null);
    assertEquals(new Architectures.TripletCae001(10, false, 1, 28, 28), small);
    assertEquals(new Shape(10), small.embeddingShape());
    Architecture rgb = new Architectures.CaeBn000(3, 32, 16);
    assertEquals(new Shape(3, 32, 16), rgb.inputShape());
    assertEquals(new Shape(256, 8, 4), rgb.embeddingShape());
    try (NDManager manager = NDManager.newBaseManager()) {
      Block encoder = rgb.encoder();
      Shape input = new Shape(2, 3, 32, 16);
      encoder.initialize(manager, DataType.FLOAT32, input);
      Shape[] z = encoder.getOutputShapes(new Shape[] {input});
      assertEquals(new Shape(2, 256, 8, 4), z[0]);
      Block decoder = rgb.decoder();
      decoder.initialize(manager, DataType.FLOAT32, z);
      assertEquals(input, decoder.getOutputShapes(z)[0]);
      Block smallEncoder = small.encoder();
      smallEncoder.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 28, 28));
      assertEquals(
          new Shape(2, 10), smallEncoder.getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0]);
    }
  }

  /** The constructors validate; the message starts with the recipe key. */
  @Test
  void invalidValuesAreRejectedWithTheKeyFirst() {
    assertMessageStarts(
        "height: 30 is not a positive multiple of 4",
        () -> new Architectures.CaeBn000(null, 30, null));
    assertMessageStarts("width: 0 is not", () -> new Architectures.CaeBn000(1, 28, 0));
    assertMessageStarts("in_channels: ", () -> new Architectures.CaeBn000(0, null, null));
    assertMessageStarts(
        "embedding_dim: ", () -> new Architectures.TripletCae001(0, null, null, null, null));
    assertMessageStarts(
        "height: 26 is not", () -> new Architectures.TripletCae001(null, null, null, 26, null));
  }

  /**
   * Recipes bind the records directly, under one set of rules: what the removed map form accepted
   * leniently (numeric strings, {@code "false"}, whole floats) or reported itself (unknown keys) is
   * now a Jackson error naming the field.
   */
  @Test
  void recipesBindTheRecordsStrictly() throws Exception {
    assertEquals(
        new Architectures.TripletCae001(10, false, null, null, null),
        ArchitectureYamlTest.read("{type: triplet-cae-001, embedding_dim: 10, normalize: false}"));
    assertEquals(
        new Architectures.CaeBn000(3, 32, 16),
        ArchitectureYamlTest.read("{type: cae-bn-000, in_channels: 3, height: 32, width: 16}"));
    for (String yaml :
        List.of(
            "{type: cae-bn-000, width: \"16\"}",
            "{type: cae-bn-000, height: 32.0}",
            "{type: triplet-cae-001, embedding_dim: 6.5}",
            "{type: triplet-cae-001, normalize: \"false\"}",
            "{type: triplet-cae-001, normalize: \"yes\"}")) {
      assertThrows(MismatchedInputException.class, () -> ArchitectureYamlTest.read(yaml), yaml);
    }
    UnrecognizedPropertyException unknown =
        assertThrows(
            UnrecognizedPropertyException.class,
            () -> ArchitectureYamlTest.read("{type: cae-bn-000, embedding_dim: 8}"));
    assertEquals("embedding_dim", unknown.getPropertyName());
    assertTrue(
        unknown.getMessage().contains("in_channels") && unknown.getMessage().contains("height"),
        unknown.getMessage());
  }

  private static void assertMessageStarts(String start, Executable constructor) {
    String message = assertThrows(IllegalArgumentException.class, constructor).getMessage();
    assertTrue(message.startsWith(start), "expected '" + start + "...' but got '" + message + "'");
  }
}
