package io.deepclust.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything {@link HtmlReport} shows, read leniently from a run folder: {@code config.json} as a
 * {@link RunConfig}, {@code metrics.json} as a {@link RunRecord}, {@code training.csv}, the
 * figures, the log's tail and the file list. A missing or unreadable file leaves its part empty
 * and, where a reader would miss it, adds a line to {@link #problems()}.
 */
final class RunContents {
  /** Lines of {@code run.log} kept for the report. */
  static final int LOG_TAIL_LINES = 200;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FOLDER_STAMP = Pattern.compile("^(\\d{8}-\\d{6})(?:\\D|$)");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final RunRecord NO_RECORD = new RunRecord(0, "", "", null, null, null, null, null);

  /** One figure file, its bytes and (for PNG) its pixel size, 0 when unknown. */
  record Figure(String fileName, String stem, String mime, byte[] bytes, int width, int height) {}

  /** One file or folder of the run, for the file list. */
  record Entry(String name, boolean directory, long size) {}

  private final Path dir;
  private final List<String> problems = new ArrayList<>();
  private JsonNode configTree;
  private RunConfig config = RunConfig.EMPTY;
  private RunRecord record = NO_RECORD;
  private final List<String> trainingHeader = new ArrayList<>();
  private final List<List<String>> trainingRows = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> logTail = new ArrayList<>();
  private int logLineCount;
  private final List<Entry> entries = new ArrayList<>();

  private RunContents(Path dir) {
    this.dir = dir;
    readConfig();
    readRecord();
    readTraining();
    readFigures();
    readLog();
    listEntries();
  }

  /** Reads what {@code dir} holds; never fails on missing or malformed files. */
  static RunContents read(Path dir) {
    return new RunContents(dir);
  }

  /** Replaces the record read from the folder (e.g. with paper values filled in); returns this. */
  RunContents withRecord(RunRecord replacement) {
    this.record = replacement;
    return this;
  }

  Path dir() {
    return dir;
  }

  List<String> problems() {
    return problems;
  }

  /** The typed {@code config.json}; {@link RunConfig#EMPTY} when missing or unreadable. */
  RunConfig config() {
    return config;
  }

  /** The typed {@code metrics.json}; an empty record when missing or unreadable. */
  RunRecord record() {
    return record;
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

  /** The recipe name, else the record's, else the folder name. */
  String runName() {
    String name = config.name();
    if (name.isEmpty()) {
      name = record.recipe();
    }
    if (name.isEmpty()) {
      Path f = dir.toAbsolutePath().normalize().getFileName();
      name = f == null ? "run" : f.toString();
    }
    return name;
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
    Path cfg = dir.resolve(RunFolder.CONFIG);
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

  /** The pretty-printed configuration, or "" without one. */
  String configJson() {
    if (configTree == null) {
      return "";
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(configTree);
    } catch (JacksonException e) {
      return configTree.toString();
    }
  }

  private void readConfig() {
    Path p = dir.resolve(RunFolder.CONFIG);
    if (!Files.isRegularFile(p)) {
      problems.add(RunFolder.CONFIG + " is missing.");
      return;
    }
    try {
      JsonNode n = JSON.readTree(p.toFile());
      if (n == null || n.isMissingNode()) {
        problems.add(RunFolder.CONFIG + " is empty.");
      } else if (!n.isObject()) {
        problems.add(
            RunFolder.CONFIG + " does not hold a JSON object; its contents are not shown.");
      } else {
        configTree = n;
        config = RunConfig.of(n);
      }
    } catch (IOException e) {
      problems.add(RunFolder.CONFIG + " could not be read: " + firstLine(e.getMessage()));
    }
  }

  private void readRecord() {
    try {
      record = RunRecord.read(dir);
    } catch (NoSuchFileException e) {
      problems.add(
          RunRecord.FILE
              + " is missing: the run may still be going, or it stopped before evaluation.");
    } catch (IOException e) {
      // RunRecord names the file with its full path; the reader knows which folder this is
      problems.add(
          RunRecord.FILE
              + " could not be read: "
              + firstLine(e.getMessage())
                  .replace("cannot read " + dir.resolve(RunRecord.FILE) + ": ", ""));
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

  /** Splits one CSV line: {@link Assignments#splitLine}. */
  static List<String> splitCsv(String line) {
    return Assignments.splitLine(line);
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
        if (n.startsWith(".") || n.equals(HtmlReport.FILE_NAME)) {
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
