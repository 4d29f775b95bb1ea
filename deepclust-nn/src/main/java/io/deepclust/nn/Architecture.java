package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An autoencoder architecture: an encoder {@code (N, inputShape...) -> (N, embeddingShape...)} and
 * a decoder back to {@code (N, inputShape...)}. Instances are immutable, validated records: the
 * named paper models ({@link Architectures}) and two generic forms, {@link MlpArchitecture} and
 * {@link ConvArchitecture}.
 *
 * <p>In a recipe the implementation is chosen by {@code type}, and the other keys bind to the
 * record's components (snake case), e.g.
 *
 * <pre>{@code
 * type: triplet-cae-001
 * embedding_dim: 32
 * }</pre>
 *
 * <table>
 *   <caption>Types</caption>
 *   <tr><th>{@code type}</th><th>record</th></tr>
 *   <tr><td>{@code cae-bn-000}</td><td>{@link Architectures.CaeBn000}</td></tr>
 *   <tr><td>{@code triplet-cae-001}</td><td>{@link Architectures.TripletCae001}</td></tr>
 *   <tr><td>{@code mlp}</td><td>{@link MlpArchitecture}</td></tr>
 *   <tr><td>{@code conv}</td><td>{@link ConvArchitecture}</td></tr>
 * </table>
 *
 * <p>A missing key takes the documented default; an invalid value is an {@link
 * IllegalArgumentException} from the record's constructor whose message starts with the key, e.g.
 * {@code dims: need at least 2 sizes (input and embedding), got [784]} (Jackson wraps it in a
 * {@code ValueInstantiationException}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Architectures.CaeBn000.class, name = Architectures.CAE_BN_000),
  @JsonSubTypes.Type(
      value = Architectures.TripletCae001.class,
      name = Architectures.TRIPLET_CAE_001),
  @JsonSubTypes.Type(value = MlpArchitecture.class, name = MlpArchitecture.TYPE),
  @JsonSubTypes.Type(value = ConvArchitecture.class, name = ConvArchitecture.TYPE),
})
public interface Architecture {

  /** The recipe {@code type}, e.g. {@code cae-bn-000} or {@code mlp}. */
  String name();

  /** One line: what the model is and where it comes from. */
  String description();

  /** Shape of one input sample without the batch axis, e.g. {@code (1, 28, 28)}. */
  Shape inputShape();

  /** Shape of one embedding without the batch axis, e.g. {@code (10)} or {@code (256, 7, 7)}. */
  Shape embeddingShape();

  /**
   * A new, uninitialised encoder block on every call (never shared), with the architecture's
   * initializers (PyTorch's default unless told otherwise) attached to its Linear / Conv layers.
   */
  Block encoder();

  /** A new, uninitialised decoder block on every call (never shared), likewise initialised. */
  Block decoder();
}
