package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads recipes: the ones shipped in the jar ({@code /recipes/<name>.yaml}, listed in {@code
 * /recipes/index.txt}), any YAML file, or a run folder's {@code config.json} (whose {@code recipe}
 * is the resolved recipe, so that {@code deepclust run runs/X/config.json} repeats run X). {@code
 * key=value} overrides such as {@code training.phases.0.epochs=2} are applied before binding.
 *
 * <p>Binding is strict: an unknown key is an error (with "did you mean" when a known key is close),
 * a value of the wrong kind is an error ({@code "12"} is not a number), and every component's own
 * checks run. Messages name the source and the field path in the recipe's terms ({@code
 * methods.0.cluster.k}), never a Java class.
 */
public final class RecipeLoader {
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory()));

  /** Writes the resolved recipe (snake_case, every default explicit) for config.json. */
  private static final ObjectMapper JSON = configure(JsonMapper.builder());

  private static ObjectMapper configure(com.fasterxml.jackson.databind.cfg.MapperBuilder<?, ?> b) {
    // a key given twice would silently take the last value
    b.enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    return b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();
  }

  private RecipeLoader() {}

  /** The names of the recipes shipped in the jar, in catalogue order. */
  public static List<String> shippedNames() {
    try (InputStream in = RecipeLoader.class.getResourceAsStream("/recipes/index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every shipped recipe, parsed. */
  public static List<Recipe> shipped() {
    List<Recipe> all = new ArrayList<>();
    for (String n : shippedNames()) {
      all.add(load(n, List.of()));
    }
    return all;
  }

  /**
   * Loads a recipe by shipped name or by path to a YAML file, applying overrides in order.
   *
   * @throws RecipeException naming the source, the field and the fix
   */
  public static Recipe load(String nameOrPath, List<String> overrides) {
    String source;
    String text;
    Path p = Path.of(nameOrPath);
    if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("config.json"))) {
      p = p.resolve("config.json");
    }
    if (nameOrPath.endsWith(".yaml")
        || nameOrPath.endsWith(".yml")
        || nameOrPath.endsWith(".json")
        || Files.isRegularFile(p)) {
      source = p.toString();
      try {
        text = Files.readString(p);
      } catch (IOException e) {
        throw new RecipeException(
            "cannot read recipe file "
                + p
                + ": "
                + RecipeException.reason(e)
                + " (check the path; shipped recipes: deepclust recipes)",
            e);
      }
    } else {
      source = "recipe '" + nameOrPath + "' (shipped)";
      try (InputStream in =
          RecipeLoader.class.getResourceAsStream("/recipes/" + nameOrPath + ".yaml")) {
        if (in == null) {
          throw new RecipeException(
              "unknown recipe '"
                  + nameOrPath
                  + "'; shipped recipes: "
                  + String.join(", ", shippedNames())
                  + " (or give a path to a .yaml file; list them with: deepclust recipes)");
        }
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return parse(source, text, overrides);
  }

  /** Parses recipe YAML text; {@code source} names it in error messages. */
  public static Recipe parse(String source, String text, List<String> overrides) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RecipeException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (tree instanceof ObjectNode obj
        && obj.get("recipe") instanceof ObjectNode inner
        && obj.has("provenance")) {
      // a run folder's config.json: its resolved recipe
      tree = inner;
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new RecipeException(source + ": a recipe must be a YAML mapping (key: value lines)");
    }
    // select_k's inner k: checked as written (a resolved recipe records k_max there), then again
    // where an override changed it
    List<JsonNode> innerK = SelectKSpec.innerKs(root, source);
    // component path -> why its old settings are still there (a later override may replace it)
    java.util.Map<String, String> typeChanges = new java.util.LinkedHashMap<>();
    for (String o : overrides) {
      String key = o.indexOf('=') > 0 ? o.substring(0, o.indexOf('=')).strip() : "";
      typeChanges.keySet().removeIf(path -> path.equals(key) || path.startsWith(key + "."));
      String change = applyOverride(root, o, source);
      if (change != null) {
        typeChanges.put(key.substring(0, key.length() - ".type".length()), change);
      }
    }
    SelectKSpec.requireNoInnerK(root, innerK, source);
    try {
      return YAML.treeToValue(root, Recipe.class);
    } catch (JsonMappingException e) {
      // the old type's settings stay when only `type` is overridden: say why they are there,
      // for an error inside that component
      String at = errorPath(e);
      List<String> why = new ArrayList<>();
      typeChanges.forEach(
          (path, note) -> {
            if (at.equals(path) || at.startsWith(path + ".")) {
              why.add(note);
            }
          });
      String hint = why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
      throw new RecipeException(source + ": " + RecipeErrors.describe(e, root) + hint, e);
    } catch (JsonProcessingException e) {
      throw new RecipeException(source + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RecipeException(source + ": " + RecipeErrors.invalidValue("", e.getMessage()), e);
    }
  }

  /** The dotted path of a binding error, e.g. {@code methods.0.cluster.covariance_type}. */
  private static String errorPath(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (b.length() > 0) {
        b.append('.');
      }
      b.append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
    }
    return b.toString();
  }

  /** The resolved recipe as JSON (snake_case, defaults explicit), as config.json holds it. */
  public static JsonNode toJson(Recipe recipe) {
    return JSON.valueToTree(recipe);
  }

  /** The mapper that writes recipes as JSON. */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Applies {@code a.b.0.c=value}: numeric segments index lists; the value is parsed as YAML, so
   * numbers, booleans and lists keep their types.
   *
   * @return when the override changed a component's {@code type} while the component keeps other
   *     settings (which the new type may not take), a note saying so and how to replace the whole
   *     component; otherwise null
   */
  static String applyOverride(ObjectNode root, String override, String source) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new RecipeException(
          "override '" + override + "' must look like key=value, e.g. training.batch_size=128");
    }
    String[] keys = override.substring(0, eq).strip().split("\\.");
    JsonNode value;
    try {
      value = YAML.readTree(override.substring(eq + 1));
    } catch (JsonProcessingException e) {
      throw new RecipeException("override '" + override + "': value is not valid YAML", e);
    }
    JsonNode node = root;
    for (int i = 0; i < keys.length; i++) {
      boolean last = i == keys.length - 1;
      String key = keys[i];
      if (node instanceof ObjectNode obj) {
        if (last) {
          JsonNode before = obj.get(key);
          obj.set(key, value);
          if (key.equals("type")
              && i > 0
              && before != null
              && before.isTextual()
              && !before.equals(value)
              && obj.size() > 1) {
            List<String> kept = new ArrayList<>();
            obj.fieldNames().forEachRemaining(f -> kept.add(f.equals("type") ? null : f));
            kept.removeIf(java.util.Objects::isNull);
            String path = override.substring(0, eq).strip();
            String parent = path.substring(0, path.length() - ".type".length());
            return "--set "
                + path
                + " changed the type from "
                + before.asText()
                + " and kept that component's other settings "
                + kept
                + "; to replace the whole component, give it in full: --set '"
                + parent
                + "={type: "
                + value.asText()
                + ", ...}'";
          }
        } else {
          JsonNode next = obj.get(key);
          if (next == null || next.isNull()) {
            next = obj.putObject(key);
          }
          node = next;
        }
      } else if (node instanceof ArrayNode arr) {
        int idx;
        try {
          idx = Integer.parseInt(key);
        } catch (NumberFormatException e) {
          throw new RecipeException(
              "override '" + override + "': '" + key + "' indexes a list; use a number", e);
        }
        if (idx < 0 || idx >= arr.size()) {
          throw new RecipeException(
              "override '"
                  + override
                  + "': index "
                  + idx
                  + " is outside the list of "
                  + arr.size()
                  + " in "
                  + source);
        }
        if (last) {
          arr.set(idx, value);
        } else {
          node = arr.get(idx);
        }
      } else {
        throw new RecipeException(
            "override '"
                + override
                + "': '"
                + key
                + "' is not inside a mapping or list in "
                + source);
      }
    }
    return null;
  }
}
