package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed top of a run folder's {@code config.json}: {@code {"recipe": {...}, "overrides": [...],
 * "provenance": {...}, "engine": {...}}}. The recipe is the resolved recipe in the YAML's
 * snake_case schema; the report reads a few of its fields by those names and shows the rest
 * verbatim.
 *
 * @param recipe the resolved recipe (an object), or a missing node
 * @param overrides the command-line overrides in the order given
 * @param provenance versions, machine and commit ({@link Provenance#collect()}), or a missing node
 * @param engine the deep learning engine's facts (name, version, device, threads), or a missing
 *     node
 * @param command the command that wrote the folder, where an earlier version recorded it (its
 *     {@code baseline} command), else ""
 */
record RunConfig(
    JsonNode recipe, List<String> overrides, JsonNode provenance, JsonNode engine, String command) {

  /** The configuration of a folder without a readable {@code config.json}. */
  static final RunConfig EMPTY =
      new RunConfig(
          MissingNode.getInstance(),
          List.of(),
          MissingNode.getInstance(),
          MissingNode.getInstance(),
          "");

  /** Reads the parts of a parsed {@code config.json} object; absent parts become empty. */
  static RunConfig of(JsonNode root) {
    List<String> overrides = new ArrayList<>();
    for (JsonNode o : root.path("overrides")) {
      overrides.add(o.asText());
    }
    return new RunConfig(
        root.path("recipe"),
        List.copyOf(overrides),
        root.path("provenance"),
        root.path("engine"),
        text(root, "command"));
  }

  /** The recipe's {@code name}, or "". */
  String name() {
    return text(recipe, "name");
  }

  /**
   * Whether the folder holds a baseline: a recipe without a model, nothing trained (what {@code
   * deepclust baseline} runs, e.g. {@code kmeans-baselines}), or a folder an earlier version's
   * baseline command marked so.
   */
  boolean isBaseline() {
    return command.equals("baseline") || (recipe.isObject() && !recipe.path("model").isObject());
  }

  /** The scalar at {@code key} below {@code node} as text, or "" when absent or null. */
  static String text(JsonNode node, String key) {
    JsonNode v = node.path(key);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }
}
