/**
 * The model bundle: a run's fitted model ({@code model/} in the run folder) as one folder of JSON
 * and NumPy arrays, with a format version and SHA-256 checksums; see docs/MODEL_BUNDLE.md. This
 * package holds the parts that need no deep-learning engine: the manifest, each method's fitted
 * reducer and clusterer, and the checks made on loading. The network weights are read by
 * deepclust-core.
 */
package io.deepclust.bundle;
