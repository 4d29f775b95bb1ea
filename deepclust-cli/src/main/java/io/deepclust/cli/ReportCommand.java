package io.deepclust.cli;

import io.deepclust.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code deepclust report <run folder>}: (re)writes the run's self-contained report.html. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write (or rewrite) report.html in a run folder from what the run left there: metrics,"
          + " training log, figures, configuration, and the paper's published values beside the"
          + " measured ones when the recipe gives them."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "A run folder (runs/<date>-<name>).")
  Path runDir;

  @Override
  public Integer call() {
    Path file = HtmlReport.write(runDir);
    System.out.println("wrote " + file);
    return 0;
  }
}
