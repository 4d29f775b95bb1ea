package io.deepclust.report;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

  /** Files below the top level a run recorded in the marker ({@code file figures/loss.png}). */
  static Set<String> recordedFiles(Path dir) {
    Set<String> out = new LinkedHashSet<>();
    Path m = dir.resolve(RunFolder.MARKER);
    if (!Files.isRegularFile(m)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
        if (line.startsWith("file ")) {
          out.add(line.substring(5).strip());
        }
      }
    } catch (IOException e) {
      // an unreadable marker records nothing: every nested file then counts as foreign
    }
    return out;
  }

  /**
   * A checkpoint folder's name ({@code p0-reconstruction-e0003}), as io.deepclust.train names it.
   */
  private static final Pattern CHECKPOINT = Pattern.compile("p\\d+-.+-e\\d+");

  /** Files of one checkpoint and of the checkpoints folder, as io.deepclust.train writes them. */
  private static final Set<String> CHECKPOINT_FILES =
      Set.of("params.bin", "optimizer.bin", "state.json", "phase-state.bin", "best.bin");

  private static final Set<String> CHECKPOINTS_FOLDER_FILES =
      Set.of("latest", "previous", "best.bin");

  /**
   * Everything in {@code dir} that a run did not write (relative paths, sorted): top-level entries
   * outside {@link RunFolder#RUN_ENTRIES} and the marker's records, files in {@code figures/} and
   * other recorded folders that the marker does not list, and files in {@code checkpoints/} that
   * are not checkpoints. {@link RunFolder.Mode#OVERWRITE} refuses a folder where this is not empty,
   * since a user's file must never be deleted.
   */
  static List<String> foreign(Path dir) {
    Set<String> top = new LinkedHashSet<>(RunFolder.RUN_ENTRIES);
    top.addAll(recordedEntries(dir));
    top.add(RunFolder.MARKER);
    top.add(FolderLock.FILE);
    Set<String> files = recordedFiles(dir);
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!ours(rel, top, files)) {
          out.add(rel);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      out.add("(cannot list " + dir + ": " + e.getMessage() + ")");
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static boolean ours(String rel, Set<String> top, Set<String> files) {
    String[] parts = rel.split("/");
    String first = parts[0];
    if (parts.length == 1) {
      return top.contains(first) || isTempOf(first, top);
    }
    String name = parts[parts.length - 1];
    if (first.equals("checkpoints")) {
      if (parts.length == 2) {
        return CHECKPOINTS_FOLDER_FILES.contains(name) || name.endsWith(".tmp");
      }
      boolean checkpointDir =
          CHECKPOINT.matcher(parts[1]).matches() || parts[1].startsWith(".tmp-");
      return parts.length == 3
          && checkpointDir
          && (CHECKPOINT_FILES.contains(name) || name.endsWith(".tmp"));
    }
    if (!top.contains(first)) {
      return false;
    }
    // a nested file is ours when the run recorded it, or is AtomicFiles' temporary sibling
    return files.contains(rel) || (name.startsWith(".") && name.endsWith(".tmp"));
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

  static RunFolderException foreignFiles(Path dir, List<String> foreign) {
    List<String> shown = foreign.subList(0, Math.min(foreign.size(), 10));
    return new RunFolderException(
        dir,
        dir
            + " holds files a run did not write: "
            + String.join(", ", shown)
            + (foreign.size() > shown.size() ? ", ... (" + foreign.size() + " in all)" : "")
            + "; --overwrite deletes only a run's own files, so nothing was deleted: move those"
            + " files out of the folder, or choose another --out");
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
    checkCreatable(target, "run folder");
  }

  /**
   * Checks that {@code target} can be created: its nearest existing ancestor is a writable folder.
   *
   * @param what the folder's kind for the message, e.g. "run folder"
   * @throws RunFolderException naming the ancestor and the operating system's reason
   */
  static void checkCreatable(Path target, String what) {
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
          "cannot create "
              + what
              + " "
              + target
              + ": "
              + a
              + " is a file, not a folder (choose another place with --out)");
    }
    if (!Files.isWritable(a)) {
      throw new RunFolderException(
          target,
          "cannot create "
              + what
              + " "
              + target
              + ": "
              + notWritableReason(a)
              + " (choose another place with --out)");
    }
  }

  static void checkWritable(Path dir) {
    checkWritable(dir, "run folder");
  }

  /**
   * Checks that the existing folder {@code dir} is writable.
   *
   * @param what the folder's kind for the message, e.g. "run folder"
   * @throws RunFolderException with the operating system's reason
   */
  static void checkWritable(Path dir, String what) {
    if (!Files.isWritable(dir)) {
      throw new RunFolderException(
          dir,
          "cannot write to "
              + what
              + " "
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
