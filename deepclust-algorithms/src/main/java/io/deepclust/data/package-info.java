/**
 * Datasets: IDX reading, the dataset registry, locating and fetching data, subsets. No DJL
 * dependency.
 */
package io.deepclust.data;
