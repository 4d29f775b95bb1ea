package io.deepclust.reduce;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool for data-parallel loops over {@code [0, n)}. Work is split into contiguous chunks
 * whose results go to per-index slots, so outcomes never depend on the number of threads or on
 * scheduling.
 */
final class TsneWorkers implements AutoCloseable {
  /** Body of a parallel loop over a half-open index range. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;

  TsneWorkers(int threads) {
    this.threads = Math.max(1, threads);
    if (this.threads == 1) {
      pool = null;
    } else {
      AtomicInteger id = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              this.threads,
              r -> {
                Thread t = new Thread(r, "tsne-worker-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
  }

  int threads() {
    return threads;
  }

  /** Runs {@code body} over {@code [0, n)} in chunks of at least {@code minChunk}. */
  void forRange(int n, int minChunk, RangeBody body) {
    if (pool == null || n <= minChunk) {
      body.run(0, n);
      return;
    }
    int chunks = Math.max(1, Math.min(threads * 4, (n + minChunk - 1) / minChunk));
    int size = (n + chunks - 1) / chunks;
    List<Future<?>> futures = new ArrayList<>(chunks);
    for (int from = 0; from < n; from += size) {
      int f = from;
      int t = Math.min(n, from + size);
      futures.add(pool.submit(() -> body.run(f, t)));
    }
    for (Future<?> fu : futures) {
      try {
        fu.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("t-SNE interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("t-SNE worker failed: " + cause, cause);
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
