package io.deepclust.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed content of a run folder's {@code metrics.json}: written by the run, read by the report
 * and by anyone who compares runs. Field names are snake_case in the file.
 *
 * <p>An undefined metric (e.g. silhouette with one cluster, or ACC without labels) is stored as
 * JSON {@code null}, never as the string {@code "NaN"}; {@link Method#metrics()} keeps it as a
 * {@code null} value so that readers can say "undefined".
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the writer
 * @param recipe the recipe's name (or the command's, for a run without a recipe)
 * @param paper one line naming the reproduced paper and its published values, or ""
 * @param methods one row per clustering method, in the recipe's order
 * @param perPhase rows evaluated at the end of each training phase (named {@code after <phase>}),
 *     empty unless the recipe asks for them
 * @param training per phase: epochs, losses, seconds and throughput
 * @param seconds wall-clock seconds per stage ({@code load}, {@code train}, {@code embed}, ...)
 * @param facts other numbers of the run: {@code parameters}, {@code embedding_dim}, {@code
 *     feature_dim}, {@code final_loss}, ...
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunRecord(
    int formatVersion,
    String recipe,
    String paper,
    List<Method> methods,
    List<Method> perPhase,
    Map<String, PhaseSummary> training,
    Map<String, Double> seconds,
    Map<String, Double> facts) {

  /** The version written by this build; readers accept this one and older ones. */
  public static final int FORMAT_VERSION = 1;

  /** The file name inside a run folder. */
  public static final String FILE = "metrics.json";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** Fills absent parts with empty ones; maps keep their order. */
  public RunRecord {
    recipe = Objects.requireNonNullElse(recipe, "");
    paper = Objects.requireNonNullElse(paper, "");
    methods = methods == null ? List.of() : List.copyOf(methods);
    perPhase = perPhase == null ? List.of() : List.copyOf(perPhase);
    training = ordered(training);
    seconds = ordered(seconds);
    facts = ordered(facts);
  }

  /**
   * One clustering method's result.
   *
   * @param name the row name, e.g. {@code kmeans_pca50}
   * @param metrics metric key (see {@code MetricInfo}) to value; {@code null} for undefined
   * @param paper the paper's published values for this row (metric key to value), may be empty
   * @param extra other numbers of the row, e.g. {@code inertia}, {@code n_clusters}
   * @param fitSplit the images the method was fitted on ({@code eval} or {@code train}); null in
   *     records that do not say (the clustered images)
   * @param predictSplit the images the row's metrics are measured on; null likewise
   * @param confusedPairs the most confused pairs of classes after the Hungarian matching, largest
   *     count first; empty without labels (and in records written before this field)
   */
  public record Method(
      String name,
      Map<String, Double> metrics,
      Map<String, Double> paper,
      Map<String, Double> extra,
      String fitSplit,
      String predictSplit,
      List<ConfusedPair> confusedPairs) {

    /** Maps NaN and infinities to {@code null} (undefined); keeps order. */
    public Method {
      Objects.requireNonNull(name, "name");
      metrics = undefinedAsNull(metrics);
      paper = ordered(paper);
      extra = undefinedAsNull(extra);
      confusedPairs = confusedPairs == null ? List.of() : List.copyOf(confusedPairs);
    }

    /** A row without confused pairs. */
    public Method(
        String name,
        Map<String, Double> metrics,
        Map<String, Double> paper,
        Map<String, Double> extra,
        String fitSplit,
        String predictSplit) {
      this(name, metrics, paper, extra, fitSplit, predictSplit, List.of());
    }

    /** A row fitted and measured on the clustered images. */
    public Method(
        String name,
        Map<String, Double> metrics,
        Map<String, Double> paper,
        Map<String, Double> extra) {
      this(name, metrics, paper, extra, null, null);
    }

    /** {@code "fitted on train, measured on eval"}, or "" when both are the clustered images. */
    public String splits() {
      boolean plain =
          (fitSplit == null || fitSplit.equals("eval"))
              && (predictSplit == null || predictSplit.equals("eval"));
      return plain
          ? ""
          : "fitted on "
              + Objects.requireNonNullElse(fitSplit, "eval")
              + ", measured on "
              + Objects.requireNonNullElse(predictSplit, "eval");
    }
  }

  /**
   * Images of one true class that landed in the cluster the Hungarian matching (the ACC's) gave
   * another class: "{@code trueName} taken for {@code predictedName}".
   *
   * @param trueClass the images' class id
   * @param trueName its name (the id as text when the data names no classes)
   * @param predictedClass the class id the matching gave their cluster
   * @param predictedName its name
   * @param count images, at least 1
   * @param share {@code count} over the images of {@code trueClass}, in (0, 1]
   */
  public record ConfusedPair(
      int trueClass,
      String trueName,
      int predictedClass,
      String predictedName,
      int count,
      double share) {
    /** Names default to the ids. */
    public ConfusedPair {
      trueName = trueName == null || trueName.isEmpty() ? Integer.toString(trueClass) : trueName;
      predictedName =
          predictedName == null || predictedName.isEmpty()
              ? Integer.toString(predictedClass)
              : predictedName;
    }
  }

  /**
   * One training phase, as run.
   *
   * @param epochs epochs trained
   * @param loss training loss per epoch
   * @param valLoss validation loss per epoch, empty without a validation set
   * @param seconds seconds spent in the phase's epochs
   * @param imagesPerSecond mean training throughput over the epochs
   */
  public record PhaseSummary(
      int epochs, List<Double> loss, List<Double> valLoss, double seconds, double imagesPerSecond) {
    /** Copies the lists. */
    public PhaseSummary {
      loss = loss == null ? List.of() : List.copyOf(loss);
      valLoss = valLoss == null ? List.of() : List.copyOf(valLoss);
    }
  }

  /** The method named {@code name}, or null. */
  public Method method(String name) {
    for (Method m : methods) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  /** Writes {@code metrics.json} into {@code folder}, atomically. */
  public void write(RunFolder folder) {
    folder.writeJson(FILE, this, JSON);
  }

  /**
   * Reads {@code dir/metrics.json}.
   *
   * @throws NoSuchFileException when the file is missing
   * @throws IOException when it cannot be read or is not a run record (the message names the file)
   */
  public static RunRecord read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new NoSuchFileException(f.toString(), null, "no " + FILE + " in the run folder");
    }
    try {
      return JSON.readValue(f.toFile(), RunRecord.class);
    } catch (IOException e) {
      throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** The mapper used for run records (snake_case, indented). */
  public static ObjectMapper json() {
    return JSON;
  }

  private static <V> Map<String, V> ordered(Map<String, V> m) {
    return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private static Map<String, Double> undefinedAsNull(Map<String, Double> m) {
    if (m == null) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v == null || !Double.isFinite(v) ? null : v));
    return Collections.unmodifiableMap(out);
  }
}
