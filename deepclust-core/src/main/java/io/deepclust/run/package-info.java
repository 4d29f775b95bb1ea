/**
 * The run of a recipe as small stages, each with one job: {@link io.deepclust.run.DataSource}
 * (images, subset, validation split), {@code TrainStage}, {@code EmbedStage}, {@code ClusterStage}
 * (each method's reducer and clusterer), {@code EvaluateStage}, the results ({@code metrics.json}
 * as {@code io.deepclust.report.RunRecord}) and {@code FigureStage}, orchestrated by {@link
 * io.deepclust.run.RecipeRun} through a {@link io.deepclust.run.RunContext}. {@link
 * io.deepclust.run.ResumeCheck} decides whether {@code --resume} may continue a folder.
 */
package io.deepclust.run;
