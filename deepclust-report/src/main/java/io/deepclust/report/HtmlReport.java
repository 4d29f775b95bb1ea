package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a run folder into {@code report.html}: one self-contained page (figures embedded as base64
 * data URIs, inline CSS, no scripts, no fonts or files from elsewhere) that shows what the run was,
 * how well it clustered, how training went, what it looked like and where the time went.
 *
 * <p>Reads whichever of {@code config.json}, {@code metrics.json}, {@code training.csv}, {@code
 * figures/*.png|svg} and {@code run.log} exist, as written by {@code
 * io.deepclust.recipe.RecipeRunner} and {@code io.deepclust.recipe.BaselineExperiment}; missing or
 * malformed files leave their section out and are named in a notice at the top. The page is
 * polyglot HTML: it also parses as XML, which the tests use to check that it is well-formed.
 */
public final class HtmlReport {
  /** The file name written into the run folder. */
  public static final String FILE_NAME = "report.html";

  private HtmlReport() {}

  /**
   * Writes {@code runDir/report.html} without paper references, titled after the run.
   *
   * @return the written file
   * @throws IllegalArgumentException if {@code runDir} is not a folder
   */
  public static Path write(Path runDir) {
    return write(runDir, Map.of(), null);
  }

  /**
   * Writes {@code runDir/report.html} atomically.
   *
   * @param paperValues reference values to show beside the measured ones: row name (e.g. {@code
   *     kmeans_raw}, or the recipe name for a recipe run) to metric key ({@code acc}, {@code nmi},
   *     ... on the same scale as {@code metrics.json}, i.e. fractions, not percent) to value. A run
   *     with a single row is compared with a single paper row whatever its name. May be null.
   * @param title the page title, or null/blank for the recipe or command name
   * @return the written file
   * @throws IllegalArgumentException if {@code runDir} is not a folder
   */
  public static Path write(
      Path runDir, Map<String, Map<String, Double>> paperValues, String title) {
    String html = render(runDir, paperValues, title);
    Path out = runDir.resolve(FILE_NAME);
    AtomicFiles.writeString(out, html);
    return out;
  }

  /**
   * The report's HTML without writing it; arguments as for {@link #write(Path, Map, String)}.
   *
   * @throws IllegalArgumentException if {@code runDir} is not a folder
   */
  public static String render(
      Path runDir, Map<String, Map<String, Double>> paperValues, String title) {
    if (runDir == null || !Files.isDirectory(runDir)) {
      throw new IllegalArgumentException(
          "run folder "
              + runDir
              + " does not exist or is not a folder; pass the folder a run wrote, e.g."
              + " runs/20240101-120000-baseline");
    }
    RunContents run = RunContents.read(runDir);
    return new ReportPage(run, paperValues == null ? Map.of() : paperValues, title).render();
  }
}
