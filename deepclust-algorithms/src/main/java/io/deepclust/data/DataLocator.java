package io.deepclust.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds dataset files on disk.
 *
 * <p>An explicit {@code --data-dir} is the only root searched: it wins or fails, and a file missing
 * there is an error, never taken from elsewhere. Without it, the environment variable {@code
 * DEEPCLUST_DATA} is searched, then the project's own cache {@code
 * ${XDG_CACHE_HOME:-~/.cache}/deepclust/datasets}. Under a root, dataset {@code name} lives in
 * {@code <root>/<name>/} (so a folder holding {@code mnist/} and {@code fashion-mnist/} is a root);
 * a root whose own folder name is the dataset name is accepted as the dataset folder itself. Each
 * file may be stored gzip'ed ({@code <file>.gz}, preferred when both exist) or raw ({@code
 * <file>}). The first root holding any file of a dataset decides: if it lacks some, the search
 * stops there (a half-filled folder is reported, not silently completed from the next root).
 *
 * <p>Only the own cache is the project's: a run fetches a dataset automatically only into it, and
 * only there may a file with the wrong checksum be replaced. Folders named by the user (--data-dir,
 * DEEPCLUST_DATA) are read, never changed. A folder or file that exists but cannot be read is
 * reported as "permission denied" ({@link DatasetAccessException}), never as missing.
 *
 * <p>The first root is also where {@code deepclust data fetch} writes. The environment is passed in
 * as a map so that tests need not touch the real one.
 */
public final class DataLocator {
  /** Environment variable naming a data root. */
  public static final String ENV_DATA = "DEEPCLUST_DATA";

  /** The command that fetches a dataset, as users type it. */
  public static final String FETCH_COMMAND = "./deepclust data fetch";

  /**
   * A data root and why it is searched ("--data-dir", "DEEPCLUST_DATA", "user cache").
   *
   * @param ownCache whether it is the project's own cache, the only root whose files the project
   *     may replace
   */
  public record Root(Path path, String origin, boolean ownCache) {
    public Root {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(origin, "origin");
    }

    /** A root the user named: read, never changed. */
    public Root(Path path, String origin) {
      this(path, origin, false);
    }
  }

  private final List<Root> roots;

  /**
   * @param explicitDataDir the {@code --data-dir} option, or null
   * @param env environment variables ({@code DEEPCLUST_DATA}, {@code XDG_CACHE_HOME}, {@code HOME})
   */
  public DataLocator(Path explicitDataDir, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    List<Root> r = new ArrayList<>();
    if (explicitDataDir != null) {
      // an explicit folder wins or fails: nothing is taken from DEEPCLUST_DATA or the cache
      r.add(new Root(explicitDataDir, "--data-dir"));
    } else {
      String fromEnv = env.get(ENV_DATA);
      if (fromEnv != null && !fromEnv.isBlank()) {
        r.add(new Root(Paths.get(fromEnv.trim()), ENV_DATA));
      }
      r.add(new Root(userCacheRoot(env), "user cache", true));
    }
    this.roots = List.copyOf(r);
  }

  private DataLocator(List<Root> roots) {
    this.roots = List.copyOf(roots);
  }

  /** A locator over the real environment of this process. */
  public static DataLocator fromEnvironment(Path explicitDataDir) {
    return new DataLocator(explicitDataDir, System.getenv());
  }

  /** A locator that searches only {@code root} (tests, tools with a fixed layout). */
  public static DataLocator onlyRoot(Path root) {
    return new DataLocator(List.of(new Root(root, "given root")));
  }

  /** {@code ${XDG_CACHE_HOME:-$HOME/.cache}/deepclust/datasets}. */
  public static Path userCacheRoot(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path cache;
    if (xdg != null && !xdg.isBlank()) {
      cache = Paths.get(xdg.trim());
    } else {
      String home = env.get("HOME");
      if (home == null || home.isBlank()) {
        home = System.getProperty("user.home");
      }
      cache = Paths.get(home, ".cache");
    }
    return cache.resolve("deepclust").resolve("datasets");
  }

  /** The roots searched, in order. */
  public List<Root> roots() {
    return roots;
  }

  /** Where {@code fetch} writes: the first root. */
  public Path fetchRoot() {
    return roots.get(0).path();
  }

  /** The folder {@code fetch} writes dataset {@code spec} into: {@code <fetchRoot>/<name>}. */
  public Path fetchDir(DatasetSpec spec) {
    return datasetDirUnder(roots.get(0).path(), spec);
  }

  /** Whether the project's own cache is among the roots (false with an explicit --data-dir). */
  public boolean searchesOwnCache() {
    return roots.stream().anyMatch(Root::ownCache);
  }

