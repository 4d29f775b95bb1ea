package io.deepclust.report;

import io.deepclust.util.AtomicFiles;
import java.nio.file.Path;

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
    RunFolder.requireRunFolder(runDir);
    try (RunFolder folder = RunFolder.lockExisting(runDir)) {
      return write(folder, null);
    }
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
   * The report's HTML without writing it.
   *
   * @param title the page title, or null/blank for the recipe name
   * @throws RunFolderException when {@code runDir} is not a run folder
   */
  public static String render(Path runDir, String title) {
    RunFolder.requireRunFolder(runDir);
    return new ReportPage(RunContents.read(runDir), title).render();
  }
}
