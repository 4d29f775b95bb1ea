package io.deepclust.cli;

import io.deepclust.report.BrowserCheck;
import io.deepclust.report.HtmlReport;
import io.deepclust.report.RunComparison;
import io.deepclust.report.RunFolderException;
import io.deepclust.report.SeedSummary;
import io.deepclust.run.ResumeCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deepclust report <run folder>}: (re)writes the run's self-contained report.html; {@code
 * --compare} puts several runs side by side; {@code --check} opens pages in headless Chromium.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write (or rewrite) report.html in a run folder from what the run left there: metrics,"
          + " training log, figures, configuration, and the paper's published values beside the"
          + " measured ones when the recipe gives them.",
      "--compare RUN_A RUN_B ... writes compare.html and compare.json into a folder of their own:"
          + " every run's metrics side by side (one row per run and method, best per metric"
          + " marked, paper values where the recipe gives them) and their key figures side by"
          + " side. A folder a --seeds run wrote counts as one run (mean \u00b1 sd).",
      "--pool RUN_A RUN_B ... --out DIR pools finished runs of one system with different seeds,"
          + " made separately, into summary.json and summary.html as --seeds writes them (mean"
          + " \u00b1 sd and every seed's point). Besides the seed, only the name, description,"
          + " paper values, training.init_from and epochs may differ (--allow-differences lifts"
          + " that); every difference is printed and recorded there.",
      "--check PAGE... opens report pages (or the pages in a folder) in headless Chromium and"
          + " fails on a console error or an image that did not load."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "RUN_DIR",
      description = "A run folder (runs/<date>-<name>).")
  Path runDir;

  @Option(
      names = "--compare",
      arity = "2..*",
      paramLabel = "RUN",
      description = "Run folders (or --seeds folders) to put side by side, in column order.")
  List<Path> compare;

  @Option(
      names = "--pool",
      arity = "2..*",
      paramLabel = "RUN",
      description =
          "Finished runs of one recipe, one per seed, to summarise as seeds (needs --out).")
  List<Path> pool;

  @Option(
      names = "--allow-differences",
      description =
          "With --pool: pool runs whose recipes differ in more than the seed, name, description,"
              + " paper values, training.init_from and epochs (the differences are recorded).")
  boolean allowDifferences;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "With --compare or --pool: a new or empty folder, or one an earlier comparison (pool)"
              + " wrote (only its own files are replaced); never a run folder (--compare's"
              + " default: comparisons/<date>; --pool needs one).")
  Path out;

  @Option(
      names = "--check",
      arity = "1..*",
      paramLabel = "PAGE",
      description =
          "HTML pages, or folders whose report.html, compare.html and summary.html are checked,"
              + " in headless Chromium ($DEEPCLUST_CHROMIUM, else chromium on the PATH).")
  List<Path> check;

  @Override
  public Integer call() throws IOException {
    int modes =
        (runDir != null ? 1 : 0)
            + (compare != null ? 1 : 0)
            + (check != null ? 1 : 0)
            + (pool != null ? 1 : 0);
    if (modes != 1) {
      throw new ParameterException(
          spec.commandLine(),
          "give one of: RUN_DIR, --compare RUN_A RUN_B ..., --pool RUN_A RUN_B ... --out DIR,"
              + " --check PAGE ...");
    }
    if (out != null && compare == null && pool == null) {
      throw new ParameterException(spec.commandLine(), "--out goes with --compare or --pool");
    }
    if (allowDifferences && pool == null) {
      throw new ParameterException(spec.commandLine(), "--allow-differences goes with --pool");
    }
    if (pool != null) {
      return pool();
    }
    if (compare != null) {
      Path dest =
          out != null
              ? out
              : Path.of(
                  "comparisons",
                  LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      Path page = RunComparison.write(compare, dest);
      System.out.println("wrote " + page);
      return 0;
    }
    if (check != null) {
      return check();
    }
    Path file = HtmlReport.write(runDir);
    System.out.println("wrote " + file);
    return 0;
  }

  /**
   * Recipe fields that may differ between pooled runs of one system: labels, published values, a
   * run's starting point and its schedule's length.
   */
  static boolean mayDiffer(String field) {
    return field.equals("name")
        || field.equals("description")
        || field.equals("paper")
        || field.equals("training.init_from")
        || field.matches("training\\.phases\\.\\d+\\.epochs")
        || field.matches("methods\\.\\d+\\.paper(\\..*)?");
  }

  private int pool() {
    if (out == null) {
      throw new ParameterException(
          spec.commandLine(), "--pool needs --out DIR, the folder for summary.json and its page");
    }
    for (Path run : pool) {
      SeedSummary.readPoolable(run);
    }
    List<List<String>> differences = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    differences.add(List.of());
    for (Path run : pool.subList(1, pool.size())) {
      List<String> differ = new ArrayList<>(ResumeCheck.differences(pool.get(0), run));
      differ.remove("seed");
      List<String> refused = differ.stream().filter(f -> !mayDiffer(f)).toList();
      if (!refused.isEmpty() && !allowDifferences) {
        throw new RunFolderException(
            run,
            run
                + " differs from "
                + pool.get(0)
                + " in "
                + String.join(", ", refused)
                + "; pool only runs of one system (besides the seed, only the name, description,"
                + " paper values, training.init_from and epochs may differ), or pass"
                + " --allow-differences to pool them anyway");
      }
      differences.add(differ);
      if (!differ.isEmpty()) {
        notes.add(
            "note: "
                + run
                + " differs from "
                + pool.get(0)
                + " in more than the seed: "
                + String.join(", ", differ));
      }
    }
    Path page = SeedSummary.pool(pool, out, differences);
    notes.forEach(System.out::println);
    System.out.println("wrote " + page);
    return 0;
  }

  private int check() throws IOException {
    List<Path> pages = new ArrayList<>();
    for (Path p : check) {
      if (Files.isDirectory(p)) {
        int before = pages.size();
        for (String name : List.of(HtmlReport.FILE_NAME, RunComparison.PAGE, SeedSummary.PAGE)) {
          if (Files.isRegularFile(p.resolve(name))) {
            pages.add(p.resolve(name));
          }
        }
        if (pages.size() == before) {
          throw new RunFolderException(
              p,
              p
                  + " holds no "
                  + HtmlReport.FILE_NAME
                  + ", "
                  + RunComparison.PAGE
                  + " or "
                  + SeedSummary.PAGE
                  + "; pass a page or a folder that holds one");
        }
      } else if (Files.isRegularFile(p)) {
        pages.add(p);
      } else {
        throw new RunFolderException(p, p + " does not exist; pass an HTML page or its folder");
      }
    }
    Optional<Path> chromium = BrowserCheck.findChromium();
    if (chromium.isEmpty()) {
      throw new IllegalStateException(
          "no Chromium found (looked for $DEEPCLUST_CHROMIUM, then chromium, chromium-browser,"
              + " google-chrome on the PATH); install one (e.g. apt-get install chromium) or set"
              + " DEEPCLUST_CHROMIUM to its path");
    }
    int bad = 0;
    try (BrowserCheck browser = new BrowserCheck(chromium.get())) {
      for (Path p : pages) {
        BrowserCheck.PageResult r = browser.check(p);
        if (r.ok()) {
          System.out.println("ok " + p + ": " + r.images() + " images loaded, no console errors");
        } else {
          bad++;
          System.out.println("FAILED " + p + ":");
          r.problems().forEach(s -> System.out.println("  " + s));
        }
      }
    }
    if (bad > 0) {
      System.err.println(bad + " of " + pages.size() + " pages have problems");
      return 1;
    }
    return 0;
  }
}
