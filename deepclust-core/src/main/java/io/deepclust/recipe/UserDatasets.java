package io.deepclust.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.deepclust.data.DataSourceException;
import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Data sources registered under a name by the user, so that a recipe can say {@code dataset:
 * my-scans}. The file is YAML, read only (never written by deepclust):
 *
 * <pre>{@code
 * datasets:
 *   my-scans: folder:~/scans                # name: source
 *   emnist-letters:                         # or name: {source, description}
 *     source: "idx:emnist-letters-train-images-idx3-ubyte.gz,emnist-letters-train-labels-idx1-ubyte.gz?transpose=true"
 *     description: EMNIST letters, 26 classes
 * }</pre>
 *
 * <p>It is {@code $DEEPCLUST_DATASETS} when set, else {@code
 * ${XDG_CONFIG_HOME:-~/.config}/deepclust/datasets.yaml}; a missing file registers nothing. The
 * Java system property {@code deepclust.datasets} overrides both (for tests and embedding).
 * Relative paths in a source are relative to the file's folder. Names are letters, digits, {@code _
 * - .} and may not be a registered dataset's name ({@code mnist}, {@code fashion-mnist}).
 */
public final class UserDatasets {
  /** The environment variable naming the file. */
  public static final String ENV = "DEEPCLUST_DATASETS";

  /** The system property naming the file; wins over {@link #ENV}. */
  public static final String PROPERTY = "deepclust.datasets";

  private static final YAMLMapper YAML = new YAMLMapper();

  private UserDatasets() {}

  /**
   * One registered source.
   *
   * @param name its name
   * @param source the source, relative paths resolved against the file's folder
   * @param description one line, or ""
   * @param file the datasets file that registers it
   */
  public record Entry(String name, SourceSpec source, String description, Path file) {}

  /** The datasets file in use (it may not exist). */
  public static Path file() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path config =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return config.resolve("deepclust").resolve("datasets.yaml");
  }

  /** The entry named {@code name} in {@link #file()}, if any. */
  public static Optional<Entry> find(String name) {
    return Optional.ofNullable(read(file()).get(name));
  }

  /**
   * Every entry of {@code file}, in file order; empty when the file does not exist.
   *
   * @throws DataSourceException when the file cannot be read or is malformed, naming the entry
   */
  public static Map<String, Entry> read(Path file) {
    Map<String, Entry> out = new LinkedHashMap<>();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new DataSourceException(
          file,
          "cannot read the datasets file "
              + file
              + ": "
              + RecipeException.reason(e)
              + " (fix its permissions, or point "
              + ENV
              + " at another file)",
          e);
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DataSourceException(file, file + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return out;
    }
    JsonNode datasets = root.get("datasets");
    if (!root.isObject() || datasets == null || !datasets.isObject()) {
      throw new DataSourceException(
          file,
          file
              + ": expected a mapping 'datasets:' of name: source lines, e.g.\n"
              + "datasets:\n  my-scans: folder:/data/scans");
    }
    Path base = file.toAbsolutePath().getParent();
    for (Map.Entry<String, JsonNode> e : datasets.properties()) {
      String name = e.getKey();
      String at = file + ": datasets." + name;
      if (!name.matches("[A-Za-z0-9_.-]+")) {
        throw new DataSourceException(
            file, at + ": a name is letters, digits, '_', '-' or '.' only");
      }
      if (DatasetRegistry.contains(name)) {
        throw new DataSourceException(
            file, at + ": '" + name + "' is a registered dataset; give the source another name");
      }
      JsonNode v = e.getValue();
      String source;
      String description = "";
      if (v.isTextual()) {
        source = v.asText();
      } else if (v.isObject() && v.path("source").isTextual()) {
        source = v.get("source").asText();
        description = v.path("description").asText("");
        for (Iterator<String> keys = v.fieldNames(); keys.hasNext(); ) {
          String k = keys.next();
          if (!k.equals("source") && !k.equals("description")) {
            throw new DataSourceException(
                file, at + ": unknown key '" + k + "'; an entry has source and description");
          }
        }
      } else {
        throw new DataSourceException(
            file,
            at + ": give a source (" + SourceSpec.FORMS + ") or {source: ..., description: ...}");
      }
      SourceSpec spec;
      try {
        spec = SourceSpec.parse(source);
      } catch (IllegalArgumentException ex) {
        throw new DataSourceException(file, at + ": " + ex.getMessage(), ex);
      }
      out.put(name, new Entry(name, relativeTo(spec, base), description, file));
    }
    return out;
  }

  private static SourceSpec relativeTo(SourceSpec s, Path base) {
    return new SourceSpec(
        s.text(),
        s.kind(),
        base.resolve(s.images()),
        s.labels() == null ? null : base.resolve(s.labels()),
        s.labelColumn(),
        s.transpose(),
        s.scale());
  }
}
