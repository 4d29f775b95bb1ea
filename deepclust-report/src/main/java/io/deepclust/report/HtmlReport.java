package io.deepclust.report;

import io.deepclust.report.RunRecord.Method;
import io.deepclust.util.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a run folder into {@code report.html}: one self-contained page (figures embedded as base64
 * data URIs, inline CSS, no scripts, no fonts or files from elsewhere) that shows what the run was,
 * how well it clustered (beside the paper's values, when the run's {@link RunRecord} carries them),
 * how training went, what it looked like and where the time went.
 *
 * <p>Reads {@code config.json} ({@link RunConfig}), {@code metrics.json} ({@link RunRecord}),
 * {@code training.csv}, {@code figures/*.png|svg} and {@code run.log}; a missing or malformed file
 * leaves its section out and is named in a notice at the top. Only {@code config.json} is required:
 * without it the folder is not a run folder and nothing is written. The page is polyglot HTML: it
 * also parses as XML, which the tests use to check that it is well-formed.
 */
public final class HtmlReport {
  /** The file name written into the run folder. */
  public static final String FILE_NAME = "report.html";

  private HtmlReport() {}

  /**
   * Writes {@code runDir/report.html} atomically, holding the folder's lock meanwhile ({@code
   * deepclust report DIR}).
   *
   * @return the written file
   * @throws RunFolderException when {@code runDir} is not a run folder ("not a run folder (no
   *     config.json in DIR)"; nothing is written), is in use by a run, or cannot be written
   */
  public static Path write(Path runDir) {
    return write(runDir, null, null);
  }

  /**
   * Writes the report of the run that holds {@code folder} open (the run's last step); the folder's
   * own lock covers it.
   *
   * @param title the page title, or null/blank for the recipe name
   * @return the written file
   * @throws RunFolderException when the folder has no {@code config.json}
   */
  public static Path write(RunFolder folder, String title) {
    RunFolder.requireRunFolder(folder.dir());
    Path out = folder.dir().resolve(FILE_NAME);
    AtomicFiles.writeString(out, new ReportPage(RunContents.read(folder.dir()), title).render());
    return out;
  }

  /**
   * As {@link #write(Path)}, with paper values for method rows whose record carries none and a
   * title. Kept for callers written before {@link RunRecord} carried the paper values.
   *
   * @param paperValues row name (matched exactly, else ignoring case, else the only row when both
   *     sides have one) to metric key to value, as fractions like {@code metrics.json}; may be null
   * @param title the page title, or null/blank for the recipe name
   */
  public static Path write(
      Path runDir, Map<String, Map<String, Double>> paperValues, String title) {
    RunFolder.requireRunFolder(runDir);
    try (RunFolder folder = RunFolder.lockExisting(runDir)) {
      String html = render(RunContents.read(runDir), paperValues, title);
      Path out = folder.dir().resolve(FILE_NAME);
      AtomicFiles.writeString(out, html);
      return out;
    }
  }

  /**
   * The report's HTML without writing it.
   *
   * @param title the page title, or null/blank for the recipe name
   * @throws RunFolderException when {@code runDir} is not a run folder
   */
  public static String render(Path runDir, String title) {
    RunFolder.requireRunFolder(runDir);
    return render(RunContents.read(runDir), null, title);
  }

  private static String render(
      RunContents run, Map<String, Map<String, Double>> paperValues, String title) {
    if (paperValues != null && !paperValues.isEmpty()) {
      run.withRecord(withPaper(run.record(), paperValues));
    }
    return new ReportPage(run, title).render();
  }

  /** {@code r} with {@code given} paper values on rows that have none. */
  static RunRecord withPaper(RunRecord r, Map<String, Map<String, Double>> given) {
    List<Method> methods = new ArrayList<>();
    for (Method m : r.methods()) {
      Map<String, Double> paper = m.paper();
      if (paper.isEmpty()) {
        Map<String, Double> g = given.get(m.name());
        for (Map.Entry<String, Map<String, Double>> e : given.entrySet()) {
          if (g == null && e.getKey() != null && e.getKey().equalsIgnoreCase(m.name())) {
            g = e.getValue();
          }
        }
        if (g == null && r.methods().size() == 1 && given.size() == 1) {
          g = given.values().iterator().next();
        }
        if (g != null) {
          paper = new LinkedHashMap<>();
          for (Map.Entry<String, Double> v : g.entrySet()) {
            MetricInfo info = MetricInfo.of(v.getKey());
            paper.put(info == null ? v.getKey() : info.key(), v.getValue());
          }
        }
      }
      methods.add(new Method(m.name(), m.metrics(), paper, m.extra()));
    }
    return new RunRecord(
        r.formatVersion(),
        r.recipe(),
        r.paper(),
        methods,
        r.perPhase(),
        r.training(),
        r.seconds(),
        r.facts());
  }
}
