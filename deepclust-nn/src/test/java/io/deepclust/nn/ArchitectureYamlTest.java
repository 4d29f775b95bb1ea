package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * YAML recipe snippets bound onto {@link Architecture} with the recipe mapper's settings: snake
 * case, unknown keys rejected, no scalar coercion ({@code "12"} is not an int), no float-as-int.
 */
class ArchitectureYamlTest {

  /** The settings of the lead's recipe mapper. */
  static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          // write "type: mlp" rather than a YAML tag "!<mlp>"
          .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
          .build();

  static final String PAPER_003 =
      """
      type: mlp
      dims: [784, 512, 256, 128, 64, 128]
      norm: layer
      dropout: 0.2
      decoder_norm: none
      decoder_dropout: 0
      embedding_activation: relu
      """;

  static final String PAPER_004 =
      """
      type: conv
      input_shape: [1, 28, 28]
      init: xavier_uniform
      zero_bias: true
      encoder:
        - {type: conv, filters: 8, kernel: 9}
        - {type: activation, name: sigmoid}
        - {type: conv, filters: 4, kernel: 9}
        - {type: activation, name: sigmoid}
        - {type: flatten}
        - {type: linear, units: 250}
        - {type: activation, name: sigmoid}
        - {type: linear, units: 10}
        - {type: activation, name: sigmoid}
      decoder:
        - {type: linear, units: 250}
        - {type: activation, name: sigmoid}
        - {type: reshape, shape: [250, 1, 1]}
        - {type: conv_transpose, filters: 4, kernel: 12}
        - {type: activation, name: sigmoid}
        - {type: conv_transpose, filters: 4, kernel: 17}
        - {type: activation, name: sigmoid}
        - {type: conv_transpose, filters: 1, kernel: 1}
        - {type: activation, name: sigmoid}
      """;

  static final String TRIPLET_CAE_001_AS_CONV =
      """
      type: conv
      encoder:
        - {type: conv, filters: 32, kernel: 3, stride: 2, padding: 1}
        - {type: batch_norm}
        - {type: activation, name: relu}
        - {type: conv, filters: 64, kernel: 3, stride: 2, padding: 1}
        - {type: batch_norm}
        - {type: activation, name: relu}
        - {type: flatten}
        - {type: linear, units: 64}
        - {type: l2_normalize}
      decoder:
        - {type: linear, units: 3136}
        - {type: activation, name: relu}
        - {type: reshape, shape: [64, 7, 7]}
        - {type: conv_transpose, filters: 32, kernel: 3, stride: 2, padding: 1, output_padding: 1}
        - {type: batch_norm}
        - {type: activation, name: relu}
        - {type: conv_transpose, filters: 1, kernel: 3, stride: 2, padding: 1, output_padding: 1}
        - {type: activation, name: sigmoid}
      """;

  static Architecture read(String yaml) throws Exception {
    return MAPPER.readValue(yaml, Architecture.class);
  }

  @Test
  void bindsTheNamedArchitecturesWithDefaultsForMissingKeys() throws Exception {
    assertEquals(Architectures.CaeBn000.defaults(), read("type: cae-bn-000"));
    assertEquals(
        new Architectures.CaeBn000(3, 32, 28),
        read("{type: cae-bn-000, in_channels: 3, height: 32}"));
    Architecture triplet = read("type: triplet-cae-001\nembedding_dim: 32\nnormalize: false\n");
    assertEquals(new Architectures.TripletCae001(32, false, 1, 28, 28), triplet);
    assertEquals(new Shape(32), triplet.embeddingShape());
    assertEquals(Architectures.TripletCae001.defaults(), read("type: triplet-cae-001"));
  }

  @Test
  void bindsTheMlpForm() throws Exception {
    Architecture mlp = read(PAPER_003);
    assertEquals(MlpArchitecture.paper003(), mlp);
    assertEquals(MlpArchitecture.paper002(), read("{type: mlp, dims: [784, 128, 64]}"));
    assertEquals(
        MlpArchitecture.dec(),
        read("{type: mlp, dims: [784, 500, 500, 2000, 10], output_activation: none}"));
    MlpArchitecture rgb =
        (MlpArchitecture)
            read(
                """
                type: mlp
                dims: [3072, 256, 32]
                decoder_dims: [32, 512, 3072]
                activation: leaky_relu
                norm: batch
                input_shape: [3, 32, 32]
                init: xavier_normal
                """);
    assertEquals(List.of(32, 512, 3072), rgb.decoderDims());
    assertEquals(ActivationFunction.LEAKY_RELU, rgb.activation());
    assertEquals(Normalization.BATCH, rgb.decoderNorm());
    assertEquals(new Shape(3, 32, 32), rgb.inputShape());
    assertEquals(WeightInit.XAVIER_NORMAL, rgb.init());
    assertEquals(false, rgb.zeroBias());
  }

