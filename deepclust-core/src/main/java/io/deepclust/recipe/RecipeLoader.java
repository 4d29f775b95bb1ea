package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
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
    for (String o : overrides) {
      applyOverride(root, o, source);
    }
    try {
      return YAML.treeToValue(root, Recipe.class);
    } catch (JsonMappingException e) {
      throw new RecipeException(source + ": " + unknownTopLevelField(root, describe(e)), e);
    } catch (JsonProcessingException e) {
      throw new RecipeException(source + ": " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RecipeException(
          source + ": " + unknownTopLevelField(root, invalidValue("", e.getMessage())), e);
    }
  }

  /**
   * The first top-level key the recipe does not know, else {@code otherwise}. Jackson reports
   * unknown keys only after the record's own checks ran, so a typo ({@code methodz}) would be
   * reported as the field it hides ("give methods") instead.
   */
  private static String unknownTopLevelField(ObjectNode root, String otherwise) {
    List<String> known =
        YAML
            .getDeserializationConfig()
            .introspect(YAML.constructType(Recipe.class))
            .findProperties()
            .stream()
            .map(p -> p.getName())
            .sorted()
            .toList();
    for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        return "unknown field '"
            + key
            + "'"
            + didYouMean(key, known)
            + "; known fields: "
            + String.join(", ", known);
      }
    }
    return otherwise;
  }

  /** The resolved recipe as JSON (snake_case, defaults explicit), as config.json holds it. */
  public static JsonNode toJson(Recipe recipe) {
    return JSON.valueToTree(recipe);
  }

  /** The mapper that writes recipes as JSON. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** A binding error in the recipe's terms: field path, what is wrong, the fix. */
  static String describe(JsonMappingException e) {
    String at = path(e);
    if (e instanceof UnrecognizedPropertyException u) {
      String key = u.getPropertyName();
      String where = at.contains(".") ? at.substring(0, at.lastIndexOf('.')) : "";
      return "unknown field '"
          + at
          + "'"
          + didYouMean(key, u.getKnownPropertyIds())
          + (where.isEmpty() ? "" : "; fields of '" + where + "'")
          + (where.isEmpty() ? "; known fields" : "")
          + ": "
          + u.getKnownPropertyIds().stream()
              .map(String::valueOf)
              .sorted()
              .collect(Collectors.joining(", "));
    }
    if (e instanceof InvalidTypeIdException t) {
      List<String> known = typeNames(t.getBaseType().getRawClass());
      String id = t.getTypeId();
      if (id == null) {
        return "'" + at + "' needs a type: one of " + String.join(", ", known);
      }
      return "invalid value for '"
          + (at.isEmpty() ? "" : at + ".")
          + "type': '"
          + id
          + "' is not known"
          + didYouMean(id, known)
          + "; use one of "
          + String.join(", ", known);
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return invalidValue(at, v.getCause().getMessage());
    }
    if (e instanceof MismatchedInputException m) {
      String want = m.getTargetType() == null ? "another kind of value" : kind(m.getTargetType());
      return "invalid value for '"
          + at
          + "': expected "
          + want
          + " ("
          + e.getOriginalMessage()
          + ")";
    }
    return "field '" + at + "': " + e.getOriginalMessage();
  }

  /**
   * {@code "invalid value for '<at>.<field>': <fix>"} from a component's {@code "<field>: <fix>"}
   * message ({@link Checks#require}).
   */
  static String invalidValue(String at, String message) {
    String msg = String.valueOf(message);
    int colon = msg.indexOf(": ");
    String field =
        colon > 0 && msg.substring(0, colon).matches("[a-z0-9_.]+") ? msg.substring(0, colon) : "";
    String fix = field.isEmpty() ? msg : msg.substring(colon + 2);
    String path = at.isEmpty() ? field : field.isEmpty() ? at : at + "." + field;
    return "invalid value for '" + path + "': " + fix;
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a word";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a mapping (key: value lines)";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
        .collect(Collectors.joining("."));
  }

  /** The {@code type} names registered on a component interface. */
  static List<String> typeNames(Class<?> base) {
    JsonSubTypes sub = base.getAnnotation(JsonSubTypes.class);
    List<String> names = new ArrayList<>();
    if (sub != null) {
      for (JsonSubTypes.Type t : sub.value()) {
        names.add(t.name());
      }
    }
    return names;
  }

  /** {@code "; did you mean 'x'?"} when a candidate is within edit distance 2, else "". */
  static String didYouMean(String given, Collection<?> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object c : candidates) {
      String s = String.valueOf(c);
      int d = editDistance(given.toLowerCase(Locale.ROOT), s.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = s;
      }
    }
    int limit = Math.max(1, Math.min(3, given.length() / 3));
    return best != null && bestDistance <= limit ? "; did you mean '" + best + "'?" : "";
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * Applies {@code a.b.0.c=value}: numeric segments index lists; the value is parsed as YAML, so
   * numbers, booleans and lists keep their types.
   */
  static void applyOverride(ObjectNode root, String override, String source) {
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
          obj.set(key, value);
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
  }
}
