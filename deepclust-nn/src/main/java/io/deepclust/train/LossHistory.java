package io.deepclust.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every finished epoch of a run, in order (including epochs restored from a checkpoint). */
public final class LossHistory {
  private final List<EpochResult> epochs = new ArrayList<>();

  void add(EpochResult r) {
    epochs.add(r);
  }

  void replaceWith(List<EpochResult> restored) {
    epochs.clear();
    epochs.addAll(restored);
  }

  /** All epochs, oldest first (unmodifiable). */
  public List<EpochResult> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** The epochs of one phase. */
  public List<EpochResult> epochsOf(String phase) {
    return epochs.stream().filter(e -> e.phase().equals(phase)).toList();
  }

  /** The epoch losses of one phase, for plots. */
  public double[] lossesOf(String phase) {
    return epochsOf(phase).stream().mapToDouble(EpochResult::loss).toArray();
  }

  /** The latest epoch, or null before the first one ends. */
  public EpochResult last() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }

  public int size() {
    return epochs.size();
  }
}