  @Test
  void bindsTheConvForm() throws Exception {
    ConvArchitecture dcae = (ConvArchitecture) read(PAPER_004);
    assertEquals(new Shape(10), dcae.embeddingShape());
    assertEquals(9, dcae.decoderLayers().size());
    assertEquals(
        new LayerSpec.Conv(8, Size2d.square(9), Size2d.square(1), Size2d.square(0), true),
        dcae.encoderLayers().get(0));
    assertEquals(WeightInit.XAVIER_UNIFORM, dcae.init());
    assertTrue(dcae.zeroBias());
    ConvArchitecture triplet = (ConvArchitecture) read(TRIPLET_CAE_001_AS_CONV);
    assertEquals(new Shape(64), triplet.embeddingShape());
    ConvArchitecture rect =
        (ConvArchitecture)
            read(
                """
                type: conv
                input_shape: [1, 28, 28]
                encoder:
                  - {type: conv, filters: 2, kernel: [3, 5], padding: [1, 2]}
                  - {type: max_pool, kernel: 2}
                  - {type: dropout}
                decoder:
                  - {type: conv_transpose, filters: 1, kernel: 2, stride: 2}
                """);
    assertEquals(new Shape(2, 14, 14), rect.embeddingShape());
    assertEquals(
        new LayerSpec.Conv(2, new Size2d(3, 5), Size2d.square(1), new Size2d(1, 2), true),
        rect.encoderLayers().get(0));
    assertEquals(new LayerSpec.Dropout(0.5), rect.encoderLayers().get(2));
  }

