package io.deepclust.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a file's <em>decompressed</em> content, so that a checksum holds whatever gzip
 * settings produced a {@code .gz} copy (the registry's checksums are of the raw IDX bytes).
 */
public final class Checksums {
  private Checksums() {}

  /**
   * Lower-case hex SHA-256 of the content of {@code file}, gunzipped first if it starts with the
   * gzip magic bytes.
   *
   * @throws IOException if the file cannot be read or its gzip data is corrupt
   */
  public static String sha256OfDecompressed(Path file) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = IdxReader.openDecompressed(file)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }
}
