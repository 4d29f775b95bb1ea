/**
 * Recipes: YAML that picks and parameterises every stage of a run ({@link
 * io.deepclust.recipe.Recipe}, read by {@link io.deepclust.recipe.RecipeLoader}). Pluggable parts
 * are typed components chosen by {@code type}: {@link io.deepclust.recipe.PhaseSpec}, {@link
 * io.deepclust.recipe.OptimizerSpec}, {@link io.deepclust.recipe.ScheduleSpec}, {@link
 * io.deepclust.recipe.ReducerSpec}, {@link io.deepclust.recipe.ClustererSpec}, and the model
 * ({@code io.deepclust.nn.Architecture}). Each record validates its fields with {@link
 * io.deepclust.recipe.Checks} and builds its component; the run's stages ({@code io.deepclust.run})
 * know no particular component. The schema: {@code docs/RECIPES.md}.
 */
package io.deepclust.recipe;
