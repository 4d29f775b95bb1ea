package io.deepclust.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers: the CLI with its output captured, and folders compared byte for byte. */
final class Cli {
  private Cli() {}

  /** A tiny real-MNIST recipe: an MLP on 300 test images, one epoch, k-means with one restart. */
  static final String TINY_MLP =
      """
      name: tiny-mlp
      seed: 5
      data: {dataset: mnist, split: test, subset: 300}
      model: {type: mlp, dims: [784, 32, 4]}
      training:
        batch_size: 64
        phases:
          - {type: reconstruction, epochs: 1}
      methods:
        - name: kmeans
          cluster: {type: kmeans, k: 10, n_init: 1}
      report: {figures: [loss]}
      """;

  /** What one command did: exit code, stdout, stderr. */
  record Outcome(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Runs {@code deepclust args...} in this JVM, capturing stdout and stderr. */
  static synchronized Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Outcome(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Writes {@code text} to {@code dir/name} and returns the file. */
  static Path write(Path dir, String name, String text) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), text);
  }

  /**
   * Every file and folder under {@code dir} (hidden ones included): relative path to the SHA-256 of
   * its bytes ({@code "dir"} for folders). Equal snapshots mean nothing was written.
   */
  static Map<String, String> snapshot(Path dir) {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String rel = dir.relativize(p).toString();
        m.put(rel, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  /** Copies the folder tree {@code from} to the new folder {@code to}. */
  static Path copy(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }

  /** Names in {@code dir}, sorted; empty when it does not exist. */
  static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
