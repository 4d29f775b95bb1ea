package io.deepclust.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock that keeps two runs (or a run and a report) out of one run folder: an OS file lock
 * ({@link FileChannel#tryLock()}) on {@code .lock} in the folder, which holds the holder's pid and
 * start time for the message the second one gets. The OS drops the lock when the holder dies, so a
 * lock file left by a killed run is simply taken over.
 *
 * <p>POSIX locks belong to the process, and closing any descriptor of the file drops them, so
 * holders inside this JVM are also kept in a map: a second attempt from this process fails on the
 * map and never opens the file.
 */
final class FolderLock implements AutoCloseable {
  /** The lock file's name inside the run folder. */
  static final String FILE = ".lock";

  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private FolderLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the existing folder {@code dir}.
   *
   * @throws RunFolderException when another run holds it, or the lock file cannot be written
   */
  static FolderLock acquire(Path dir) {
    Path key = key(dir);
    String me =
        "pid " + ProcessHandle.current().pid() + ", started " + LocalDateTime.now().format(SHOWN);
    String other = HELD.putIfAbsent(key, me);
    if (other != null) {
      throw inUse(dir, other);
    }
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              dir.resolve(FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw inUse(dir, holder(ch));
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
      return new FolderLock(key, ch, lock);
    } catch (IOException | OverlappingFileLockException | RunFolderException e) {
      HELD.remove(key, me);
      closeQuietly(ch);
      if (e instanceof RunFolderException r) {
        throw r;
      }
      if (e instanceof OverlappingFileLockException) {
        throw inUse(dir, "this process");
      }
      throw new RunFolderException(
          dir,
          "cannot lock run folder "
              + dir
              + ": "
              + RunFolderFiles.reason((IOException) e)
              + " (the folder must be writable; choose another place with --out)",
          e);
    }
  }

  /**
   * Fails when a run holds {@code dir}; writes nothing. A folder without a lock file, or one whose
   * lock file cannot be read, passes: {@link #acquire} has the last word.
   *
   * @throws RunFolderException when the folder is in use
   */
  static void checkFree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    String other = HELD.get(key(dir));
    if (other != null) {
      throw inUse(dir, other);
    }
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return;
    }
    // a shared lock needs only read access; it fails while anyone holds the exclusive one
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
      if (probe == null) {
        throw inUse(dir, holder(ch));
      }
      probe.release();
    } catch (NoSuchFileException | AccessDeniedException | OverlappingFileLockException e) {
      // gone meanwhile, or unreadable: acquire() decides
    } catch (IOException e) {
      // the check is a courtesy before the run validates its inputs; acquire() decides
    }
  }

  /** Releases the lock; the file stays (a later run takes it over). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    closeQuietly(channel);
    HELD.remove(key);
  }

  private static RunFolderException inUse(Path dir, String holder) {
    return new RunFolderException(
        dir,
        dir
            + " is in use by another run ("
            + holder
            + "); wait for it to finish (for a run: or choose another --out)");
  }

  /** The holder's line from the lock file, read through {@code ch} (no second descriptor). */
  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(256);
      int n = ch.read(b, 0);
      String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "pid unknown" : s.lines().findFirst().orElse(s);
    } catch (IOException e) {
      return "pid unknown";
    }
  }

  private static Path key(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }
}
