package io.deepclust.run;

import io.deepclust.data.Checksums;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.ImageTransforms;
import io.deepclust.data.InputFile;
import io.deepclust.data.SourceReader;
import io.deepclust.data.SourceSpec;
import io.deepclust.data.Split;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.UserDatasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a run's images come from. The run asks once, before anything is written, so that a bad
 * dataset or subset fails without leaving a folder behind.
 */
public interface DataSource {

  /**
   * The recipe's images, subset and split ({@link RunData#of}).
   *
   * @param log receives progress lines (e.g. a dataset fetch)
   * @throws io.deepclust.recipe.RecipeException when the recipe's data section cannot be met
   * @throws io.deepclust.data.DataSourceException when a source cannot be read
   */
  RunData load(Recipe recipe, Consumer<String> log);

  /**
   * The recipe's {@code data.dataset}: a registered dataset, found or fetched through {@code
   * locator}; a source ({@code folder:}, {@code idx:}, {@code npy:}, {@code csv:}); or a name from
   * the user's datasets file ({@link UserDatasets}). Images are brought to {@code data.shape} when
   * it is given, with one log line saying what was done. A source is read only, never written. The
   * files read are recorded in {@link RunData#inputs()}.
   */
  static DataSource registry(DataLocator locator) {
    return (recipe, log) -> {
      Recipe.Data d = recipe.data();
      int[] shape = d.shapeArray();
      if (!d.registered()) {
        SourceSpec spec;
        if (SourceSpec.isSource(d.dataset())) {
          spec = SourceSpec.parse(d.dataset());
        } else {
          UserDatasets.Entry e =
              UserDatasets.find(d.dataset())
                  .orElseThrow(
                      () ->
                          new io.deepclust.recipe.RecipeException(
                              "data.dataset: '"
                                  + d.dataset()
                                  + "' is not in the datasets file "
                                  + UserDatasets.file()));
          spec = e.source();
          log.accept("data: '" + e.name() + "' is " + spec.text() + " (from " + e.file() + ")");
        }
        SourceReader.Loaded l = SourceReader.read(spec, d.dataset(), shape);
        log.accept("data: " + l.description());
        if (!d.split().equals(d.evalSplit())) {
          log.accept(
              "data: a source is one set of images, so split '"
                  + d.split()
                  + "' and eval_split '"
                  + d.evalSplit()
                  + "' are both all of it");
        }
        return RunData.of(recipe, l.data(), folderNames(spec, l)).withInputs(inputs(l.files()));
      }
      long seed = recipe.seedValue();
      List<InputFile> read = new ArrayList<>();
      ImageDataset all =
          Datasets.obtain(d.dataset(), Split.parse(d.split()), 0, seed, locator, log, read::add);
      ImageDataset eval =
          d.evalSplit().equals(d.split())
              ? all
              : Datasets.obtain(
                  d.dataset(), Split.parse(d.evalSplit()), 0, seed, locator, log, read::add);
      if (shape != null) {
        String what =
            ImageTransforms.describe(all.channels(), all.height(), all.width(), shape, false);
        if (!what.isEmpty()) {
          boolean same = all == eval;
          all = ImageTransforms.apply(all, shape, false);
          eval = same ? all : ImageTransforms.apply(eval, shape, false);
          log.accept(
              "data: "
                  + d.dataset()
                  + " images brought to data.shape "
                  + ImageTransforms.shapeText(shape[0], shape[1], shape[2])
                  + ": "
                  + what);
        }
      }
      return RunData.of(recipe, all, eval).withInputs(read);
    };
  }

  /**
   * For a {@code folder:} source, each image's file relative to the folder (forward slashes), in
   * the images' order; null for other sources.
   */
  private static List<String> folderNames(SourceSpec spec, SourceReader.Loaded l) {
    if (spec.kind() != SourceSpec.Kind.FOLDER || l.files().size() != l.data().size()) {
      return null;
    }
    Path root = spec.images().toAbsolutePath().normalize();
    List<String> out = new ArrayList<>(l.files().size());
    for (Path f : l.files()) {
      Path p = f.toAbsolutePath().normalize();
      out.add((p.startsWith(root) ? root.relativize(p) : p).toString().replace('\\', '/'));
    }
    return out;
  }

  /** The files a source read, with the SHA-256 of their (decompressed) content. */
  private static List<InputFile> inputs(List<Path> files) {
    List<InputFile> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(new InputFile(f, Checksums.sha256OfDecompressed(f)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f + " again to checksum it: " + e, e);
      }
    }
    return out;
  }

  /**
   * Images already in memory (tests, notebooks): {@code train} is the training split, {@code eval}
   * the evaluation split ({@code train} itself when the recipe uses one split); the recipe's {@code
   * data.dataset} and split names are not consulted.
   */
  static DataSource inMemory(ImageDataset train, ImageDataset eval) {
    return (recipe, log) -> RunData.of(recipe, train, eval == null ? train : eval);
  }
}
