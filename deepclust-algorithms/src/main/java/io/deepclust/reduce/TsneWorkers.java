package io.deepclust.reduce;

import io.deepclust.util.WorkerPool;

/** The pool t-SNE keeps open across its iterations, see {@link WorkerPool#forRange}. */
final class TsneWorkers extends WorkerPool {
  TsneWorkers(int threads) {
    super(threads, "tsne-worker");
  }
}