  /**
   * Whether {@code datasetDir} is a dataset folder in the project's own cache searched here, the
   * only place whose files may be replaced.
   */
  public boolean isOwnCache(Path datasetDir) {
    Path d = datasetDir.toAbsolutePath().normalize();
    for (Root root : roots) {
      if (!root.ownCache()) {
        continue;
      }
      Path r = root.path().toAbsolutePath().normalize();
      if (d.equals(r) || (d.getParent() != null && d.getParent().equals(r))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code datasetDir} lies in the real user cache of this process ({@link #userCacheRoot}
   * of {@code System.getenv()}).
   */
  public static boolean isInUserCache(Path datasetDir) {
    Root cache = new Root(userCacheRoot(System.getenv()), "user cache", true);
    return new DataLocator(List.of(cache)).isOwnCache(datasetDir);
  }

  /**
   * The folder holding all four files of {@code spec}, searched in root order; the first root that
   * holds any of its files decides (empty if that folder lacks some).
   *
   * @throws DatasetAccessException if a root, dataset folder or file on the way cannot be read
   */
  public Optional<Path> find(DatasetSpec spec) {
    for (Root root : roots) {
      FileAccess.requireReadableFolder(root.path());
      for (Path dir : candidateDirs(root.path(), spec)) {
        FileAccess.requireReadableFolder(dir);
        List<String> missing = missingFiles(dir, spec);
        if (missing.isEmpty()) {
          for (DatasetFile f : spec.files()) {
            FileAccess.requireReadableFile(resolveFile(dir, f).orElseThrow());
          }
          return Optional.of(dir);
        }
        if (missing.size() < spec.files().size()) {
          return Optional.empty(); // this folder holds part of the dataset: it decides
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Where a run may fetch {@code spec} by itself: the project's own cache folder, if it is searched
   * and no folder before it holds any file of {@code spec}; empty otherwise (the user's folder
   * decides, and a fetch into it must be asked for explicitly).
   */
  public Optional<Path> autoFetchDir(DatasetSpec spec) {
    for (Root root : roots) {
      if (root.ownCache()) {
        return Optional.of(datasetDirUnder(root.path(), spec));
      }
      for (Path dir : candidateDirs(root.path(), spec)) {
        if (missingFiles(dir, spec).size() < spec.files().size()) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The folder holding all four files of {@code spec}.
   *
   * @throws MissingDatasetException listing every folder looked at and the fetch command
   */
  public Path locate(DatasetSpec spec) {
    Optional<Path> found = find(spec);
    if (found.isPresent()) {
      return found.get();
    }
    List<Path> searched = new ArrayList<>();
    StringBuilder msg = new StringBuilder();
    msg.append("dataset '").append(spec.name()).append("' not found. Looked in:\n");
    boolean stopped = false;
    for (Root root : roots) {
      for (Path dir : candidateDirs(root.path(), spec)) {
        if (stopped) {
          break;
        }
        searched.add(dir);
        msg.append("  ").append(dir).append(" (").append(root.origin()).append("): ");
        if (!Files.isDirectory(dir)) {
          msg.append("no such folder\n");
        } else {
          List<String> missing = missingFiles(dir, spec);
          msg.append("missing ").append(String.join(", ", missing));
          if (missing.size() < spec.files().size()) {
            stopped = true;
            msg.append(
                " (it holds the other files, so it decides; nothing is taken from elsewhere)");
          }
          msg.append('\n');
        }
      }
    }
    Root first = roots.get(0);
    if (!first.ownCache() && first.origin().equals("--data-dir")) {
      msg.append("Fix: put the missing files into ")
          .append(fetchDir(spec))
          .append(", or run ")
          .append(FETCH_COMMAND)
          .append(' ')
          .append(spec.name())
          .append(" --data-dir ")
          .append(first.path())
          .append(" (it adds only the missing files and never replaces yours), or run without")
          .append(" --data-dir to use ")
          .append(ENV_DATA)
          .append(" or the cache");
      throw new MissingDatasetException(spec.name(), searched, msg.toString());
    }
    msg.append("Fix: ")
        .append(FETCH_COMMAND)
        .append(' ')
        .append(spec.name())
        .append("\n  (it writes to ")
        .append(fetchDir(spec))
        .append("; choose another place with --data-dir DIR or the environment variable ")
        .append(ENV_DATA)
        .append("=DIR; files may be .gz or raw IDX)");
    throw new MissingDatasetException(spec.name(), searched, msg.toString());
  }

  /**
   * The stored form of {@code file} in {@code datasetDir}: {@code <name>.gz} if present, else the
   * raw {@code <name>}, else empty.
   */
  public static Optional<Path> resolveFile(Path datasetDir, DatasetFile file) {
    Path gz = datasetDir.resolve(file.gzName());
    if (Files.isRegularFile(gz)) {
      return Optional.of(gz);
    }
    Path raw = datasetDir.resolve(file.name());
    if (Files.isRegularFile(raw)) {
      return Optional.of(raw);
    }
    return Optional.empty();
  }

  /**
   * The stored form of {@code file} in {@code datasetDir}.
   *
   * @throws MissingDatasetException if neither {@code <name>.gz} nor {@code <name>} exists
   * @throws DatasetAccessException if the folder or the file exists but cannot be read
   */
  public static Path requireFile(Path datasetDir, DatasetSpec spec, DatasetFile file) {
    FileAccess.requireReadableFolder(datasetDir);
    Path found = resolveFile(datasetDir, file).orElseThrow(() -> missing(datasetDir, spec, file));
    FileAccess.requireReadableFile(found);
    return found;
  }

  private static MissingDatasetException missing(
      Path datasetDir, DatasetSpec spec, DatasetFile file) {
    return new MissingDatasetException(
        spec.name(),
        List.of(datasetDir),
        "dataset '"
            + spec.name()
            + "': neither "
            + file.gzName()
            + " nor "
            + file.name()
            + " in "
            + datasetDir
            + "; fix: "
            + FETCH_COMMAND
            + " "
            + spec.name());
  }

  private static List<Path> candidateDirs(Path root, DatasetSpec spec) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(datasetDirUnder(root, spec));
    // A root that is itself the dataset folder, e.g. --data-dir /data/mnist.
    Path last = root.getFileName();
    if (last != null && last.toString().equals(spec.name())) {
      dirs.add(root);
    }
    return dirs;
  }

  private static Path datasetDirUnder(Path root, DatasetSpec spec) {
    return root.resolve(spec.name());
  }

  private static List<String> missingFiles(Path dir, DatasetSpec spec) {
    List<String> missing = new ArrayList<>();
    for (DatasetFile f : spec.files()) {
      if (resolveFile(dir, f).isEmpty()) {
        missing.add(f.name() + "[.gz]");
      }
    }
    return missing;
  }
}
