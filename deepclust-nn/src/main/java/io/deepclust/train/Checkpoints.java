package io.deepclust.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The on-disk layout of checkpoints in a folder:
 *
 * <pre>
 * folder/latest                  name of the newest complete checkpoint (one line)
 * folder/previous                name of the one before it (one line)
 * folder/p0-pretrain-e0003/      one complete checkpoint
 *     params.bin                 root block parameters (Block.saveParameters)
 *     optimizer.bin              optimizer state ({@link StatefulOptimizer#saveState})
 *     best.bin                   the best epoch's parameters, with EarlyStopping(restoreBest)
 *     phase-state.bin            the phase's own state ({@link Phase#saveState})
 *     state.json                 {@link CheckpointState}
 * </pre>
 *
 * A checkpoint is written into a hidden temporary folder and renamed into place when complete; only
 * then does {@code latest} point to it and {@code previous} to the one {@code latest} named before;
 * every other checkpoint is then deleted. So a crash at any moment leaves a good checkpoint, and a
 * latest checkpoint damaged afterwards (a truncated file) still leaves the previous one: {@link
 * TrainingLoop#resume} falls back to it with a warning.
 */
public final class Checkpoints {
  /** Parameters file inside a checkpoint. */
  public static final String PARAMS = "params.bin";

  /** Optimizer state file inside a checkpoint. */
  public static final String OPTIMIZER = "optimizer.bin";

  /** JSON state file inside a checkpoint. */
  public static final String STATE = "state.json";

  /** A phase's own state inside a checkpoint ({@link Phase#saveState}; may be empty). */
  public static final String PHASE_STATE = "phase-state.bin";

  /** Best-epoch parameters inside a checkpoint (only with EarlyStopping restoreBest). */
  public static final String BEST = "best.bin";

  /** Pointer file in the checkpoint folder. */
  public static final String LATEST = "latest";

  /** Pointer to the checkpoint before {@link #LATEST}. */
  public static final String PREVIOUS = "previous";

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
      String before = pointer(folder, LATEST);
      String keep = before != null && !before.equals(name) ? before : pointer(folder, PREVIOUS);
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
      if (keep != null && !keep.equals(name) && isComplete(folder.resolve(keep))) {
        AtomicFiles.writeString(folder.resolve(PREVIOUS), keep + "\n");
      } else {
        keep = null;
        Files.deleteIfExists(folder.resolve(PREVIOUS));
      }
      AtomicFiles.writeString(folder.resolve(LATEST), name + "\n");
      try (Stream<Path> s = Files.list(folder)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (!n.equals(name)
              && !n.equals(keep)
              && NAME.matcher(n).matches()
              && Files.isRegularFile(p.resolve(STATE))) {
            deleteTree(p);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write checkpoint "
              + name
              + " into "
              + folder
              + ": "
              + reason(e)
              + "; check the disk space and permissions there",
          e);
    }
  }

  /**
   * The checkpoint folder meant by {@code path}: a checkpoint itself (it holds {@code state.json}),
   * or a folder of checkpoints (its {@code latest}).
   *
   * @throws IllegalArgumentException naming the path if neither
   */
  public static Path resolve(Path path) {
    return candidates(path).get(0);
  }

  /**
   * The checkpoints to try for {@code path}, best first: {@code path} itself if it is a checkpoint;
   * else the folder's {@code latest} and then its {@code previous} (those that exist).
   *
   * @throws IllegalArgumentException naming the path if there is none
   */
  public static List<Path> candidates(Path path) {
    if (Files.isRegularFile(path.resolve(STATE))) {
      return List.of(path);
    }
    List<Path> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String pointerFile : List.of(LATEST, PREVIOUS)) {
      String name;
      try {
        name = pointer(path, pointerFile);
      } catch (IOException e) {
        missing.add(path.resolve(pointerFile) + " is unreadable: " + reason(e));
        continue;
      }
      if (name == null) {
        continue;
      }
      Path cp = path.resolve(name);
      if (isComplete(cp)) {
        if (!out.contains(cp)) {
          out.add(cp);
        }
      } else {
        missing.add(
            path.resolve(pointerFile) + " names checkpoint '" + name + "', which is missing");
      }
    }
    if (!out.isEmpty()) {
      return List.copyOf(out);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "no usable checkpoint in "
              + path
              + ": "
              + String.join("; ", missing)
              + "; start the run again without resuming");
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

  /**
   * Reads {@code state.json} of a checkpoint folder.
   *
   * @throws UncheckedIOException naming the file and the cause if it is missing, truncated or not
   *     such JSON
   * @throws IllegalArgumentException if it has a layout this version cannot read
   */
  public static CheckpointState readState(Path checkpoint) {
    Path f = checkpoint.resolve(STATE);
    try {
      CheckpointState s = JSON.readValue(f.toFile(), CheckpointState.class);
      if (s.format() != CheckpointState.FORMAT && s.format() != 1) {
        throw new IllegalArgumentException(
            f
                + " has format "
                + s.format()
                + "; this version reads 1 and "
                + CheckpointState.FORMAT
                + "; resume with the deepclust version that wrote it");
      }
      if (s.phases() == null || s.history() == null) {
        throw new IOException("it lacks 'phases' or 'history'");
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + reason(e), e);
    }
  }

  /**
   * What a checkpoint holds, for checks made before a resumed run writes anything.
   *
   * @param checkpoint the checkpoint's folder
   * @param phaseIndex the phase of its last finished epoch, from 0
   * @param phase that phase's name
   * @param epochsDone epochs of that phase finished
   * @param stoppedEarly whether early stopping ended that phase
   * @param state all of {@code state.json}
   * @param warnings newer checkpoints skipped because they are unreadable (file and cause)
   */
  public record Summary(
      Path checkpoint,
      int phaseIndex,
      String phase,
      int epochsDone,
      boolean stoppedEarly,
      CheckpointState state,
      List<String> warnings) {}

  /**
   * Describes the newest checkpoint of {@code path} whose {@code state.json} is readable (a
   * checkpoint folder or a {@link CheckpointListener} folder), reading only {@code state.json}: a
   * cheap check before a resumed run writes anything. (Damage to {@code params.bin} is found only
   * when {@link TrainingLoop#resume} loads it, which then falls back to the previous checkpoint.)
   *
   * @throws IllegalArgumentException if there is no checkpoint, or none is readable (each file and
   *     cause named)
   */
  public static Summary describe(Path path) {
    List<String> warnings = new ArrayList<>();
    for (Path cp : candidates(path)) {
      try {
        CheckpointState s = readState(cp);
        int pi = s.phaseIndex();
        String phase = pi >= 0 && pi < s.phases().size() ? s.phases().get(pi) : "?";
        return new Summary(
            cp, pi, phase, s.epochsDone(), s.stoppedEarly(), s, List.copyOf(warnings));
      } catch (UncheckedIOException e) {
        warnings.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        "no readable checkpoint in " + path + ": " + String.join("; ", warnings) + DAMAGED_FIX);
  }

  static final String DAMAGED_FIX =
      "; the files are damaged (a full disk or an interrupted copy?): start the run again without"
          + " resuming";

  /**
   * Checks that a run of phases {@code phaseNames} with {@code phaseEpochs} epochs can resume from
   * {@code state}: same phases, and no phase asked for fewer epochs than the checkpoint holds.
   *
   * @throws IllegalArgumentException naming the checkpoint, the phase, its epochs and the asked
   *     epochs
   */
  public static void checkResumable(
      Path checkpoint, CheckpointState state, List<String> phaseNames, List<Integer> phaseEpochs) {
    if (!state.phases().equals(phaseNames)) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint
              + " is of a run with phases "
              + state.phases()
              + " but this run has "
              + phaseNames
              + "; resume with the same recipe");
    }
    if (state.phaseIndex() < 0
        || state.phaseIndex() >= phaseNames.size()
        || state.epochsDone() < 0) {
      throw new IllegalArgumentException(
          "checkpoint "
              + checkpoint
              + " has an invalid position (phase "
              + state.phaseIndex()
              + ", epoch "
              + state.epochsDone()
              + ")");
    }
    for (int i = 0; i <= state.phaseIndex(); i++) {
      String name = phaseNames.get(i);
      int done = i == state.phaseIndex() ? state.epochsDone() : state.epochsOf(name);
      int asked = phaseEpochs.get(i);
      if (done > asked) {
        throw new IllegalArgumentException(
            "cannot resume from checkpoint "
                + checkpoint
                + ": phase '"
                + name
                + "' already has "
                + done
                + " epochs there but this run asks for "
                + asked
                + "; ask for at least "
                + done
                + " epochs, or start a new run without resuming");
      }
    }
  }

  /** A short, human reason for an I/O error, keeping the operating system's words. */
  static String reason(Throwable e) {
    if (e instanceof EOFException) {
      return "truncated (the file ends early)";
    }
    if (e instanceof NoSuchFileException n) {
      return "missing (no such file " + n.getFile() + ")";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof JsonProcessingException j) {
      return "not valid JSON (" + j.getOriginalMessage() + ")";
    }
    if (e instanceof FileNotFoundException && e.getMessage() != null) {
      return e.getMessage();
    }
    if (e.getCause() instanceof EOFException) {
      return reason(e.getCause());
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  static boolean isComplete(Path checkpoint) {
    return Files.isRegularFile(checkpoint.resolve(STATE));
  }

  /** The checkpoint name in pointer file {@code file} of {@code folder}, or null if none. */
  private static String pointer(Path folder, String file) throws IOException {
    Path f = folder.resolve(file);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    String name = Files.readString(f, StandardCharsets.UTF_8).trim();
    return NAME.matcher(name).matches() ? name : null;
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
