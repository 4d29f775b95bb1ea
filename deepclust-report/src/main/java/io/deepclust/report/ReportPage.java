package io.deepclust.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds the HTML of one {@link HtmlReport}: the document head, then one section per kind of
 * content, each left out when the run folder has nothing for it. Every piece of text from the run
 * goes through {@link Html#esc}.
 */
final class ReportPage {
  private final RunContents run;
  private final String title;

  ReportPage(RunContents run, String title) {
    this.run = run;
    this.title = title == null || title.isBlank() ? run.runName() : title.strip();
  }

  String render() {
    StringBuilder out = new StringBuilder(1 << 16);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<meta name=\"generator\" content=\"deepclust HtmlReport\"/>\n")
        .append("<title>")
        .append(Html.esc(title))
        .append(" \u00b7 deepclust report</title>\n<style>\n")
        .append(css())
        .append("</style>\n</head>\n<body>\n<main class=\"page\">\n");
    HeaderSection.render(run, title, out);
    HeaderSection.problems(run, out);
    MetricsSection.render(run, out);
    ComparisonSection.methods(run, out);
    ComparisonSection.perPhase(run, out);
    PaperSection.render(run, out);
    TrainingSection.render(run, out);
    ClustersSection.render(run, out);
    FiguresSection.render(run, out);
    TimingsSection.render(run, out);
    DetailsSection.config(run, out);
    DetailsSection.log(run, out);
    DetailsSection.footer(run, out);
    out.append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  /** The report's style sheet (also the comparison page's). */
  static String css() {
    try (InputStream in = ReportPage.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException(
            "report.css is missing from the deepclust-report jar (io/deepclust/report/);"
                + " rebuild it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read report.css from the classpath", e);
    }
  }
}
