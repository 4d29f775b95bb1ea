package io.deepclust.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset is not on disk in any of the places searched. The message lists where it looked and
 * gives the command that fixes it.
 */
public class MissingDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String datasetName;
  private final transient List<Path> searched;

  public MissingDatasetException(String datasetName, List<Path> searched, String message) {
    super(message);
    this.datasetName = datasetName;
    this.searched = List.copyOf(searched);
  }

  /** The registry name of the missing dataset, e.g. {@code mnist}. */
  public String datasetName() {
    return datasetName;
  }

  /** The dataset folders that were looked at, in search order. */
  public List<Path> searched() {
    return searched;
  }
}
