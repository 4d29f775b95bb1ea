package io.deepclust.run;

import io.deepclust.data.ImageDataset;
import io.deepclust.data.InputFile;
import io.deepclust.data.Subsets;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.util.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The images of one run, after subsetting and the validation split.
 *
 * @param train images the model trains on
 * @param validation held-out training images whose loss is tracked each epoch, or null
 * @param eval images that are embedded, clustered and evaluated
 * @param inputs the files the images and labels were read from (absolute path, SHA-256), in read
 *     order, recorded in {@code config.json}; empty for images held in memory
 * @param evalFiles for a {@code folder:} source, each clustered image's file relative to the
 *     folder, in {@code eval}'s row order (the {@code file} column of {@code assignments.csv});
 *     null for other sources
 */
public record RunData(
    ImageDataset train,
    ImageDataset validation,
    ImageDataset eval,
    List<InputFile> inputs,
    List<String> evalFiles) {

  /**
   * @throws IllegalArgumentException when {@code evalFiles} has not one name per clustered image
   */
  public RunData {
    inputs = List.copyOf(inputs);
    if (evalFiles != null) {
      if (evalFiles.size() != eval.size()) {
        throw new IllegalArgumentException(
            evalFiles.size() + " file names for " + eval.size() + " clustered images");
      }
      evalFiles = List.copyOf(evalFiles);
    }
  }

  /** Images that were not read from files (held in memory). */
  public RunData(ImageDataset train, ImageDataset validation, ImageDataset eval) {
    this(train, validation, eval, List.of(), null);
  }

  /** The same images, read from {@code files} (each recorded once, first read first). */
  public RunData withInputs(List<InputFile> files) {
    return new RunData(
        train, validation, eval, new ArrayList<>(new LinkedHashSet<>(files)), evalFiles);
  }

  /**
   * Applies the recipe's {@code data.subset} and {@code data.validation_fraction} to whole splits.
   *
   * @param all the training split, whole
   * @param eval the evaluation split, whole; {@code all} itself when the recipe uses one split
   * @throws RecipeException when {@code data.subset} exceeds a split, or the validation split would
   *     leave either part empty
   */
  public static RunData of(Recipe recipe, ImageDataset all, ImageDataset eval) {
    Recipe.Data d = recipe.data();
    long seed = recipe.seedValue();
    boolean same = all == eval;
    all = subset(all, d.subset(), seed, d.split());
    eval = same ? all : subset(eval, d.subset(), seed, d.evalSplit());
    if (d.validationFraction() > 0) {
      int[][] parts = validationSplit(all.size(), d.validationFraction(), seed);
      return new RunData(all.subset(parts[0]), all.subset(parts[1]), eval);
    }
    return new RunData(all, null, eval);
  }

  /**
   * As {@link #of(Recipe, ImageDataset, ImageDataset)}, for one set of images read from a folder:
   * {@code files} names each of {@code images}' rows and follows the rows {@code data.subset}
   * keeps.
   *
   * @param files one name per image of {@code images}, or null
   */
  public static RunData of(Recipe recipe, ImageDataset images, List<String> files) {
    int[] rows = subsetRows(images, recipe.data().subset(), recipe.seedValue(), "all");
    List<String> kept = files;
    if (files != null && rows != null) {
      kept = new ArrayList<>(rows.length);
      for (int r : rows) {
        kept.add(files.get(r));
      }
    }
    RunData d = of(recipe, images, images);
    return new RunData(d.train, d.validation, d.eval, d.inputs, kept);
  }

  private static ImageDataset subset(ImageDataset data, int n, long seed, String split) {
    int[] rows = subsetRows(data, n, seed, split);
    return rows == null ? data : data.subset(rows);
  }

  /** The rows {@code data.subset = n} keeps, or null for all of them. */
  private static int[] subsetRows(ImageDataset data, int n, long seed, String split) {
    if (n == 0) {
      return null;
    }
    if (n > data.size()) {
      throw new RecipeException(
          String.format(
              Locale.ROOT,
              "invalid value for 'data.subset': %d is more than the %d images of %s/%s; use at"
                  + " most %d, or 0 for all",
              n,
              data.size(),
              data.name(),
              split,
              data.size()));
    }
    return n == data.size() ? null : Subsets.sample(data.labels(), data.size(), n, seed);
  }

  /**
   * A seeded split of {@code n} rows into training and validation rows (each ascending): {@code
   * round(n * fraction)} rows, drawn by a Fisher-Yates shuffle from {@code Seeds.stream(seed,
   * "validation-split")}, validate; the rest train.
   *
   * @return {@code {trainRows, validationRows}}
   * @throws RecipeException if either part would be empty
   */
  static int[][] validationSplit(int n, double fraction, long seed) {
    int nVal = (int) Math.round(n * fraction);
    if (nVal < 1 || nVal >= n) {
      throw new RecipeException(
          String.format(
              Locale.ROOT,
              "invalid value for 'data.validation_fraction': %s of %d images leaves %d for"
                  + " validation and %d for training; both need images (use more images via"
                  + " data.subset, or validation_fraction 0)",
              fraction,
              n,
              nVal,
              n - nVal));
    }
    int[] order = IntStream.range(0, n).toArray();
    SplittableRandom rnd = Seeds.stream(seed, "validation-split");
    for (int i = 0; i < nVal; i++) {
      int j = i + rnd.nextInt(n - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int[] val = Arrays.copyOfRange(order, 0, nVal);
    int[] tr = Arrays.copyOfRange(order, nVal, n);
    Arrays.sort(val);
    Arrays.sort(tr);
    return new int[][] {tr, val};
  }

  /** One log line: what trains, what is clustered. */
  public String describe(Recipe recipe) {
    if (recipe.training().phases().isEmpty()) {
      return String.format(
          Locale.ROOT,
          "data: %s/%s, %d images to cluster (no training)",
          eval.name(),
          recipe.data().evalSplit(),
          eval.size());
    }
    return String.format(
        Locale.ROOT,
        "data: %s/%s %d images for training%s, %s %d for clustering",
        train.name(),
        recipe.data().split(),
        train.size(),
        validation == null ? "" : " + " + validation.size() + " for validation",
        recipe.data().evalSplit(),
        eval.size());
  }
}
