package io.deepclust.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The file-system work behind {@link RunFolder}: checks that write nothing, atomic creation of
 * unique folders, clearing a previous run's entries, and error messages that keep the operating
 * system's reason and name the fix.
 */
final class RunFolderFiles {
  private static final int MAX_SUFFIX = 10_000;

  private RunFolderFiles() {}

  /** Entries a run recorded in the marker beyond {@link RunFolder#RUN_ENTRIES}. */
  static List<String> recordedEntries(Path dir) {
    List<String> out = new ArrayList<>();
    Path m = dir.resolve(RunFolder.MARKER);
    if (!Files.isRegularFile(m)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
        if (line.startsWith("entry ")) {
          String e = line.substring(6).strip();
          // only plain names inside the folder; the lock file stays
          if (!e.isEmpty()
              && !e.contains("/")
              && !e.contains("\\")
              && !e.equals(".")
              && !e.equals("..")
              && !e.equals(FolderLock.FILE)) {
            out.add(e);
          }
        }
      }
    } catch (IOException e) {
      // an unreadable marker records nothing extra
    }
    return out;
  }

  /** Deletes the previous run's entries (and their temporary siblings); keeps everything else. */
  static void clear(Path dir) {
    Set<String> doomed = new LinkedHashSet<>(RunFolder.RUN_ENTRIES);
    doomed.addAll(recordedEntries(dir));
    doomed.add(RunFolder.MARKER);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (doomed.contains(n) || isTempOf(n, doomed)) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new RunFolderException(
          dir,
          "cannot clear run folder "
              + dir
              + " for --overwrite: "
              + reason(e)
              + " (fix its permissions or choose another --out)",
          e);
    }
  }

  /** AtomicFiles' temporary files: {@code .<name>.<random>.tmp}. */
  static boolean isTempOf(String n, Set<String> names) {
    if (!n.startsWith(".") || !n.endsWith(".tmp")) {
      return false;
    }
    for (String name : names) {
      if (n.startsWith("." + name + ".")) {
        return true;
      }
    }
    return false;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(p);
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static Path createOut(Path out) {
    try {
      return Files.createDirectories(out);
    } catch (IOException e) {
      throw cannotCreate(out, e);
    }
  }

  /** {@code root/base}, or {@code root/base-2}, ...: the first one this call created itself. */
  static Path createUnique(Path root, String base) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw cannotCreate(root.resolve(base), e);
    }
    for (int i = 1; i <= MAX_SUFFIX; i++) {
      Path d = root.resolve(i == 1 ? base : base + "-" + i);
      try {
        // atomic: of two runs started in the same second, exactly one creates each name
        return Files.createDirectory(d);
      } catch (FileAlreadyExistsException e) {
        // taken: try the next suffix
      } catch (IOException e) {
        throw cannotCreate(d, e);
      }
    }
    throw new RunFolderException(
        root,
        "cannot create run folder "
            + root.resolve(base)
            + ": "
            + MAX_SUFFIX
            + " folders of that name exist (choose another place with --out)");
  }

  static RunFolderException cannotCreate(Path dir, IOException e) {
    return new RunFolderException(
        dir,
        "cannot create run folder " + dir + ": " + reason(e) + " (choose another place with --out)",
        e);
  }

  static RunFolderException notEmpty(Path dir) {
    return new RunFolderException(
        dir,
        dir
            + " is not empty; continue it with --resume, clear it with --overwrite, or choose"
            + " another --out");
  }

  static RunFolderException notOurs(Path dir) {
    return new RunFolderException(
        dir,
        dir
            + " holds files that are not from a deepclust run (no "
            + RunFolder.MARKER
            + " or "
            + RunFolder.CONFIG
            + "); --overwrite clears only run folders, so nothing was deleted: choose another"
            + " --out");
  }

  /** Fails, writing nothing, when {@code target} (absent) could not be created. */
  static void checkCreatable(Path target) {
    Path a = target.toAbsolutePath().normalize();
    while (a != null && !Files.exists(a)) {
      a = a.getParent();
    }
    if (a == null) {
      return; // nothing exists, not even a root: open() reports the OS's reason
    }
    if (!Files.isDirectory(a)) {
      throw new RunFolderException(
          target,
          "cannot create run folder "
              + target
              + ": "
              + a
              + " is a file, not a folder (choose another place with --out)");
    }
    if (!Files.isWritable(a)) {
      throw new RunFolderException(
          target,
          "cannot create run folder "
              + target
              + ": "
              + notWritableReason(a)
              + " (choose another place with --out)");
    }
  }

  static void checkWritable(Path dir) {
    if (!Files.isWritable(dir)) {
      throw new RunFolderException(
          dir,
          "cannot write to run folder "
              + dir
              + ": "
              + notWritableReason(dir)
              + " (choose another place with --out)");
    }
  }

  static String notWritableReason(Path p) {
    try {
      if (Files.getFileStore(p).isReadOnly()) {
        return "Read-only file system";
      }
    } catch (IOException e) {
      // fall through to the common case
    }
    return "Permission denied";
  }

  static boolean isEmpty(Path dir, String... ignored) {
    Set<String> skip = Set.of(ignored);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!skip.contains(p.getFileName().toString())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new RunFolderException(
          dir, "cannot list " + dir + ": " + reason(e) + " (check its permissions)", e);
    }
  }

  /** The operating system's reason for {@code e}, e.g. "Read-only file system". */
  static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      if (f.getReason() != null) {
        return f.getReason();
      }
      if (f instanceof AccessDeniedException) {
        return "Permission denied";
      }
      if (f instanceof NoSuchFileException) {
        return "No such file or directory";
      }
      if (f instanceof FileAlreadyExistsException) {
        return "File exists";
      }
      if (f instanceof NotDirectoryException) {
        return "Not a directory";
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
