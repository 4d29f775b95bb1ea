package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer-by-layer autoencoder ({@code type: conv}): the encoder and the decoder are lists of
 * {@link LayerSpec}s ({@code conv}, {@code conv_transpose}, {@code max_pool}, {@code linear},
 * {@code flatten}, {@code reshape}, {@code batch_norm}, {@code layer_norm}, {@code dropout}, {@code
 * activation}, {@code l2_normalize}), applied in order. The encoder maps {@code (N, C, H, W)} to
 * the embedding {@code (N, embeddingShape...)}; the decoder maps the embedding back to {@code (N,
 * C, H, W)}.
 *
 * <p>Shapes are inferred when the record is built, so a layer that cannot take its input (a kernel
 * larger than the image, a {@code linear} on an unflattened image, a {@code reshape} of the wrong
 * size) or a decoder whose output is not {@code input_shape} is an {@link IllegalArgumentException}
 * naming the layer, e.g. {@code decoder.3: kernel: 9 is larger than the input's height 8 ...}.
 *
 * <p>Examples (tested): paper 004's DCAE (sigmoid throughout; conv 9x9 8, conv 9x9 4, flatten,
 * linear 250, linear 10; decoder linear 250, reshape {@code [250, 1, 1]}, conv_transpose 12x12 4,
 * conv_transpose 17x17 4, conv_transpose 1x1 1; Xavier with zero biases), 301,399 parameters; paper
 * 001's Triplet-CNN-AE ({@link Architectures.TripletCae001}) written layer by layer, 442,433.
 *
 * @param inputShape image shape {@code [C, H, W]}, positive sizes; default {@code [1, 28, 28]}
 * @param encoderLayers YAML {@code encoder}: the encoder's layers, at least one; required
 * @param decoderLayers YAML {@code decoder}: the decoder's layers, at least one, ending at {@code
 *     input_shape}; required (end with {@code {type: activation, name: sigmoid}} for the binary
 *     cross-entropy loss)
 * @param init initial weights ({@link WeightInit}); default {@code pytorch}
 * @param zeroBias start biases at 0; default false
 */
public record ConvArchitecture(
    @JsonDeserialize(using = ShapeJson.Reader.class) @JsonSerialize(using = ShapeJson.Writer.class)
        Shape inputShape,
    @JsonProperty("encoder") List<LayerSpec> encoderLayers,
    @JsonProperty("decoder") List<LayerSpec> decoderLayers,
    WeightInit init,
    Boolean zeroBias)
    implements Architecture {

  /** The {@code type} of this form in a recipe. */
  public static final String TYPE = "conv";

  /** Fills the defaults, checks every field and infers the shapes through both halves. */
  public ConvArchitecture {
    inputShape = inputShape == null ? new Shape(1, 28, 28) : inputShape;
    MlpArchitecture.checkImageShape(inputShape);
    encoderLayers = layers("encoder", encoderLayers);
    decoderLayers = layers("decoder", decoderLayers);
    init = init == null ? WeightInit.PYTORCH : init;
    zeroBias = zeroBias == null ? Boolean.FALSE : zeroBias;
    Shape embedding = infer("encoder", encoderLayers, inputShape);
    Shape output = infer("decoder", decoderLayers, embedding);
    if (!output.equals(inputShape)) {
      throw new IllegalArgumentException(
          "decoder: its output "
              + ShapeJson.yaml(output)
              + " differs from input_shape "
              + ShapeJson.yaml(inputShape)
              + "; the last layers must give C = "
              + inputShape.get(0)
              + " maps of "
              + inputShape.get(1)
              + " x "
              + inputShape.get(2));
    }
  }

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public String description() {
    return "Conv autoencoder "
        + ShapeJson.yaml(inputShape)
        + " -> "
        + ShapeJson.yaml(embeddingShape())
        + ": encoder "
        + describe(encoderLayers)
        + "; decoder "
        + describe(decoderLayers)
        + (init != WeightInit.PYTORCH || zeroBias
            ? "; init " + init.yamlName() + (zeroBias ? " (zero bias)" : "")
            : "");
  }

  /** The encoder's output shape for one sample. */
  @Override
  public Shape embeddingShape() {
    return infer("encoder", encoderLayers, inputShape);
  }

  /** {@code (N, C, H, W) -> (N, embeddingShape...)}, a new block on every call. */
  @Override
  public Block encoder() {
    return init.apply(build(encoderLayers, inputShape), zeroBias);
  }

  /** {@code (N, embeddingShape...) -> (N, C, H, W)}, a new block on every call. */
  @Override
  public Block decoder() {
    return init.apply(build(decoderLayers, embeddingShape()), zeroBias);
  }

  private static SequentialBlock build(List<LayerSpec> layers, Shape input) {
    SequentialBlock block = new SequentialBlock();
    Shape shape = input;
    for (LayerSpec layer : layers) {
      block.add(layer.build(shape));
      shape = layer.outputShape(shape);
    }
    return block;
  }

  private static List<LayerSpec> layers(String field, List<LayerSpec> layers) {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException(
          field
              + ": required, a list of at least one layer, e.g. [{type: conv, filters: 32,"
              + " kernel: 3}, {type: activation, name: relu}]");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new IllegalArgumentException(
            field + "." + i + ": empty layer; give its type, e.g. {type: flatten}");
      }
    }
    return List.copyOf(layers);
  }

  /** Output shape of {@code layers} for {@code input}; errors name {@code field.index}. */
  private static Shape infer(String field, List<LayerSpec> layers, Shape input) {
    Shape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      try {
        shape = layers.get(i).outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + "." + i + ": " + e.getMessage(), e);
      }
    }
    return shape;
  }

  private static String describe(List<LayerSpec> layers) {
    List<String> parts = new ArrayList<>();
    for (LayerSpec layer : layers) {
      parts.add(layer.description());
    }
    return "[" + String.join("; ", parts) + "]";
  }
}
