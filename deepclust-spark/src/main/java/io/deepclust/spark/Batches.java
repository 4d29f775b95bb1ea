package io.deepclust.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows in batches, lazily: only one batch of inputs and its outputs are held at a
 * time, so a task's memory is bounded by the batch, not by the partition.
 */
final class Batches<T, R> implements Iterator<R> {
  private final Iterator<T> in;
  private final int size;
  private final Function<List<T>, List<R>> step;
  private Iterator<R> current = Collections.emptyIterator();

  private Batches(Iterator<T> in, int size, Function<List<T>, List<R>> step) {
    this.in = in;
    this.size = size;
    this.step = step;
  }

  /**
   * @param size inputs per batch, at least 1
   * @param step maps one batch of inputs to its outputs
   */
  static <T, R> Iterator<R> of(Iterator<T> in, int size, Function<List<T>, List<R>> step) {
    return new Batches<>(in, Math.max(1, size), step);
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext() && in.hasNext()) {
      List<T> batch = new ArrayList<>(size);
      while (batch.size() < size && in.hasNext()) {
        batch.add(in.next());
      }
      current = step.apply(batch).iterator();
    }
    return current.hasNext();
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }
}
