package io.deepclust.recipe;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Binding errors in the recipe's terms: the field path ({@code methods.0.cluster.k}), what is
 * wrong, the fix, "did you mean" for near misses; never a Java class name.
 */
public final class RecipeErrors {
  private RecipeErrors() {}

  /** A binding error in the recipe's terms: field path, what is wrong, the fix. */
  static String describe(JsonMappingException e, JsonNode root) {
    String at = path(e);
    if (e instanceof ValueInstantiationException v) {
      // Jackson checks unknown keys only after a record's constructor ran: a misspelt key whose
      // absence made the constructor fail must still be reported as the misspelling
      String unknown = unknownKey(root, e, v.getType().getRawClass(), at);
      if (unknown != null) {
        return unknown;
      }
    }
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
      if (at.endsWith("pseudo_labels.cluster")) {
        // only these can label a phase's embedding (PseudoLabelSpec): list no type it refuses
        known = PseudoLabelSpec.CLUSTER_TYPES.stream().map(RecipeErrors::typeNameOf).toList();
      }
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
      JsonNode given = root;
      for (JsonMappingException.Reference r : e.getPath()) {
        given = r.getFieldName() != null ? given.path(r.getFieldName()) : given.path(r.getIndex());
      }
      return "invalid value for '"
          + at
          + "': expected "
          + want
          + (given.isMissingNode() ? "" : ", got " + given + " (" + kindOf(given) + ")");
    }
    return "field '" + at + "': " + e.getOriginalMessage();
  }

  /**
   * {@code "invalid value for '<at>.<field>': <fix>"} from a component's {@code "<field>: <fix>"}
   * message ({@link Checks#require}).
   */
  public static String invalidValue(String at, String message) {
    String msg = String.valueOf(message);
    int colon = msg.indexOf(": ");
    String field =
        colon > 0 && msg.substring(0, colon).matches("[a-z0-9_.]+") ? msg.substring(0, colon) : "";
    String fix = field.isEmpty() ? msg : msg.substring(colon + 2);
    String path = at.isEmpty() ? field : field.isEmpty() ? at : at + "." + field;
    return "invalid value for '" + path + "': " + fix;
  }

  /** "unknown field ..." when the object at the error's path has a key {@code type} lacks. */
  private static String unknownKey(
      JsonNode root, JsonMappingException e, Class<?> type, String at) {
    if (!type.isRecord()) {
      return null;
    }
    JsonNode node = root;
    for (JsonMappingException.Reference r : e.getPath()) {
      node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
    }
    if (!node.isObject()) {
      return null;
    }
    List<String> known = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      known.add(
          renamed != null && !renamed.value().isEmpty()
              ? renamed.value()
              : SNAKE.translate(c.getName()));
    }
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key) && !key.equals("type")) {
        return "unknown field '"
            + (at.isEmpty() ? "" : at + ".")
            + key
            + "'"
            + didYouMean(key, known)
            + "; known fields: "
            + known.stream().sorted().collect(Collectors.joining(", "));
      }
    }
    return null;
  }

  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  /** What a YAML value is, in words. */
  private static String kindOf(JsonNode n) {
    if (n.isTextual()) {
      return "text: write numbers and true/false without quotes";
    }
    if (n.isIntegralNumber()) {
      return "a whole number";
    }
    if (n.isNumber()) {
      return "a number with a fraction";
    }
    if (n.isBoolean()) {
      return "true or false";
    }
    if (n.isArray()) {
      return "a list";
    }
    return n.isObject() ? "a mapping" : "empty";
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

  /** The {@code type} name of a component, e.g. {@code kmeans}; its class name if unregistered. */
  public static String typeName(Object component) {
    return typeNameOf(component.getClass());
  }

  /** The recipe's {@code type} name of a component class, e.g. "gmm" for {@code GmmSpec}. */
  static String typeNameOf(Class<?> type) {
    for (Class<?> i : type.getInterfaces()) {
      JsonSubTypes sub = i.getAnnotation(JsonSubTypes.class);
      if (sub != null) {
        for (JsonSubTypes.Type t : sub.value()) {
          if (t.value() == type) {
            return t.name();
          }
        }
      }
    }
    return type.getSimpleName();
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
}
