/** Plots as PNG (XChart) and SVG: scatter, line, image grids, heatmaps. */
package io.deepclust.viz;
