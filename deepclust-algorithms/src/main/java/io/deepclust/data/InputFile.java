package io.deepclust.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A file a run actually read its images or labels from, as recorded in the run's {@code
 * config.json}.
 *
 * @param path absolute, normalised path of the file as read ({@code .gz} or raw)
 * @param sha256 lower-case hex SHA-256 of its decompressed content (what {@link Checksums} and the
 *     registry compare)
 */
public record InputFile(Path path, String sha256) {
  public InputFile {
    path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
  }
}
