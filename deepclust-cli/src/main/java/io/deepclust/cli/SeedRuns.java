package io.deepclust.cli;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.report.RunFolder;
import io.deepclust.report.SeedSummary;
import io.deepclust.run.ResumeCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * {@code --seeds 0,1,2} / {@code 0-4}: the same recipe once per seed, each into its own run folder
 * {@code seed-<S>} under one folder, then {@code summary.json} and {@code summary.html} there (mean
 * ± sd per metric and method, and each seed's value; {@link SeedSummary}).
 */
final class SeedRuns {
  private SeedRuns() {}

  /** Parses {@code 0,1,2}, {@code 0-4} or a mix ({@code 0-2,7}); each seed once, in order. */
  static final class Converter implements CommandLine.ITypeConverter<List<Long>> {
    @Override
    public List<Long> convert(String text) {
      return parse(text);
    }
  }

  static List<Long> parse(String text) {
    LinkedHashSet<Long> out = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long a = Long.parseLong(p.substring(0, dash).strip());
          long b = Long.parseLong(p.substring(dash + 1).strip());
          if (b < a || b - a >= 1000) {
            throw new CommandLine.TypeConversionException(
                "'" + p + "' is not a range of at most 1000 seeds from low to high, e.g. 0-4");
          }
          for (long s = a; s <= b; s++) {
            out.add(s);
          }
        } else {
          out.add(Long.parseLong(p));
        }
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException(
            "'" + text + "' is not a list of seeds; give e.g. 0,1,2 or 0-4");
      }
    }
    if (out.size() < 2) {
      throw new CommandLine.TypeConversionException(
          "'" + text + "' names one seed; give two or more (for one, use --seed)");
    }
    return new ArrayList<>(out);
  }

  /**
   * Runs {@code recipeFor(seed)} for each seed into {@code out/seed-<seed>} (default {@code
   * runs/<date>-<recipe>-seeds}), which must be new or empty, then writes the summary.
   *
   * @param recipeFor the recipe and its overrides for one seed; called for every seed before
   *     anything is written, so that a bad recipe fails first
   */
  static Path execute(
      List<Long> seeds,
      Function<Long, RecipeExecution.Prepared> recipeFor,
      Path dataDir,
      Path out) {
    return execute(seeds, recipeFor, dataDir, out, false);
  }

  /**
   * As {@link #execute(List, Function, Path, Path)}; with {@code resume}, continues a sweep in
   * {@code out} that stopped (killed, or a seed failed): a seed whose run folder holds {@code
   * metrics.json} is complete and kept, one with a checkpoint resumes from it, a missing one
   * starts; every existing seed folder is checked against its seed's recipe before anything runs.
   *
   * @throws RecipeException when {@code out} is missing, or a seed folder cannot be continued
   */
  static Path execute(
      List<Long> seeds,
      Function<Long, RecipeExecution.Prepared> recipeFor,
      Path dataDir,
      Path out,
      boolean resume) {
    List<RecipeExecution.Prepared> prepared = new ArrayList<>();
    for (long s : seeds) {
      prepared.add(recipeFor.apply(s));
    }
    if (resume) {
      return continueSweep(seeds, prepared, dataDir, out);
    }
    Recipe first = prepared.get(0).recipe();
    Path dir =
        out != null
            ? out
            : Path.of(
                "runs",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-"
                    + first.name().replaceAll("[^A-Za-z0-9._-]", "_")
                    + "-seeds");
    requireNewOrEmpty(dir);
    List<Path> runs = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      Path run = dir.resolve("seed-" + seeds.get(i));
      System.out.printf(
          Locale.ROOT, "seed %d (%d of %d): %s%n", seeds.get(i), i + 1, seeds.size(), run);
      RecipeExecution.execute(
          prepared.get(i).recipe(), prepared.get(i).overrides(), dataDir, run, RunFolder.Mode.NEW);
      runs.add(run);
    }
    summarise(dir, first.name(), seeds, runs);
    return dir;
  }

  private static Path continueSweep(
      List<Long> seeds, List<RecipeExecution.Prepared> prepared, Path dataDir, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new RecipeException(
          "--resume --seeds: "
              + dir
              + " is not a folder of an earlier sweep; give that sweep's --out, or leave out"
              + " --resume to start one");
    }
    List<String> others = new ArrayList<>(requireSweepFolder(dir));
    seeds.forEach(s -> others.remove("seed-" + s));
    // every seed's state is decided, and every existing one checked, before anything runs
    List<RunFolder.Mode> modes = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      Path run = dir.resolve("seed-" + seeds.get(i));
      if (Files.isRegularFile(run.resolve("config.json"))) {
        // one sweep, one recipe: a seed made with other settings would mix two in the summary
        List<String> differ = ResumeCheck.differences(prepared.get(i).recipe(), run);
        if (!differ.isEmpty()) {
          throw new RecipeException(
              "--resume --seeds: "
                  + run
                  + " was made with other settings (these differ: "
                  + ResumeCheck.listed(differ)
                  + "); a sweep's seeds share one recipe, so continue it with the command that"
                  + " started it (its settings are in "
                  + run.resolve("config.json")
                  + "), or start a new sweep in another --out");
        }
      }
      RunFolder.Mode mode;
      if (Files.isRegularFile(run.resolve("metrics.json"))) {
        mode = null; // complete: kept as it is
      } else if (Files.exists(run)) {
        if (!ResumeCheck.hasCheckpoint(run)) {
          throw new RecipeException(
              "--resume --seeds: "
                  + run
                  + " holds neither results (metrics.json) nor a checkpoint (its run stopped"
                  + " before the first epoch ended); move that folder away and run again, and"
                  + " this seed starts afresh");
        }
        ResumeCheck.check(prepared.get(i).recipe(), run, System.out::println);
        mode = RunFolder.Mode.RESUME;
      } else {
        mode = RunFolder.Mode.NEW;
      }
      modes.add(mode);
    }
    if (!others.isEmpty()) {
      // kept on disk, but the summary covers the seeds asked for: say so rather than drop them
      System.out.println(
          "note: "
              + dir
              + " also holds "
              + String.join(", ", others)
              + ", not in --seeds: left as they are and out of the summary (add them to --seeds"
              + " to include them)");
    }
    List<Path> runs = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      Path run = dir.resolve("seed-" + seeds.get(i));
      RunFolder.Mode mode = modes.get(i);
      System.out.printf(
          Locale.ROOT,
          "seed %d (%d of %d): %s%s%n",
          seeds.get(i),
          i + 1,
          seeds.size(),
          run,
          mode == null
              ? " is complete (metrics.json); kept"
              : mode == RunFolder.Mode.RESUME ? ", resuming from its last checkpoint" : "");
      if (mode != null) {
        RecipeExecution.execute(
            prepared.get(i).recipe(), prepared.get(i).overrides(), dataDir, run, mode);
      }
      runs.add(run);
    }
    summarise(dir, prepared.get(0).recipe().name(), seeds, runs);
    return dir;
  }

  /**
   * A sweep's folder holds only {@code seed-<S>} folders (at least one) and the summary files; any
   * other folder (a single run, someone's own files, an empty one) is not a sweep to continue.
   *
   * @return the names of its seed folders, sorted
   */
  private static List<String> requireSweepFolder(Path dir) {
    java.util.TreeSet<String> found = new java.util.TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.matches("seed-[0-9]+") && Files.isDirectory(p)) {
          found.add(name);
        } else if (!name.equals(SeedSummary.FILE)
            && !name.equals(SeedSummary.PAGE)
            && !name.startsWith(".")) {
          throw new RecipeException(
              "--resume --seeds: "
                  + dir
                  + " holds "
                  + name
                  + ", so it is not a sweep's folder (only seed-<S> folders and the summary);"
                  + " give the --out of the sweep to continue, or leave out --resume to start"
                  + " one in a new or empty folder");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new RecipeException(
          "--resume --seeds: "
              + dir
              + " holds no seed-<S> folder, so there is no sweep to continue; leave out --resume"
              + " to start one");
    }
    return new ArrayList<>(found);
  }

  private static void summarise(Path dir, String recipe, List<Long> seeds, List<Path> runs) {
    var summary = SeedSummary.write(dir, recipe, seeds, runs);
    StringBuilder text = new StringBuilder("over " + seeds.size() + " seeds (mean ± sd):\n");
    summary.forEach(
        (m, stats) -> {
          text.append(m);
          stats.forEach(
              (k, st) -> {
                if (st.n() > 1 && !k.equals("n_clusters")) {
                  text.append(
                      String.format(Locale.ROOT, "  %s %.4f ± %.4f", k, st.mean(), st.sd()));
                } else if (st.n() == 1 && !k.equals("n_clusters")) {
                  // one seed with a value: no spread to show
                  text.append(String.format(Locale.ROOT, "  %s %.4f (1 seed)", k, st.mean()));
                }
              });
          text.append('\n');
        });
    System.out.print(text);
    System.out.println(
        "wrote " + dir.resolve(SeedSummary.FILE) + " and " + dir.resolve(SeedSummary.PAGE));
  }

  private static void requireNewOrEmpty(Path dir) {
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) {
          throw new RecipeException("--out " + dir + " is a file; give a new or empty folder");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
          if (s.iterator().hasNext()) {
            throw new RecipeException(
                "--out "
                    + dir
                    + " is not empty; with --seeds give a new or empty folder (each seed's run"
                    + " goes into seed-<S> inside it)");
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
