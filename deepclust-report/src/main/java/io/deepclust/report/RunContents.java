package io.deepclust.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything {@link HtmlReport} shows, read leniently from a run folder: a missing or unreadable
 * file leaves its part empty and, where a reader would miss it, adds a line to {@link #problems()}.
 *
 * <p>Understands the two {@code metrics.json} shapes in use: a flat object of metrics plus extra
 * numbers ({@code io.deepclust.recipe.RecipeRunner}) and an object of named rows ({@code
 * io.deepclust.recipe.BaselineExperiment}); both may carry a {@code seconds} object of stage
 * timings.
 */
final class RunContents {
  /** Lines of {@code run.log} kept for the report. */
  static final int LOG_TAIL_LINES = 200;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Pattern FOLDER_STAMP = Pattern.compile("^(\\d{8}-\\d{6})(?:\\D|$)");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** One figure file, its bytes and (for PNG) its pixel size, 0 when unknown. */
  record Figure(String fileName, String stem, String mime, byte[] bytes, int width, int height) {}

  /** One file or folder of the run, for the file list. */
  record Entry(String name, boolean directory, long size) {}

  private final Path dir;
  private final List<String> problems = new ArrayList<>();
  private final JsonNode config;
  private final JsonNode metrics;
  private final List<String> trainingHeader = new ArrayList<>();
  private final List<List<String>> trainingRows = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> logTail = new ArrayList<>();
  private int logLineCount;
  private final List<Entry> entries = new ArrayList<>();

  private RunContents(Path dir) {
    this.dir = dir;
    this.config = readJson("config.json");
    this.metrics = readJson("metrics.json");
    readTraining();
    readFigures();
    readLog();
    listEntries();
  }

  /** Reads what {@code dir} holds; never fails on missing or malformed files. */
  static RunContents read(Path dir) {
    return new RunContents(dir);
  }

  Path dir() {
    return dir;
  }

  List<String> problems() {
    return problems;
  }

  /** The parsed {@code config.json}, or a missing node. */
  JsonNode config() {
    return config == null ? JSON.missingNode() : config;
  }

  List<String> trainingHeader() {
    return trainingHeader;
  }

  List<List<String>> trainingRows() {
    return trainingRows;
  }

  List<Figure> figures() {
    return figures;
  }

  List<String> logTail() {
    return logTail;
  }

  int logLineCount() {
    return logLineCount;
  }

  List<Entry> entries() {
    return entries;
  }

  /** Whether {@code config.json} says this was the baseline command (else a recipe run). */
  boolean isBaseline() {
    return "baseline".equals(config().path("command").asText(""));
  }

  /** The recipe name, else the command, else the folder name. */
  String runName() {
    String name = text(config().path("recipe"), "name");
    if (name.isEmpty()) {
      name = config().path("command").asText("");
    }
    if (name.isEmpty()) {
      Path f = dir.getFileName();
      name = f == null ? "run" : f.toString();
    }
    return name;
  }

  /**
   * The metric rows: name to metric key to value, in file order. A flat metrics object becomes one
   * row named {@link #runName()}; only keys that look like metrics (catalog keys, or any number
   * inside a named row) are kept.
   */
  Map<String, Map<String, Double>> metricRows() {
    Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
    if (metrics == null || !metrics.isObject()) {
      return rows;
    }
    Map<String, Double> flat = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : metrics.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (key.equals("seconds")) {
        continue;
      }
      if (v.isObject()) {
        Map<String, Double> row = numbers(v);
        if (!row.isEmpty()) {
          rows.put(key, row);
        }
      } else if (MetricInfo.of(key) != null) {
        if (v.isNumber() || isNonFiniteText(v)) {
          flat.put(MetricInfo.normalise(key), number(v));
        }
      }
    }
    if (!flat.isEmpty()) {
      Map<String, Map<String, Double>> withFlat = new LinkedHashMap<>();
      withFlat.put(runName(), flat);
      rows.forEach(withFlat::putIfAbsent);
      return withFlat;
    }
    return rows;
  }

  /** Top-level numbers of a flat metrics file that are not metrics, e.g. parameter count. */
  Map<String, Double> extraNumbers() {
    Map<String, Double> out = new LinkedHashMap<>();
    if (metrics == null || !metrics.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : metrics.properties()) {
      if (MetricInfo.of(e.getKey()) == null && (e.getValue().isNumber())) {
        out.put(e.getKey(), e.getValue().asDouble());
      }
    }
    return out;
  }

  /** Stage timings from {@code metrics.json} {@code seconds}, in file order. */
  Map<String, Double> seconds() {
    if (metrics == null) {
      return new LinkedHashMap<>();
    }
    Map<String, Double> s = numbers(metrics.path("seconds"));
    s.values().removeIf(v -> Double.isNaN(v) || v < 0);
    return s;
  }

  /**
   * When the run started: the {@code yyyyMMdd-HHmmss} prefix of a {@link RunFolder} name, else the
   * modification time of {@code config.json}; "" when neither is known.
   */
  String date() {
    Path f = dir.getFileName();
    if (f != null) {
      Matcher m = FOLDER_STAMP.matcher(f.toString());
      if (m.find()) {
        try {
          return LocalDateTime.parse(m.group(1), STAMP).format(SHOWN);
        } catch (DateTimeParseException e) {
          // a name that only looks like a stamp: fall back to the file time
        }
      }
    }
    Path cfg = dir.resolve("config.json");
    try {
      if (Files.isRegularFile(cfg)) {
        return LocalDateTime.ofInstant(
                Files.getLastModifiedTime(cfg).toInstant(), ZoneId.systemDefault())
            .format(SHOWN);
      }
    } catch (IOException e) {
      // no date is better than no report
    }
    return "";
  }

  /** The text at {@code path} below {@code node} trying each spelling, or "". */
  static String text(JsonNode node, String... spellings) {
    for (String s : spellings) {
      JsonNode v = node.path(s);
      if (v.isValueNode() && !v.isNull()) {
        return v.asText();
      }
    }
    return "";
  }

  /** The child of {@code node} under the first spelling present, or a missing node. */
  static JsonNode child(JsonNode node, String... spellings) {
    for (String s : spellings) {
      JsonNode v = node.path(s);
      if (!v.isMissingNode() && !v.isNull()) {
        return v;
      }
    }
    return node.path(spellings[0]);
  }

  /** The pretty-printed configuration, or "" without one. */
  String configJson() {
    if (config == null) {
      return "";
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    } catch (JacksonException e) {
      return config.toString();
    }
  }

  private static Map<String, Double> numbers(JsonNode obj) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (obj == null || !obj.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : obj.properties()) {
      JsonNode v = e.getValue();
      if (v.isNumber() || isNonFiniteText(v)) {
        String key =
            MetricInfo.of(e.getKey()) != null ? MetricInfo.normalise(e.getKey()) : e.getKey();
        out.put(key, number(v));
      }
    }
    return out;
  }

  /** Jackson writes NaN and infinities as strings by default. */
  private static boolean isNonFiniteText(JsonNode v) {
    if (!v.isTextual()) {
      return false;
    }
    String s = v.asText();
    return s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity");
  }

  private static double number(JsonNode v) {
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (isNonFiniteText(v)) {
      return Double.parseDouble(v.asText());
    }
    return Double.NaN;
  }

  private JsonNode readJson(String name) {
    Path p = dir.resolve(name);
    if (!Files.isRegularFile(p)) {
      problems.add(
          name
              + " is missing"
              + (name.equals("metrics.json")
                  ? ": the run may still be going, or it stopped before evaluation."
                  : "."));
      return null;
    }
    try {
      JsonNode n = JSON.readTree(p.toFile());
      if (n == null || n.isMissingNode()) {
        problems.add(name + " is empty.");
        return null;
      }
      if (!n.isObject()) {
        problems.add(name + " does not hold a JSON object; its contents are not shown.");
        return null;
      }
      return n;
    } catch (IOException e) {
      problems.add(name + " could not be read: " + firstLine(e.getMessage()));
      return null;
    }
  }

  private void readTraining() {
    Path p = dir.resolve("training.csv");
    if (!Files.isRegularFile(p)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add("training.csv could not be read: " + firstLine(e.getMessage()));
      return;
    }
    lines.removeIf(String::isBlank);
    if (lines.isEmpty()) {
      return;
    }
    trainingHeader.addAll(splitCsv(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      List<String> cells = splitCsv(lines.get(i));
      while (cells.size() < trainingHeader.size()) {
        cells.add("");
      }
      trainingRows.add(new ArrayList<>(cells.subList(0, trainingHeader.size())));
    }
  }

  /** Splits one CSV line; double-quoted cells may hold commas and doubled quotes. */
  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString().trim());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString().trim());
    return out;
  }

  private void readFigures() {
    Path figs = dir.resolve("figures");
    if (!Files.isDirectory(figs)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(figs)) {
      for (Path p : ds) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(p)
            && !n.startsWith(".")
            && (n.endsWith(".png") || n.endsWith(".svg"))) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      problems.add("figures/ could not be listed: " + firstLine(e.getMessage()));
      return;
    }
    files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path p : files) {
      String name = p.getFileName().toString();
      boolean png = name.toLowerCase(Locale.ROOT).endsWith(".png");
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(p);
      } catch (IOException e) {
        problems.add("figures/" + name + " could not be read: " + firstLine(e.getMessage()));
        continue;
      }
      int[] size = png ? pngSize(bytes) : new int[] {0, 0};
      if (png && size == null) {
        problems.add("figures/" + name + " is not a PNG image; it is left out.");
        continue;
      }
      String stem = name.substring(0, name.lastIndexOf('.'));
      figures.add(
          new Figure(name, stem, png ? "image/png" : "image/svg+xml", bytes, size[0], size[1]));
    }
  }

  /** Width and height from the PNG signature and IHDR chunk, or null if it is no PNG. */
  static int[] pngSize(byte[] b) {
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.length < 24) {
      return null;
    }
    for (int i = 0; i < sig.length; i++) {
      if (b[i] != sig[i]) {
        return null;
      }
    }
    return new int[] {readInt(b, 16), readInt(b, 20)};
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

  private void readLog() {
    Path p = dir.resolve("run.log");
    if (!Files.isRegularFile(p)) {
      return;
    }
    try {
      // malformed bytes must not lose the log: decode leniently
      String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      String[] lines = text.split("\\R", -1);
      int n = lines.length;
      if (n > 0 && lines[n - 1].isEmpty()) {
        n--;
      }
      logLineCount = n;
      for (int i = Math.max(0, n - LOG_TAIL_LINES); i < n; i++) {
        logTail.add(lines[i]);
      }
    } catch (IOException e) {
      problems.add("run.log could not be read: " + firstLine(e.getMessage()));
    }
  }

  private void listEntries() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") || n.equals("report.html")) {
          continue;
        }
        boolean d = Files.isDirectory(p);
        entries.add(new Entry(n, d, d ? 0 : Files.size(p)));
      }
    } catch (IOException e) {
      // the file list is a convenience; leave it empty
    }
    entries.sort(
        (a, b) ->
            a.directory() != b.directory()
                ? (a.directory() ? 1 : -1)
                : a.name().compareTo(b.name()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
