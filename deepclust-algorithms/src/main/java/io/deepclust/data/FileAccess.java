package io.deepclust.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Tells "permission denied" apart from "missing": a folder or file that exists but cannot be read
 * is reported with its permissions and the fix, never as missing (which would send the user to a
 * fetch that cannot help).
 */
final class FileAccess {
  private FileAccess() {}

  /**
   * @throws DatasetAccessException if {@code dir} is a folder this process cannot list or enter
   */
  static void requireReadableFolder(Path dir) {
    if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
      throw new DatasetAccessException(dir, folderDenied(dir));
    }
  }

  /**
   * @throws DatasetAccessException if {@code file} exists but this process cannot read it
   */
  static void requireReadableFile(Path file) {
    if (Files.exists(file) && !Files.isReadable(file)) {
      throw new DatasetAccessException(file, fileDenied(file, null));
    }
  }

  static String folderDenied(Path dir) {
    return "permission denied: cannot read folder "
        + dir
        + describe(dir)
        + ". Fix: let this user read it, e.g. chmod a+rx "
        + dir
        + " (as its owner), or point --data-dir at a copy you can read";
  }

  /**
   * @param reason the operating system's reason, or null
   */
  static String fileDenied(Path file, String reason) {
    return "permission denied: cannot read "
        + file
        + describe(file)
        + (reason == null ? "" : " (" + reason + ")")
        + ". Fix: let this user read it, e.g. chmod a+r "
        + file
        + " (as its owner), or point --data-dir at a copy you can read";
  }

  /** " (permissions rwx------, owner u; this process runs as v)", or "" where unknown. */
  private static String describe(Path p) {
    try {
      String perms =
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
      String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
      return " (permissions "
          + perms
          + ", owner "
          + owner
          + "; this process runs as "
          + System.getProperty("user.name")
          + ")";
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
