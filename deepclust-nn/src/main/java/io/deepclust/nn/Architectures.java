package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named autoencoder architectures of the reproduced papers, as typed records of the {@link
 * Architecture} family (recipe {@code type: cae-bn-000} / {@code type: triplet-cae-001}).
 *
 * <table>
 *   <caption>Known architectures (parameter counts for the default input {@code (1, 28, 28)})</caption>
 *   <tr><th>name</th><th>paper</th><th>embedding</th><th>parameters</th></tr>
 *   <tr><td>{@value #CAE_BN_000}</td><td>000, CAE + BN</td><td>{@code (256, 7, 7)}</td>
 *       <td>572,033 (PyTorch's count)</td></tr>
 *   <tr><td>{@value #TRIPLET_CAE_001}</td><td>001, Triplet-CNN-AE</td><td>{@code (64)},
 *       L2-normalised</td><td>442,433 (the paper's)</td></tr>
 * </table>
 *
 * <p>Record components are boxed so that a missing recipe key ({@code null}) takes the documented
 * default; an invalid value is an {@link IllegalArgumentException} whose message starts with the
 * key, e.g. {@code height: 30 is not a positive multiple of 4 ...}. Other settings are built with
 * the records' constructors (e.g. {@code new TripletCae001(10, false, null, null, null)}) or bound
 * from a recipe by Jackson (see {@link Architecture}).
 *
 * <p>{@link #names()} lists only these named paper architectures, the ones {@link #create(String)}
 * builds with defaults. The generic layer-list forms, {@code type: mlp} ({@link MlpArchitecture})
 * and {@code type: conv} ({@link ConvArchitecture}), have no defaults (their {@code dims} or {@code
 * encoder}/{@code decoder} layers are required) and are not listed.
 */
public final class Architectures {

  /** Paper 000's convolutional autoencoder with BatchNorm. */
  public static final String CAE_BN_000 = "cae-bn-000";

  /** Paper 001's Triplet-CNN-AE (phase-1 autoencoder). */
  public static final String TRIPLET_CAE_001 = "triplet-cae-001";

  private static final Map<String, Supplier<Architecture>> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put(CAE_BN_000, CaeBn000::defaults);
    DEFAULTS.put(TRIPLET_CAE_001, TripletCae001::defaults);
  }

  private Architectures() {}

  /**
   * The named paper architectures, {@code [cae-bn-000, triplet-cae-001]}: the names {@link
   * #create(String)} accepts. The layer-list forms {@code mlp} and {@code conv} are not among them.
   */
  public static List<String> names() {
    return List.copyOf(DEFAULTS.keySet());
  }

  /**
   * The named architecture with every parameter at its default.
   *
   * @param name one of {@link #names()}
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  public static Architecture create(String name) {
    Supplier<Architecture> defaults = name == null ? null : DEFAULTS.get(name);
    if (defaults == null) {
      throw new IllegalArgumentException(
          "Unknown architecture '"
              + name
              + "'; known architectures: "
              + String.join(", ", names())
              + " (the layer-list forms are written in a recipe as type: mlp or type: conv)");
    }
    return defaults.get();
  }

  /**
   * Paper 000 ("Deep Autoencoder-Based Feature Learning for Enhanced Unsupervised Clustering of
   * MNIST", section II.B). Encoder: Conv 3x3 32 (pad 1) + BN + ReLU + MaxPool 2; Conv 3x3 64 + BN +
   * ReLU + MaxPool 2; Conv 3x3 128 + BN + ReLU; Conv 3x3 256 + BN + ReLU, so {@code (N, C, H, W) ->
   * (N, 256, H/4, W/4)}. Decoder: ConvTranspose 2x2 s2 128 + BN + ReLU; ConvTranspose 2x2 s2 64 +
   * BN + ReLU; Conv 3x3 32 + BN + ReLU; Conv 3x3 C + Sigmoid. Convolutions carry biases, as in
   * {@code torch.nn}.
   *
   * @param inChannels image channels {@code C} ({@code in_channels}), at least 1; default 1
   * @param height image height, a positive multiple of 4; default 28
   * @param width image width, a positive multiple of 4; default 28
   */
  public record CaeBn000(Integer inChannels, Integer height, Integer width)
      implements Architecture {

    /** Fills the defaults and validates the geometry. */
    public CaeBn000 {
      inChannels = inChannels == null ? 1 : inChannels;
      height = height == null ? 28 : height;
      width = width == null ? 28 : width;
      Checks.atLeast("in_channels", inChannels, 1);
      requireMultipleOf4("height", height);
      requireMultipleOf4("width", width);
    }

    /** MNIST: {@code (1, 28, 28)}. */
    public static CaeBn000 defaults() {
      return new CaeBn000(1, 28, 28);
    }

    @Override
    public String name() {
      return CAE_BN_000;
    }

    @Override
    public String description() {
      return "Paper 000 CAE: 4 x (Conv3x3+BN+ReLU) 32-64-128-256 with 2 max-pools -> (256, H/4,"
          + " W/4); decoder 2 x (ConvT2x2 s2+BN+ReLU) 128-64, Conv3x3 32+BN+ReLU, Conv3x3 "
          + inChannels
          + " + Sigmoid";
    }

    @Override
    public Shape inputShape() {
      return new Shape(inChannels, height, width);
    }

    /** {@code (256, H/4, W/4)}. */
    @Override
    public Shape embeddingShape() {
      return new Shape(256, height / 4, width / 4);
    }

    @Override
    public Block encoder() {
      return new SequentialBlock()
          .add(Layers.convBnRelu(32, 3, 1, 1))
          .add(Pool.maxPool2dBlock(new Shape(2, 2)))
          .add(Layers.convBnRelu(64, 3, 1, 1))
          .add(Pool.maxPool2dBlock(new Shape(2, 2)))
          .add(Layers.convBnRelu(128, 3, 1, 1))
          .add(Layers.convBnRelu(256, 3, 1, 1));
    }

    @Override
    public Block decoder() {
      return new SequentialBlock()
          .add(Layers.convTransposeBnRelu(128, 2, 2, 0, 0))
          .add(Layers.convTransposeBnRelu(64, 2, 2, 0, 0))
          .add(Layers.convBnRelu(32, 3, 1, 1))
          .add(Layers.conv(inChannels, 3, 1, 1, true))
          .add(Activation.sigmoidBlock());
    }
  }

  /**
   * Paper 001 ("Unsupervised Deep Clustering of MNIST with Triplet-Enhanced Convolutional
   * Autoencoders", section III.A/B), the phase-1 autoencoder. Encoder: Conv 3x3 s2 p1 32 + BN +
   * ReLU; Conv 3x3 s2 p1 64 + BN + ReLU; flatten; Linear {@code 64*H/4*W/4 -> embeddingDim};
   * optional L2 normalisation ({@code F.normalize}). Decoder: Linear {@code embeddingDim ->
   * 64*H/4*W/4} + ReLU; reshape to {@code (64, H/4, W/4)}; ConvTranspose 3x3 s2 p1 op1 32 + BN +
   * ReLU; ConvTranspose 3x3 s2 p1 op1 C + Sigmoid. 442,433 parameters for the defaults, the paper's
   * count.
   *
   * @param embeddingDim latent size ({@code embedding_dim}), at least 1; default 64
   * @param normalize L2-normalise the embedding; default true
   * @param inChannels image channels {@code C} ({@code in_channels}), at least 1; default 1
   * @param height image height, a positive multiple of 4; default 28
   * @param width image width, a positive multiple of 4; default 28
   */
  public record TripletCae001(
      Integer embeddingDim, Boolean normalize, Integer inChannels, Integer height, Integer width)
      implements Architecture {

    /** Fills the defaults and validates the sizes. */
    public TripletCae001 {
      embeddingDim = embeddingDim == null ? 64 : embeddingDim;
      normalize = normalize == null ? Boolean.TRUE : normalize;
      inChannels = inChannels == null ? 1 : inChannels;
      height = height == null ? 28 : height;
      width = width == null ? 28 : width;
      Checks.atLeast("embedding_dim", embeddingDim, 1);
      Checks.atLeast("in_channels", inChannels, 1);
      requireMultipleOf4("height", height);
      requireMultipleOf4("width", width);
    }

    /** The paper's model: 64-d normalised embedding of {@code (1, 28, 28)} images. */
    public static TripletCae001 defaults() {
      return new TripletCae001(64, true, 1, 28, 28);
    }

    @Override
    public String name() {
      return TRIPLET_CAE_001;
    }

    @Override
    public String description() {
      return "Paper 001 Triplet-CNN-AE: 2 x (Conv3x3 s2+BN+ReLU) 32-64, Linear -> "
          + embeddingDim
          + (normalize ? " (L2-normalised)" : "")
          + "; decoder Linear+ReLU, 2 x ConvT3x3 s2 (BN+ReLU, then Sigmoid)";
    }

    @Override
    public Shape inputShape() {
      return new Shape(inChannels, height, width);
    }

    /** {@code (embeddingDim)}. */
    @Override
    public Shape embeddingShape() {
      return new Shape(embeddingDim);
    }

    private Shape bottleneck() {
      return new Shape(64, height / 4, width / 4);
    }

    @Override
    public Block encoder() {
      SequentialBlock encoder =
          new SequentialBlock()
              .add(Layers.convBnRelu(32, 3, 2, 1))
              .add(Layers.convBnRelu(64, 3, 2, 1))
              .add(new Reshape(new Shape(bottleneck().size())))
              .add(Layers.linear(embeddingDim, true));
      if (normalize) {
        encoder.add(new L2Normalize());
      }
      return encoder;
    }

    @Override
    public Block decoder() {
      return new SequentialBlock()
          .add(Layers.linear(Math.toIntExact(bottleneck().size()), true))
          .add(Activation.reluBlock())
          .add(new Reshape(bottleneck()))
          .add(Layers.convTransposeBnRelu(32, 3, 2, 1, 1))
          .add(Layers.convTranspose(inChannels, 3, 2, 1, 1, true))
          .add(Activation.sigmoidBlock());
    }
  }

  private static void requireMultipleOf4(String key, int value) {
    if (value < 4 || value % 4 != 0) {
      throw new IllegalArgumentException(
          key
              + ": "
              + value
              + " is not a positive multiple of 4 (the model halves it twice and doubles it"
              + " twice); resize or pad the images");
    }
  }
}
