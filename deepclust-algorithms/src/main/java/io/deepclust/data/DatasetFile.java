package io.deepclust.data;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset: its raw (uncompressed) IDX name and the SHA-256 of that raw content. On
 * disk it may be stored as {@code name} or {@code name + ".gz"}; mirrors serve {@code name +
 * ".gz"}.
 *
 * @param name raw file name, e.g. {@code train-images-idx3-ubyte}
 * @param sha256 lower-case hex SHA-256 of the decompressed content
 */
public record DatasetFile(String name, String sha256) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public DatasetFile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains("/") || name.endsWith(".gz")) {
      throw new IllegalArgumentException(
          "dataset file name must be a plain raw file name without .gz, got '" + name + "'");
    }
    sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
    if (!HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          name + ": sha256 must be 64 hex digits, got '" + sha256 + "'");
    }
  }

  /** The compressed file name, {@code name + ".gz"}. */
  public String gzName() {
    return name + ".gz";
  }
}
