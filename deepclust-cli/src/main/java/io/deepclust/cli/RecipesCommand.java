package io.deepclust.cli;

import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code deepclust recipes}: the shipped recipes, one line each. */
@Command(
    name = "recipes",
    mixinStandardHelpOptions = true,
    description = "List the shipped recipes with a one-line description and the paper.")
final class RecipesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    for (Recipe r : RecipeLoader.shipped()) {
      System.out.printf("%-18s %s%n", r.name(), r.description());
      if (!r.paper().isEmpty()) {
        System.out.printf("%-18s paper %s%n", "", r.paper());
      }
    }
    return 0;
  }
}
