package io.deepclust.report;

import java.nio.file.Path;
import java.util.List;

/** The folded-away details: the resolved configuration, the log's tail and the file list. */
final class DetailsSection {
  private DetailsSection() {}

  static void config(RunContents run, StringBuilder out) {
    String json = run.configJson();
    if (json.isEmpty()) {
      return;
    }
    out.append("<section id=\"config\">\n<details>\n<summary>Resolved configuration ")
        .append("<span class=\"muted\">config.json</span></summary>\n<pre class=\"code\">")
        .append(Html.esc(json))
        .append("</pre>\n</details>\n</section>\n");
  }

  static void log(RunContents run, StringBuilder out) {
    List<String> tail = run.logTail();
    if (tail.isEmpty()) {
      return;
    }
    int total = run.logLineCount();
    out.append("<section id=\"log\">\n<details>\n<summary>Run log ")
        .append("<span class=\"muted\">run.log, ")
        .append(
            tail.size() < total
                ? "last " + tail.size() + " of " + total + " lines"
                : total + (total == 1 ? " line" : " lines"))
        .append("</span></summary>\n<pre class=\"code log\">");
    for (String line : tail) {
      out.append(Html.esc(line)).append('\n');
    }
    out.append("</pre>\n</details>\n</section>\n");
  }

  static void footer(RunContents run, StringBuilder out) {
    out.append("<footer>\n");
    List<RunContents.Entry> entries = run.entries();
    if (!entries.isEmpty()) {
      out.append("<div class=\"files\"><span class=\"files-title\">In this folder</span><ul>");
      for (RunContents.Entry e : entries) {
        out.append("<li><a href=\"")
            .append(Html.esc(e.name().replace("%", "%25").replace(" ", "%20")))
            .append(e.directory() ? "/" : "")
            .append("\">")
            .append(Html.esc(e.name()))
            .append(e.directory() ? "/" : "")
            .append("</a>")
            .append(
                e.directory()
                    ? ""
                    : " <span class=\"muted\">" + Html.esc(Html.bytes(e.size())) + "</span>")
            .append("</li>");
      }
      out.append("</ul></div>\n");
    }
    Path name = run.dir().toAbsolutePath().normalize().getFileName();
    out.append("<p class=\"muted\">Written by deepclust from run folder <code>")
        .append(Html.esc(name == null ? run.dir().toString() : name.toString()))
        .append("</code>. Self-contained: figures are embedded, nothing is loaded from")
        .append(" elsewhere.</p>\n")
        .append("</footer>\n");
  }
}
