/**
 * Plots: {@link io.deepclust.viz.ScatterPlot} (labelled 2-D maps) and {@link
 * io.deepclust.viz.LinePlot} (loss curves) as PNG via XChart or SVG via our own writer, {@link
 * io.deepclust.viz.Heatmap} (confusion matrices) and {@link io.deepclust.viz.ImageGrid} (inputs vs
 * reconstructions) as PNG via Java2D. All writers render to memory first and then write atomically;
 * AWT runs headless unless told otherwise.
 */
package io.deepclust.viz;
