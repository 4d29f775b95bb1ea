package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A fully connected autoencoder ({@code type: mlp}): the encoder flattens {@code (N, C, H, W)} to
 * {@code (N, dims[0])} and applies {@code nn.Linear(dims[i], dims[i+1])} layers; the decoder
 * applies {@code nn.Linear(decoderDims[i], decoderDims[i+1])} layers and reshapes {@code (N,
 * dims[0])} back to {@code (N, C, H, W)}. The embedding is {@code (N, dims[last])}.
 *
 * <p>Every hidden layer (all but the last of each half) is {@code Linear -> norm -> activation ->
 * dropout}, the order of paper 003 (section VI.B: "layer normalization ... before the activation
 * function and dropout"); the encoder's last layer is {@code Linear -> embedding_activation}, the
 * decoder's last {@code Linear -> output_activation}. Dropout acts only in training forwards (DJL's
 * {@code Dropout} passes the {@code training} flag to {@code torch::dropout}).
 *
 * <p>Recipes of the papers, with their parameter counts (all tested):
 *
 * <ul>
 *   <li>paper 002: {@code dims: [784, 128, 64]} (ReLU, linear embedding, sigmoid output): 218,192;
 *   <li>paper 003: {@code dims: [784, 512, 256, 128, 64, 128], norm: layer, dropout: 0.2,
 *       embedding_activation: relu, decoder_norm: none, decoder_dropout: 0}: 1,168,016. The paper's
 *       table I counts 1,169,296 with 10 x 128 cluster centres (1,280), so the autoencoder holds
 *       exactly the ten Linear layers plus four LayerNorms of 512, 256, 128 and 64 features
 *       (1,920), all in the encoder: the decoder (128-64-128-256-512-784, the mirror) has no
 *       LayerNorm, and section VI.A says dropout is "not applied in the decoder pathway". The
 *       embedding layer 64 -> 128 has ReLU only;
 *   <li>DEC (Xie et al. 2016, "Unsupervised Deep Embedding for Clustering Analysis"): {@code dims:
 *       [784, 500, 500, 2000, 10], output_activation: none}: 3,330,794.
 * </ul>
 *
 * @param dims encoder sizes, input first and embedding last, e.g. {@code [784, 500, 500, 2000,
 *     10]}; at least 2, all positive, {@code dims[0] = C * H * W}; required
 * @param decoderDims decoder sizes, embedding first and {@code dims[0]} last; default {@code dims}
 *     reversed (the mirror)
 * @param activation activation of the hidden layers of both halves; default {@code relu}
 * @param norm normalisation of the encoder's hidden layers ({@code none}, {@code batch}, {@code
 *     layer}); default {@code none}
 * @param dropout dropout rate of the encoder's hidden layers, in {@code [0, 1)}; default 0
 * @param decoderNorm normalisation of the decoder's hidden layers; default {@code norm}
 * @param decoderDropout dropout rate of the decoder's hidden layers, in {@code [0, 1)}; default
 *     {@code dropout}
 * @param embeddingActivation activation of the embedding; default {@code none} (DEC's embedding is
 *     linear; paper 003 uses {@code relu})
 * @param outputActivation activation of the reconstruction; default {@code sigmoid} (outputs in
 *     {@code (0, 1)}, needed by the binary cross-entropy loss); DEC uses {@code none} with the MSE
 * @param inputShape image shape {@code [C, H, W]}, positive sizes whose product is {@code dims[0]};
 *     default {@code [1, 28, 28]}
 * @param init initial weights ({@link WeightInit}); default {@code pytorch}
 * @param zeroBias start biases at 0; default false (PyTorch's default bias)
 */
public record MlpArchitecture(
    List<Integer> dims,
    List<Integer> decoderDims,
    ActivationFunction activation,
    Normalization norm,
    Double dropout,
    Normalization decoderNorm,
    Double decoderDropout,
    ActivationFunction embeddingActivation,
    ActivationFunction outputActivation,
    @JsonDeserialize(using = ShapeJson.Reader.class) @JsonSerialize(using = ShapeJson.Writer.class)
        Shape inputShape,
    WeightInit init,
    Boolean zeroBias)
    implements Architecture {

  /** The {@code type} of this form in a recipe. */
  public static final String TYPE = "mlp";

  /** Fills the defaults and checks every field (messages start with the field's YAML name). */
  public MlpArchitecture {
    dims =
        Checks.sizes(
            "dims", dims, 2, "input and embedding, e.g. [784, 500, 500, 2000, 10] for DEC");
    inputShape = inputShape == null ? new Shape(1, 28, 28) : inputShape;
    checkImageShape(inputShape);
    if (inputShape.size() != dims.get(0)) {
      throw new IllegalArgumentException(
          "dims: the input size "
              + dims.get(0)
              + " must equal the product of input_shape "
              + ShapeJson.yaml(inputShape)
              + " = "
              + inputShape.size()
              + " (the flattened image); set dims[0] or input_shape to match");
    }
    if (decoderDims == null) {
      List<Integer> mirror = new ArrayList<>(dims);
      Collections.reverse(mirror);
      decoderDims = List.copyOf(mirror);
    } else {
      decoderDims =
          Checks.sizes("decoder_dims", decoderDims, 2, "embedding first, input size last");
      int embedding = dims.get(dims.size() - 1);
      if (decoderDims.get(0) != embedding
          || !decoderDims.get(decoderDims.size() - 1).equals(dims.get(0))) {
        throw new IllegalArgumentException(
            "decoder_dims: "
                + decoderDims
                + " must start at the embedding size "
                + embedding
                + " and end at the input size "
                + dims.get(0)
                + " (dims "
                + dims
                + "); omit it to mirror dims");
      }
    }
    activation = activation == null ? ActivationFunction.RELU : activation;
    norm = norm == null ? Normalization.NONE : norm;
    dropout = dropout == null ? 0.0 : dropout;
    Checks.probability("dropout", dropout);
    decoderNorm = decoderNorm == null ? norm : decoderNorm;
    decoderDropout = decoderDropout == null ? dropout : decoderDropout;
    Checks.probability("decoder_dropout", decoderDropout);
    embeddingActivation =
        embeddingActivation == null ? ActivationFunction.NONE : embeddingActivation;
    outputActivation = outputActivation == null ? ActivationFunction.SIGMOID : outputActivation;
    init = init == null ? WeightInit.PYTORCH : init;
    zeroBias = zeroBias == null ? Boolean.FALSE : zeroBias;
  }

  /**
   * {@code dims} with every other field at its default (ReLU, no norm, no dropout, linear
   * embedding, sigmoid output, {@code (1, 28, 28)} input, PyTorch init).
   */
  public static MlpArchitecture of(List<Integer> dims) {
    return new MlpArchitecture(
        dims, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Paper 002's autoencoder, 784-128-64 (218,192 parameters). */
  public static MlpArchitecture paper002() {
    return of(List.of(784, 128, 64));
  }

  /** Paper 003's autoencoder (1,168,016 parameters; see the class comment). */
  public static MlpArchitecture paper003() {
    return new MlpArchitecture(
        List.of(784, 512, 256, 128, 64, 128),
        null,
        ActivationFunction.RELU,
        Normalization.LAYER,
        0.2,
        Normalization.NONE,
        0.0,
        ActivationFunction.RELU,
        ActivationFunction.SIGMOID,
        null,
        null,
        null);
  }

  /** DEC's autoencoder, 784-500-500-2000-10, linear embedding and output (3,330,794 parameters). */
  public static MlpArchitecture dec() {
    return new MlpArchitecture(
        List.of(784, 500, 500, 2000, 10),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ActivationFunction.NONE,
        null,
        null,
        null);
  }

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public String description() {
    StringBuilder sb = new StringBuilder("MLP autoencoder ");
    sb.append(join(dims)).append(" / ").append(join(decoderDims));
    sb.append(", ").append(activation.yamlName());
    if (norm != Normalization.NONE || decoderNorm != Normalization.NONE) {
      sb.append(", norm ").append(norm.name().toLowerCase(Locale.ROOT));
      if (decoderNorm != norm) {
        sb.append(" (decoder ").append(decoderNorm.name().toLowerCase(Locale.ROOT)).append(')');
      }
    }
    if (dropout > 0 || decoderDropout > 0) {
      sb.append(", dropout ").append(dropout);
      if (!decoderDropout.equals(dropout)) {
        sb.append(" (decoder ").append(decoderDropout).append(')');
      }
    }
    sb.append(", embedding ").append(embeddingActivation.yamlName());
    sb.append(", output ").append(outputActivation.yamlName());
    sb.append(", input ").append(ShapeJson.yaml(inputShape));
    if (init != WeightInit.PYTORCH || zeroBias) {
      sb.append(", init ").append(init.yamlName()).append(zeroBias ? " (zero bias)" : "");
    }
    return sb.toString();
  }

  /** {@code (dims[last])}. */
  @Override
  public Shape embeddingShape() {
    return new Shape(dims.get(dims.size() - 1));
  }

  /** {@code (N, C, H, W) -> (N, dims[last])}, a new block on every call. */
  @Override
  public Block encoder() {
    SequentialBlock encoder = new SequentialBlock().add(new Reshape(new Shape(dims.get(0))));
    addLayers(encoder, dims, norm, dropout, embeddingActivation);
    return init.apply(encoder, zeroBias);
  }

  /** {@code (N, dims[last]) -> (N, C, H, W)}, a new block on every call. */
  @Override
  public Block decoder() {
    SequentialBlock decoder = new SequentialBlock();
    addLayers(decoder, decoderDims, decoderNorm, decoderDropout, outputActivation);
    decoder.add(new Reshape(inputShape));
    return init.apply(decoder, zeroBias);
  }

  private void addLayers(
      SequentialBlock block,
      List<Integer> sizes,
      Normalization hiddenNorm,
      double hiddenDropout,
      ActivationFunction last) {
    for (int i = 1; i < sizes.size(); i++) {
      block.add(Layers.linear(sizes.get(i), true));
      boolean hidden = i < sizes.size() - 1;
      Block norm = hidden ? hiddenNorm.block() : null;
      if (norm != null) {
        block.add(norm);
      }
      Block activation = hidden ? this.activation.block() : last.block();
      if (activation != null) {
        block.add(activation);
      }
      if (hidden && hiddenDropout > 0) {
        block.add(Dropout.builder().optRate((float) hiddenDropout).build());
      }
    }
  }

  static void checkImageShape(Shape inputShape) {
    if (inputShape.dimension() != 3
        || inputShape.get(0) < 1
        || inputShape.get(1) < 1
        || inputShape.get(2) < 1) {
      throw new IllegalArgumentException(
          "input_shape: need three positive sizes [C, H, W], got "
              + ShapeJson.yaml(inputShape)
              + "; write e.g. input_shape: [1, 28, 28] for MNIST");
    }
  }

  private static String join(List<Integer> sizes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sizes.size(); i++) {
      sb.append(i == 0 ? "" : "-").append(sizes.get(i));
    }
    return sb.toString();
  }
}
