package io.deepclust.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * Data-parallel loops on a fixed pool of daemon threads. Bodies must write disjoint outputs (one
 * slot per index or per chunk), so results never depend on the thread count or on scheduling; the
 * chunking of {@link #forRange} depends only on the arguments and {@link #threads()}.
 *
 * <p>With one thread nothing is started and bodies run on the caller's thread. A failing body's
 * exception is rethrown to the caller (checked ones wrapped in {@link IllegalStateException}) after
 * the other workers have finished. Use {@link #run} for a one-off loop, or keep a pool open across
 * many loops (as t-SNE does per iteration) and close it at the end.
 */
public class WorkerPool implements AutoCloseable {
  /** Body of a parallel loop over a half-open index range. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  private final int threads;
  private final String name;
  private final ExecutorService pool;

  /**
   * A pool of {@code max(1, threads)} workers named {@code name-<i>}; {@code name} also labels
   * failures.
   */
  public WorkerPool(int threads, String name) {
    this.threads = Math.max(1, threads);
    this.name = name;
    if (this.threads == 1) {
      pool = null;
    } else {
      AtomicInteger id = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              this.threads,
              r -> {
                Thread t = new Thread(r, name + "-" + id.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
    }
  }

  /**
   * {@code task.accept(t)} for {@code t = 0 .. count - 1} on a one-off pool of up to {@code
   * threads}.
   */
  public static void run(int count, int threads, String name, IntConsumer task) {
    try (WorkerPool pool = new WorkerPool(Math.min(threads, count), name)) {
      pool.forEach(count, task);
    }
  }

  /**
   * As {@link #run(int, int, String, IntConsumer)} with per-worker scratch, see {@link
   * #forEach(int, Supplier, ObjIntConsumer)}.
   */
  public static <S> void run(
      int count, int threads, String name, Supplier<S> scratch, ObjIntConsumer<S> task) {
    try (WorkerPool pool = new WorkerPool(Math.min(threads, count), name)) {
      pool.forEach(count, scratch, task);
    }
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task.accept(t)} once for each {@code t = 0 .. count - 1}; up to {@code threads()}
   * workers claim indices in increasing order, so uneven tasks balance themselves.
   */
  public void forEach(int count, IntConsumer task) {
    forEach(count, () -> null, (ignored, t) -> task.accept(t));
  }

  /**
   * As {@link #forEach(int, IntConsumer)}, handing each task a scratch object made by {@code
   * scratch} once per worker (e.g. a large buffer), so at most {@code threads()} are alive.
   */
  public <S> void forEach(int count, Supplier<S> scratch, ObjIntConsumer<S> task) {
    int workers = Math.min(threads, count);
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          S s = scratch.get();
          int t;
          while ((t = next.getAndIncrement()) < count) {
            task.accept(s, t);
          }
        };
    if (workers <= 1) {
      if (count > 0) {
        worker.run();
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      futures.add(pool.submit(worker));
    }
    awaitAll(futures);
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into contiguous chunks of at least {@code minChunk}
   * (at most {@code 4 * threads()} chunks, so workers finish together); the whole range in one call
   * when single-threaded or {@code n <= minChunk}.
   */
  public void forRange(int n, int minChunk, RangeBody body) {
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
    awaitAll(futures);
  }

  /** Waits for every future, then rethrows the first failure in submission order. */
  private void awaitAll(List<Future<?>> futures) {
    RuntimeException interrupted = null;
    Throwable failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        interrupted = new IllegalStateException(name + " interrupted", e);
        break;
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      }
    }
    if (interrupted != null) {
      throw interrupted;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(name + " failed: " + failure, failure);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