  /** Writing a bound architecture and reading it back gives the same record, defaults filled. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "type: cae-bn-000",
        "{type: triplet-cae-001, embedding_dim: 16}",
        "{type: mlp, dims: [784, 128, 64]}",
        "{type: conv, encoder: [{type: conv, filters: 2, kernel: [3, 5], padding: [1, 2]}],"
            + " decoder: [{type: conv, filters: 1, kernel: [3, 5], padding: [1, 2]}]}"
      })
  void roundTrips(String yaml) throws Exception {
    Architecture architecture = read(yaml);
    String written = MAPPER.writeValueAsString(architecture);
    assertTrue(written.contains("type: "), written);
    assertEquals(architecture, read(written), written);
  }

  @Test
  void roundTripsThePaperForms() throws Exception {
    for (String yaml : List.of(PAPER_003, PAPER_004, TRIPLET_CAE_001_AS_CONV)) {
      Architecture architecture = read(yaml);
      String written = MAPPER.writeValueAsString(architecture);
      assertEquals(architecture, read(written), written);
    }
  }

  @Test
  void aQuotedNumberIsNotAnInteger() {
    assertRejectedAt("{type: triplet-cae-001, embedding_dim: \"12\"}", "embedding_dim");
    assertRejectedAt("{type: mlp, dims: [\"784\", 10]}", "dims");
    assertRejectedAt("{type: mlp, dims: [784, 10], input_shape: [1, \"28\", 28]}", "input_shape");
    assertRejectedAt(
        "{type: conv, encoder: [{type: conv, filters: 8, kernel: \"9\"}], decoder: []}", "kernel");
    assertRejectedAt("{type: triplet-cae-001, normalize: \"false\"}", "normalize");
    assertRejectedAt("{type: cae-bn-000, height: 28.0}", "height");
    assertRejectedAt(
        "{type: conv, encoder: [{type: conv, filters: 8, kernel: 9.0}], decoder: []}", "kernel");
    assertRejectedAt(
        "{type: conv, encoder: [{type: conv, filters: 8, kernel: [3, 3, 3]}], decoder: []}",
        "kernel");
  }

  @Test
  void anUnknownKeyIsRejectedByName() {
    UnrecognizedPropertyException e =
        assertThrows(
            UnrecognizedPropertyException.class,
            () -> read("{type: triplet-cae-001, embedding_size: 12}"));
    assertEquals("embedding_size", e.getPropertyName());
    assertTrue(e.getMessage().contains("embedding_dim"), e.getMessage());
    UnrecognizedPropertyException layer =
        assertThrows(
            UnrecognizedPropertyException.class,
            () ->
                read(
                    "{type: conv, encoder: [{type: flatten, units: 3}],"
                        + " decoder: [{type: reshape, shape: [1, 28, 28]}]}"));
    assertEquals("units", layer.getPropertyName());
    assertEquals("encoder[0].units", path(layer));
    // "name" is not a key: the type is.
    assertThrows(
        UnrecognizedPropertyException.class, () -> read("{type: mlp, dims: [784, 10], name: x}"));
    assertThrows(
        UnrecognizedPropertyException.class,
        () -> read("{type: cae-bn-000, description: x, embedding_shape: [1], encoder: []}"));
  }

  @Test
  void anUnknownTypeListsTheKnownOnes() {
    InvalidTypeIdException e =
        assertThrows(InvalidTypeIdException.class, () -> read("type: cae-000"));
    assertTrue(
        e.getMessage().contains("cae-bn-000")
            && e.getMessage().contains("triplet-cae-001")
            && e.getMessage().contains("mlp")
            && e.getMessage().contains("conv"),
        e.getMessage());
    InvalidTypeIdException layer =
        assertThrows(
            InvalidTypeIdException.class,
            () -> read("{type: conv, encoder: [{type: dense, units: 3}], decoder: []}"));
    assertTrue(layer.getMessage().contains("conv_transpose"), layer.getMessage());
    MismatchedInputException activation =
        assertThrows(
            MismatchedInputException.class,
            () -> read("{type: mlp, dims: [784, 10], activation: relux}"));
    assertEquals("activation", path(activation));
    assertTrue(activation.getMessage().contains("leaky_relu"), activation.getMessage());
  }

  @Test
  void anInvalidValueIsRejectedWithTheFieldFirst() {
    assertInvalid("{type: triplet-cae-001, embedding_dim: 0}", "embedding_dim: ");
    assertInvalid("{type: cae-bn-000, height: 30}", "height: 30 is not a positive multiple of 4");
    assertInvalid("{type: mlp, dims: [784]}", "dims: need at least 2 sizes (input and embedding");
    assertInvalid("{type: mlp, dims: [784, 0]}", "dims: every size must be a positive integer");
    assertInvalid("{type: mlp}", "dims: required");
    assertInvalid("{type: mlp, dims: [784, 10], dropout: 1.0}", "dropout: must be in [0, 1)");
    assertInvalid("{type: mlp, dims: [500, 10]}", "dims: the input size 500 must equal");
    assertInvalid("{type: mlp, dims: [784, 10], input_shape: [784]}", "input_shape: ");
    assertInvalid("{type: mlp, dims: [784, 10], decoder_dims: [10, 783]}", "decoder_dims: ");
    assertInvalid(
        "{type: conv, encoder: [{type: conv, filters: 0, kernel: 3}], decoder: []}",
        "filters: must be at least 1, got 0");
    assertInvalid("{type: conv, encoder: [{type: linear}], decoder: []}", "units: required");
    assertInvalid(
        "{type: conv, encoder: [{type: conv_transpose, filters: 1, kernel: 3, output_padding:"
            + " 1}], decoder: []}",
        "output_padding: 1 must be smaller than the stride 1");
    assertInvalid("{type: conv, encoder: [{type: flatten}]}", "decoder: required");
    assertInvalid(
        "{type: conv, encoder: [{type: conv, filters: 8, kernel: 40}],"
            + " decoder: [{type: flatten}]}",
        "encoder.0: kernel: 40 is larger than the input's height 28");
    assertInvalid(
        "{type: conv, encoder: [{type: linear, units: 8}], decoder: [{type: flatten}]}",
        "encoder.0: linear needs a flat input");
    assertInvalid(
        "{type: conv, encoder: [{type: flatten}, {type: linear, units: 8}],"
            + " decoder: [{type: linear, units: 784}, {type: reshape, shape: [1, 28, 27]}]}",
        "decoder.1: shape: [1, 28, 27] holds 756 values but the input (784) has 784");
    assertInvalid(
        "{type: conv, encoder: [{type: flatten}], decoder: [{type: reshape, shape: [4, 14,"
            + " 14]}]}",
        "decoder: its output [4, 14, 14] differs from input_shape [1, 28, 28]");
  }

  /** Jackson wraps the constructor's IllegalArgumentException; its message starts with the key. */
  private static void assertInvalid(String yaml, String messageStart) {
    ValueInstantiationException e =
        assertThrows(ValueInstantiationException.class, () -> read(yaml), yaml);
    IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(
        cause.getMessage().startsWith(messageStart),
        "expected '" + messageStart + "...' but got '" + cause.getMessage() + "'");
  }

  private static void assertRejectedAt(String yaml, String field) {
    MismatchedInputException e =
        assertThrows(MismatchedInputException.class, () -> read(yaml), yaml);
    assertTrue(path(e).contains(field), yaml + " -> " + path(e) + ": " + e.getMessage());
  }

  /** {@code encoder[0].units}: the JSON path of a mapping error. */
  static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .substring(1);
  }
}
