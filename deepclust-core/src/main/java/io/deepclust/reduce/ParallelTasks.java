package io.deepclust.reduce;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on a short-lived pool. Tasks must write disjoint outputs, so results never
 * depend on the thread count or on scheduling.
 */
final class ParallelTasks {
  private ParallelTasks() {}

  /**
   * Runs {@code task.accept(t)} for {@code t = 0 .. count - 1} on up to {@code threads} threads.
   */
  static void run(int count, int threads, IntConsumer task, String name) {
    int workers = Math.max(1, Math.min(threads, count));
    if (workers == 1) {
      for (int t = 0; t < count; t++) {
        task.accept(t);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger threadIndex = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, name + "-" + threadIndex.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        futures.add(
            pool.submit(
                () -> {
                  int t;
                  while ((t = next.getAndIncrement()) < count) {
                    task.accept(t);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(name + " failed", cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
