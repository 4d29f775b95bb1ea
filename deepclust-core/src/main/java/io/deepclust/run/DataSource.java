package io.deepclust.run;

import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.InputFile;
import io.deepclust.data.Split;
import io.deepclust.recipe.Recipe;
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
   */
  RunData load(Recipe recipe, Consumer<String> log);

  /**
   * Registered datasets, found or fetched through {@code locator}; the files read are recorded in
   * {@link RunData#inputs()}.
   */
  static DataSource registry(DataLocator locator) {
    return (recipe, log) -> {
      Recipe.Data d = recipe.data();
      long seed = recipe.seedValue();
      List<InputFile> read = new ArrayList<>();
      ImageDataset all =
          Datasets.obtain(d.dataset(), Split.parse(d.split()), 0, seed, locator, log, read::add);
      ImageDataset eval =
          d.evalSplit().equals(d.split())
              ? all
              : Datasets.obtain(
                  d.dataset(), Split.parse(d.evalSplit()), 0, seed, locator, log, read::add);
      return RunData.of(recipe, all, eval).withInputs(read);
    };
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
