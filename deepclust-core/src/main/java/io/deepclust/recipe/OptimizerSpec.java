package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.deepclust.train.OptimizerConfig;

/**
 * A recipe's optimizer, chosen by {@code type}; its state continues from one training phase to the
 * next. Adding one: a record implementing this interface, its optimizer in {@code
 * io.deepclust.train}, and one line in {@link JsonSubTypes} below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AdamSpec.class, name = "adam"),
  @JsonSubTypes.Type(value = SgdSpec.class, name = "sgd"),
})
public sealed interface OptimizerSpec permits AdamSpec, SgdSpec {

  /** The training loop's optimizer settings. */
  OptimizerConfig build();

  /** {@code weight_decay}: default 0, else a finite value at least 0. */
  static double weightDecay(Double value) {
    double v = Checks.orDefault(value, 0.0);
    Checks.require(
        v >= 0 && Double.isFinite(v), "weight_decay", "use 0 or a positive decay, got " + v);
    return v;
  }
}
