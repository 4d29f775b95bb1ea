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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
        assertThrows(
                IllegalArgumentException.class, () -> Architectures.create("cae-000", Map.of()))
            .getMessage();
    assertTrue(
        message.contains("'cae-000'") && message.contains("cae-bn-000, triplet-cae-001"), message);
    assertThrows(IllegalArgumentException.class, () -> Architectures.create(null, Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cae-bn-000", "triplet-cae-001"})
  void parameterCountsMatchPyTorch(String name) {
    JsonNode expected = fixture().get(name);
    Architecture architecture = Architectures.create(name, Map.of());
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
    Architecture architecture = Architectures.create("triplet-cae-001", Map.of());
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
    Architecture architecture = Architectures.create(name, Map.of());
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
    Architecture architecture = Architectures.create("cae-bn-000", null);
    assertNotSame(architecture.encoder(), architecture.encoder());
    assertNotSame(architecture.decoder(), architecture.decoder());
    assertFalse(architecture.description().isBlank());
  }

  @Test
  void parametersAreParsedAndChecked() {
    Architecture small =
        Architectures.create("triplet-cae-001", Map.of("embedding_dim", 10, "normalize", "false"));
    assertEquals(new Architectures.TripletCae001(10, false, 1, 28, 28), small);
    Architecture rgb =
        Architectures.create(
            "cae-bn-000", Map.of("in_channels", 3L, "height", 32.0, "width", "16"));
    assertEquals(new Shape(3, 32, 16), rgb.inputShape());
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

    String unknown =
        assertThrows(
                IllegalArgumentException.class,
                () -> Architectures.create("cae-bn-000", Map.of("embedding_dim", 8)))
            .getMessage();
    assertTrue(
        unknown.contains("'embedding_dim'") && unknown.contains("height, in_channels, width"),
        unknown);
    String notInt =
        assertThrows(
                IllegalArgumentException.class,
                () -> Architectures.create("triplet-cae-001", Map.of("embedding_dim", 6.5)))
            .getMessage();
    assertTrue(notInt.contains("embedding_dim") && notInt.contains("integer"), notInt);
    String notBool =
        assertThrows(
                IllegalArgumentException.class,
                () -> Architectures.create("triplet-cae-001", Map.of("normalize", "yes")))
            .getMessage();
    assertTrue(notBool.contains("normalize"), notBool);
    String badSize =
        assertThrows(
                IllegalArgumentException.class,
                () -> Architectures.create("cae-bn-000", Map.of("height", 30)))
            .getMessage();
    assertTrue(badSize.contains("height") && badSize.contains("multiple of 4"), badSize);
  }
}
