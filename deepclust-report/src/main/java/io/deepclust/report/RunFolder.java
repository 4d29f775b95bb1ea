package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The folder one run writes everything into: {@code runs/<yyyyMMdd-HHmmss>-<name>/} by default, or
 * the {@code --out} folder. Every file is written atomically, so a killed run leaves whole files or
 * none, and no run ever loses another's results:
 *
 * <ol>
 *   <li>{@link #prepare} only checks (it writes nothing), so a caller can validate everything else
 *       before the first byte lands on disk;
 *   <li>{@link Plan#open()} creates the folder and takes its lock ({@code .lock}); a second run
 *       into the same folder, or a report rewritten while a run writes it, fails;
 *   <li>{@link #close()} releases the lock.
 * </ol>
 *
 * <p>A run folder is recognised by its marker file {@code .deepclust-run} (written on open, listing
 * the entries the run wrote) or, for folders written before markers, by a {@code config.json} with
 * {@code provenance}.
 */
public final class RunFolder implements AutoCloseable {
  /** What to do with the {@code --out} folder. */
  public enum Mode {
    /** A fresh folder; an existing {@code --out} must be empty. */
    NEW,
    /** Continue the run in an existing run folder ({@code --resume}). */
    RESUME,
    /** Clear a previous run's entries from a run folder first ({@code --overwrite}). */
    OVERWRITE
  }

  /** Marker that says "a deepclust run wrote this folder"; lists the run's extra entries. */
  public static final String MARKER = ".deepclust-run";

  /** The run's configuration file; its presence is what makes a folder reportable. */
  public static final String CONFIG = "config.json";

  /** Entries a run writes at the top of its folder; {@link Mode#OVERWRITE} deletes only these. */
  public static final Set<String> RUN_ENTRIES =
      Set.of(
          CONFIG,
          RunRecord.FILE,
          "training.csv",
          "per_phase.json",
          "assignments.csv",
          "features.npy",
          "labels.npy",
          "run.log",
          HtmlReport.FILE_NAME,
          "figures",
          "checkpoints");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String MARKER_HEAD = "deepclust run folder";

  private final Path dir;
  private final FolderLock lock;
  private final Set<String> recorded;
  private final Set<String> recordedFiles;
  private volatile boolean closed;

  private RunFolder(Path dir, FolderLock lock) {
    this.dir = dir;
    this.lock = lock;
    this.recorded = new LinkedHashSet<>(RunFolderFiles.recordedEntries(dir));
    this.recordedFiles = RunFolderFiles.recordedFiles(dir);
  }

  /**
   * Checks that a run can use its folder, writing nothing. The folder is {@code out} when given,
   * else a new {@code <runsRoot>/<yyyyMMdd-HHmmss>-<name>} (made unique on {@link Plan#open()}).
   *
   * @param runsRoot where default folders go, e.g. {@code runs}; unused when {@code out} is given
   * @param name the run's name for the default folder; characters outside {@code [A-Za-z0-9._-]}
   *     become {@code _}
   * @param out the {@code --out} folder, or null for a default one
   * @param mode {@link Mode#NEW} for a default folder; RESUME and OVERWRITE need {@code out}
   * @return the plan to {@link Plan#open()}
   * @throws RunFolderException when {@code out} is not empty (NEW), not a run folder (RESUME, or
   *     OVERWRITE of a folder with other files), in use by another run, or cannot be written
   */
  public static Plan prepare(Path runsRoot, String name, Path out, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    if (out == null) {
      Objects.requireNonNull(runsRoot, "runsRoot");
      if (mode != Mode.NEW) {
        throw new RunFolderException(
            null,
            "--"
                + mode.name().toLowerCase(java.util.Locale.ROOT)
                + " needs --out: the run folder to "
                + (mode == Mode.RESUME ? "continue" : "clear"));
      }
      String base = LocalDateTime.now().format(STAMP) + "-" + sanitize(name);
      RunFolderFiles.checkCreatable(runsRoot.resolve(base));
      return new Plan(runsRoot, base, null, mode);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new RunFolderException(
          out, out + " is a file, not a folder; choose another --out for the run folder");
    }
    boolean exists = Files.isDirectory(out);
    if (exists) {
      // first: a folder another run is writing is "in use", not merely "not empty"
      FolderLock.checkFree(out);
    }
    switch (mode) {
      case NEW -> {
        if (exists && !RunFolderFiles.isEmpty(out)) {
          throw RunFolderFiles.notEmpty(out);
        }
      }
      case RESUME -> {
        if (!exists) {
          throw new RunFolderException(
              out, out + " does not exist: nothing to resume; start the run without --resume");
        }
        if (!isRunFolder(out)) {
          throw new RunFolderException(
              out,
              out
                  + " is not a run folder (no "
                  + CONFIG
                  + " from a deepclust run): nothing to resume; give --out the run's folder");
        }
      }
      case OVERWRITE -> {
        if (exists && !RunFolderFiles.isEmpty(out)) {
          requireOnlyRunFiles(out);
        }
      }
    }
    if (exists) {
      RunFolderFiles.checkWritable(out);
    } else {
      RunFolderFiles.checkCreatable(out);
    }
    return new Plan(null, null, out, mode);
  }

  /**
   * What {@link #prepare} checked; {@link #open()} acts on it once.
   *
   * <p>The checks are repeated under the lock, since another process may have written the folder in
   * between.
   */
  public static final class Plan {
    private final Path runsRoot;
    private final String base;
    private final Path out;
    private final Mode mode;
    private boolean opened;

    private Plan(Path runsRoot, String base, Path out, Mode mode) {
      this.runsRoot = runsRoot;
      this.base = base;
      this.out = out;
      this.mode = mode;
    }

    /**
     * The folder the run will use: {@code out}, or the default folder's first choice (a suffix
     * {@code -2}, {@code -3}, ... is added on open when another run took that name first).
     */
    public Path dir() {
      return out != null ? out : runsRoot.resolve(base);
    }

    public Mode mode() {
      return mode;
    }

    /**
     * Creates the folder, takes its lock and, for {@link Mode#OVERWRITE}, deletes the previous
     * run's entries. Close the returned folder when the run ends.
     *
     * @throws RunFolderException as {@link #prepare}, and when the folder cannot be created
     * @throws IllegalStateException on a second call
     */
    public synchronized RunFolder open() {
      if (opened) {
        throw new IllegalStateException("run folder plan for " + dir() + " was already opened");
      }
      opened = true;
      Path dir =
          out == null ? RunFolderFiles.createUnique(runsRoot, base) : RunFolderFiles.createOut(out);
      FolderLock lock = FolderLock.acquire(dir);
      try {
        switch (mode) {
          case NEW -> {
            if (!RunFolderFiles.isEmpty(dir, FolderLock.FILE)) {
              throw RunFolderFiles.notEmpty(dir);
            }
          }
          case RESUME -> {
            if (!isRunFolder(dir)) {
              throw new RunFolderException(dir, dir + " is no longer a run folder; not resumed");
            }
          }
          case OVERWRITE -> {
            if (!RunFolderFiles.isEmpty(dir, FolderLock.FILE)) {
              requireOnlyRunFiles(dir);
            }
            RunFolderFiles.clear(dir);
          }
        }
        RunFolder folder = new RunFolder(dir, lock);
        if (mode != Mode.RESUME || !Files.isRegularFile(dir.resolve(MARKER))) {
          folder.writeMarker();
        }
        return folder;
      } catch (RuntimeException e) {
        lock.close();
        throw e;
      }
    }
  }

  /** {@link Mode#OVERWRITE}'s rule: only a run folder, and only files a run wrote. */
  private static void requireOnlyRunFiles(Path dir) {
    if (!isRunFolder(dir)) {
      throw RunFolderFiles.notOurs(dir);
    }
    List<String> foreign = RunFolderFiles.foreign(dir);
    if (!foreign.isEmpty()) {
      throw RunFolderFiles.foreignFiles(dir, foreign);
    }
  }

  /**
   * Locks an existing run folder for a tool that rewrites part of it (the report).
   *
   * @throws RunFolderException when {@code dir} is not a run folder or is in use
   */
  static RunFolder lockExisting(Path dir) {
    requireRunFolder(dir);
    return new RunFolder(dir, FolderLock.acquire(dir));
  }

  /**
   * Fails unless {@code dir} holds a {@code config.json}, i.e. is a folder a run wrote.
   *
   * @throws RunFolderException "not a run folder (no config.json in DIR)"
   */
  public static void requireRunFolder(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new RunFolderException(
          dir,
          dir
              + " is not a run folder ("
              + (dir != null && Files.exists(dir) ? "a file, not a folder" : "no such folder")
              + "); pass the folder a run wrote, e.g. runs/20240101-120000-cae-pca-kmeans");
    }
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new RunFolderException(
          dir,
          dir
              + " is not a run folder (no "
              + CONFIG
              + " in "
              + dir
              + "); pass the folder a run wrote, e.g. runs/20240101-120000-cae-pca-kmeans");
    }
    if (!isRunFolder(dir)) {
      throw new RunFolderException(
          dir,
          dir
              + " is not a run folder: its "
              + CONFIG
              + " was not written by a deepclust run (no provenance) and there is no "
              + MARKER
              + "; nothing was written");
    }
  }

  /** Whether {@code dir} was written by a deepclust run (marker, or our {@code config.json}). */
  public static boolean isRunFolder(Path dir) {
    if (Files.isRegularFile(dir.resolve(MARKER))) {
      return true;
    }
    Path cfg = dir.resolve(CONFIG);
    if (!Files.isRegularFile(cfg)) {
      return false;
    }
    try {
      JsonNode n = JSON.readTree(cfg.toFile());
      return n != null && n.path("provenance").isObject();
    } catch (IOException e) {
      return false;
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Path of {@code name} inside the folder ({@code figures/loss.png}); parent folders are created
   * and a new top-level entry is recorded in the marker, so that {@link Mode#OVERWRITE} clears it.
   *
   * @throws IllegalArgumentException when {@code name} leaves the folder
   * @throws RunFolderException when a parent folder cannot be created
   */
  public Path file(String name) {
    Path p = dir.resolve(name).normalize();
    if (!p.startsWith(dir.normalize()) || p.equals(dir.normalize())) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a file inside the run folder " + dir);
    }
    checkOpen();
    record(dir.normalize().relativize(p));
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      throw new RunFolderException(
          dir,
          "cannot create "
              + p.getParent()
              + ": "
              + RunFolderFiles.reason(e)
              + " (is the disk full?)",
          e);
    }
    return p;
  }

  /** Writes {@code value} as indented JSON to {@code name}, atomically. */
  public Path writeJson(String name, Object value) {
    return writeJson(name, value, JSON);
  }

  /** Writes {@code value} as JSON with {@code mapper} to {@code name}, atomically. */
  public Path writeJson(String name, Object value, ObjectMapper mapper) {
    Path p = file(name);
    AtomicFiles.write(p, out -> mapper.writeValue(new NonClosing(out), value));
    return p;
  }

  /** Writes UTF-8 text to {@code name}, atomically. */
  public Path writeText(String name, String text) {
    Path p = file(name);
    AtomicFiles.write(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    return p;
  }

  /** The shared JSON mapper (indented output). */
  public static ObjectMapper json() {
    return JSON;
  }

  /** Whether this folder holds the lock (false for {@link #create} folders and after close). */
  public boolean isLocked() {
    return lock != null && !closed;
  }

  /** Releases the lock; later writes fail. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (lock != null) {
      lock.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("run folder " + dir + " is closed");
    }
  }

  /** Records a new top-level entry, and a nested file by its path, in the marker. */
  private synchronized void record(Path relative) {
    String top = relative.getName(0).toString();
    boolean changed = !RUN_ENTRIES.contains(top) && !top.equals(MARKER) && recorded.add(top);
    if (relative.getNameCount() > 1) {
      changed |= recordedFiles.add(relative.toString().replace('\\', '/'));
    }
    if (changed) {
      writeMarker();
    }
  }

  private synchronized void writeMarker() {
    StringBuilder sb = new StringBuilder(MARKER_HEAD).append('\n');
    recorded.forEach(e -> sb.append("entry ").append(e).append('\n'));
    recordedFiles.forEach(f -> sb.append("file ").append(f).append('\n'));
    AtomicFiles.writeString(dir.resolve(MARKER), sb.toString());
  }

  private static String sanitize(String name) {
    String s = name == null || name.isBlank() ? "run" : name;
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** Jackson closes the stream it writes to; AtomicFiles must close it itself. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
