package io.deepclust.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The folder one run writes everything into: {@code runs/<date>-<name>/} by default. Every file is
 * written atomically, so a killed run leaves whole files or none.
 */
public final class RunFolder {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  private RunFolder(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens {@code out} when given, else a new {@code <runsRoot>/<yyyyMMdd-HHmmss>-<name>} folder (a
   * numeric suffix keeps two runs started in the same second apart).
   */
  public static RunFolder create(Path runsRoot, String name, Path out) {
    Path dir;
    if (out != null) {
      dir = out;
    } else {
      String base = LocalDateTime.now().format(STAMP) + "-" + sanitize(name);
      dir = runsRoot.resolve(base);
      for (int i = 2; Files.exists(dir); i++) {
        dir = runsRoot.resolve(base + "-" + i);
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create run folder "
              + dir
              + ": "
              + e.getMessage()
              + " (choose another with --out)",
          e);
    }
    return new RunFolder(dir);
  }

  private static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  public Path dir() {
    return dir;
  }

  /** Path of {@code name} inside the folder (sub-folders are created). */
  public Path file(String name) {
    Path p = dir.resolve(name);
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  /** Jackson closes the stream it writes to; AtomicFiles must close it itself. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(java.io.OutputStream out) {
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
