package io.deepclust.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A named autoencoder architecture: an encoder {@code (N, inputShape...) -> embedding} and a
 * decoder {@code embedding -> (N, inputShape...)} whose last layer is a sigmoid (outputs in {@code
 * (0, 1)}, for inputs scaled to {@code [0, 1]}). Instances are immutable configurations; get them
 * from {@link Architectures#create}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Architectures.CaeBn000.class, name = Architectures.CAE_BN_000),
  @JsonSubTypes.Type(
      value = Architectures.TripletCae001.class,
      name = Architectures.TRIPLET_CAE_001),
})
public interface Architecture {

  /** Registry name, e.g. {@code cae-bn-000}. */
  String name();

  /** One line: what the model is and where it comes from. */
  String description();

  /** Shape of one input sample without the batch axis, e.g. {@code (1, 28, 28)}. */
  Shape inputShape();

  /**
   * A new, uninitialised encoder block on every call (never shared), with PyTorch's default
   * initialisation attached to its Linear / Conv layers.
   */
  Block encoder();

  /** A new, uninitialised decoder block on every call (never shared), likewise initialised. */
  Block decoder();
}
