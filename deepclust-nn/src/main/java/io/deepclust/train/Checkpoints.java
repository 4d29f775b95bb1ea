package io.deepclust.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk layout of checkpoints in a folder:
 *
 * <pre>
 * folder/latest                  name of the newest complete checkpoint (one line)
 * folder/p0-pretrain-e0003/      one complete checkpoint
 *     params.bin                 root block parameters (Block.saveParameters)
 *     optimizer.bin              Adam step counts and moments ({@link AdamOptimizer#saveState})
 *     state.json                 {@link CheckpointState}
 * </pre>
 *
 * A checkpoint is written into a hidden temporary folder and renamed into place when complete; only
 * then does {@code latest} point to it and are older checkpoints deleted, so a crash at any moment
 * leaves the previous good checkpoint readable.
 */
public final class Checkpoints {
  /** Parameters file inside a checkpoint. */
  public static final String PARAMS = "params.bin";

  /** Optimizer state file inside a checkpoint. */
  public static final String OPTIMIZER = "optimizer.bin";

  /** JSON state file inside a checkpoint. */
  public static final String STATE = "state.json";

  /** Pointer file in the checkpoint folder. */
  public static final String LATEST = "latest";

  private static final Pattern NAME = Pattern.compile("p\\d+-.+-e\\d{4,}");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoints() {}

  /** A checkpoint's folder name: {@code p<phaseIndex>-<phase>-e<epoch, 4 digits>}. */
  public static String name(int phaseIndex, String phase, int epoch) {
    return String.format(java.util.Locale.ROOT, "p%d-%s-e%04d", phaseIndex, phase, epoch);
  }

  /** Writes the files of one checkpoint into a folder. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path dir) throws IOException;
  }

  /**
   * Writes a complete checkpoint named {@code name} into {@code folder} atomically, points {@code
   * latest} at it and deletes older checkpoints.
   *
   * @return the checkpoint's folder
   */
  static Path write(Path folder, String name, Content content) {
    try {
      Files.createDirectories(folder);
      Path tmp = Files.createTempDirectory(folder, ".tmp-" + name + "-");
      try {
        content.writeTo(tmp);
      } catch (IOException | RuntimeException e) {
        deleteTree(tmp);
        throw e;
      }
      Path target = folder.resolve(name);
      if (Files.exists(target)) {
        // an older run left a checkpoint of the same name: move it aside, never half-overwrite
        Path old = Files.createTempDirectory(folder, ".old-" + name + "-");
        Files.delete(old);
        move(target, old);
        move(tmp, target);
        deleteTree(old);
      } else {
        move(tmp, target);
      }
      AtomicFiles.writeString(folder.resolve(LATEST), name + "\n");
      try (Stream<Path> s = Files.list(folder)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (!n.equals(name)
              && NAME.matcher(n).matches()
              && Files.isRegularFile(p.resolve(STATE))) {
            deleteTree(p);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write checkpoint " + name + " into " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * The checkpoint folder meant by {@code path}: a checkpoint itself (it holds {@code state.json}),
   * or a folder of checkpoints (its {@code latest}).
   *
   * @throws IllegalArgumentException naming the path if neither
   */
  public static Path resolve(Path path) {
    if (Files.isRegularFile(path.resolve(STATE))) {
      return path;
    }
    Path latest = path.resolve(LATEST);
    if (Files.isRegularFile(latest)) {
      try {
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        Path cp = path.resolve(name);
        if (Files.isRegularFile(cp.resolve(STATE))) {
          return cp;
        }
        throw new IllegalArgumentException(
            latest + " names checkpoint '" + name + "', which is missing or incomplete");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + latest + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "no checkpoint at "
            + path
            + ": expected a checkpoint folder with "
            + STATE
            + " or a folder with a '"
            + LATEST
            + "' file (written by CheckpointListener)");
  }

  /** Reads {@code state.json} of a checkpoint folder. */
  public static CheckpointState readState(Path checkpoint) {
    Path f = checkpoint.resolve(STATE);
    try {
      CheckpointState s = JSON.readValue(f.toFile(), CheckpointState.class);
      if (s.format() != CheckpointState.FORMAT) {
        throw new IllegalArgumentException(
            f + " has format " + s.format() + "; this version reads " + CheckpointState.FORMAT);
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  static byte[] stateBytes(CheckpointState state) throws IOException {
    return JSON.writeValueAsBytes(state);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
