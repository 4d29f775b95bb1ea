package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, data safety: a user's folder is never written to, a --data-dir wins or fails, every
 * file read is recorded, and unreadable files say "permission denied".
 */
class DataSafetyTest {
  @TempDir Path tmp;
  final IdxFixtures.Tiny tiny = new IdxFixtures.Tiny();
  final List<String> log = new ArrayList<>();
  final List<Path> madeUnreadable = new ArrayList<>();

  @AfterEach
  void restorePermissions() throws IOException {
    for (Path p : madeUnreadable) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** Other 28x28 images under MNIST's file names, as a user might have. */
  private Path fakeMnist(Path root, boolean gz) throws IOException {
    Path dir = root.resolve("mnist");
    byte[][] contents = {
      IdxFixtures.images(3, 28, 28),
      IdxFixtures.labels(1, 2, 3),
      IdxFixtures.images(2, 28, 28),
      IdxFixtures.labels(4, 5)
    };
    List<DatasetFile> files = DatasetRegistry.MNIST.files();
    for (int i = 0; i < 4; i++) {
      String name = files.get(i).name();
      IdxFixtures.write(
          dir.resolve(gz ? name + ".gz" : name), gz ? IdxFixtures.gzip(contents[i]) : contents[i]);
    }
    return dir;
  }

  /** Path, bytes and modification time of every file under {@code dir}. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> s = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        FileTime t = Files.getLastModifiedTime(p);
        String content =
            Files.isRegularFile(p) ? Checksums.sha256(Files.readAllBytes(p)) : "folder";
        s.put(dir.relativize(p).toString(), content + " " + t.toMillis());
      }
    }
    return s;
  }

  private static Map<String, byte[]> bytes(Path dir) throws IOException {
    Map<String, byte[]> s = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        s.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return s;
  }

  private static void assertSameBytes(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet(), "no file added or removed");
    for (String k : before.keySet()) {
      assertArrayEquals(before.get(k), after.get(k), k + " unchanged");
    }
  }

  @Test
  void dataDirWithOtherFilesUnderMnistNamesIsAnErrorAndLeftByteIdentical() throws Exception {
    for (boolean gz : new boolean[] {false, true}) {
      Path root = tmp.resolve(gz ? "user-gz" : "user-raw");
      Path dir = fakeMnist(root, gz);
      Map<String, byte[]> before = bytes(root);
      Map<String, String> stamps = snapshot(root);
      Path cache = tmp.resolve("cache");
      DataLocator loc = new DataLocator(root, Map.of("XDG_CACHE_HOME", cache.toString()));

      DatasetChecksumException e =
          assertThrows(
              DatasetChecksumException.class,
              () -> Datasets.obtain("mnist", Split.TRAIN, 0, 1, loc, log::add));
      String first = DatasetRegistry.MNIST.trainImages().name() + (gz ? ".gz" : "");
      Path firstFile = dir.resolve(first);
      String actual = Checksums.sha256OfDecompressed(firstFile);
      assertEquals(firstFile, e.file());
      assertEquals(DatasetRegistry.MNIST.trainImages().sha256(), e.expected());
      assertEquals(actual, e.actual());
      String m = e.getMessage();
      assertTrue(m.contains(firstFile.toString()), m);
      assertTrue(m.contains(DatasetRegistry.MNIST.trainImages().sha256()), m);
      assertTrue(m.contains(actual), m);
      assertTrue(m.contains("idx:" + firstFile.toAbsolutePath() + ","), m);
      assertTrue(m.contains("never replaced"), m);

      // an explicit fetch into the same folder refuses too, before any source is asked
      int[] asked = {0};
      DatasetSource counting =
          new DatasetSource() {
            @Override
            public String describe(DatasetSpec spec) {
              return "counting";
            }

            @Override
            public void obtain(DatasetSpec spec, List<DatasetFile> needed, Path w, Sink sink) {
              asked[0]++;
            }
          };
      assertThrows(
          DatasetChecksumException.class,
          () -> new DatasetFetcher(List.of(counting), log::add).fetch(DatasetRegistry.MNIST, dir));
      assertEquals(0, asked[0]);

      assertSameBytes(before, bytes(root));
      assertEquals(stamps, snapshot(root));
      assertFalse(Files.exists(cache), "nothing fetched into the cache either");
      assertTrue(log.stream().noneMatch(l -> l.contains("fetching")), log.toString());
    }
  }

  @Test
  void deepclustDataFolderWithOtherFilesIsLeftByteIdenticalToo() throws Exception {
    Path root = tmp.resolve("env");
    fakeMnist(root, true);
    Map<String, byte[]> before = bytes(root);
    Path cache = tmp.resolve("cache");
    DataLocator loc =
        new DataLocator(
            null, Map.of("DEEPCLUST_DATA", root.toString(), "XDG_CACHE_HOME", cache.toString()));
    assertThrows(
        DatasetChecksumException.class,
        () -> Datasets.obtain("mnist", Split.TEST, 0, 1, loc, log::add));
    assertSameBytes(before, bytes(root));
    assertFalse(Files.exists(cache));
  }

  @Test
  void fetchIntoAUserFolderOnlyAddsMissingFiles() throws Exception {
    Path target = tiny.writeTo(tmp.resolve("user/tiny"), false);
    Files.delete(target.resolve("t10k-labels-idx1-ubyte"));
    Map<String, byte[]> before = bytes(target);
    Path source = tiny.writeTo(tmp.resolve("src"), true);
    new DatasetFetcher(List.of(new LocalFolderSource(source)), log::add).fetch(tiny.spec(), target);
    Map<String, byte[]> after = bytes(target);
    assertTrue(after.containsKey("t10k-labels-idx1-ubyte.gz"));
    after.remove("t10k-labels-idx1-ubyte.gz");
    assertSameBytes(before, after);
  }

  @Test
  void dataDirMissingAFileFailsAndNothingComesFromDeepclustData() throws Exception {
    Path explicit = tmp.resolve("explicit");
    Path env = tmp.resolve("env");
    Path dir = fakeMnist(explicit, true);
    Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
    fakeMnist(env, true);
    DataLocator loc =
        new DataLocator(
            explicit,
            Map.of(
                "DEEPCLUST_DATA", env.toString(), "XDG_CACHE_HOME", tmp.resolve("c").toString()));
    MissingDatasetException e =
        assertThrows(
            MissingDatasetException.class,
            () -> Datasets.obtain("mnist", Split.TRAIN, 0, 1, loc, log::add));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertFalse(e.getMessage().contains(env.toString()), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("c")));
    assertTrue(log.isEmpty(), log.toString());
  }

  @Test
  void recordsAbsolutePathAndSha256OfEveryFileRead() throws Exception {
    Path dir = tiny.writeTo(tmp.resolve("d/tiny"), true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    IdxFixtures.write(dir.resolve("t10k-labels-idx1-ubyte"), tiny.testLabels);
    List<InputFile> read = new ArrayList<>();
    ImageDataset test = DatasetLoader.loadVerified(tiny.spec(), Split.TEST, dir, read::add);
    assertEquals(4, test.size());
    assertEquals(
        List.of(
            new InputFile(
                dir.resolve("t10k-images-idx3-ubyte.gz").toAbsolutePath(),
                Checksums.sha256(tiny.testImages)),
            new InputFile(
                dir.resolve("t10k-labels-idx1-ubyte").toAbsolutePath(),
                Checksums.sha256(tiny.testLabels))),
        read);
    assertTrue(read.get(0).path().isAbsolute());

    read.clear();
    DatasetLoader.loadVerified(tiny.spec(), Split.ALL, dir, read::add);
    assertEquals(4, read.size());
    assertEquals(tiny.spec().trainImages().sha256(), read.get(0).sha256());
  }

  @Test
  void relativeDataDirIsRecordedAbsolute() throws Exception {
    InputFile f = new InputFile(Path.of("data/../data/x.gz"), "AB");
    assertEquals(Path.of("data/x.gz").toAbsolutePath(), f.path());
    assertEquals("ab", f.sha256());
  }

  // --- permission denied (not visible to root, who reads everything) ---

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void chmod(Path p, String perms) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    madeUnreadable.add(p);
  }

  @Test
  void unreadableDatasetFolderSaysPermissionDeniedNotMissing() throws Exception {
    assumeFalse(isRoot(), "root reads every file: permission failures cannot be seen");
    Path root = tmp.resolve("data");
    Path dir = tiny.writeTo(root.resolve("tiny"), true);
    chmod(dir, "---------");
    DataLocator loc = new DataLocator(root, Map.of("HOME", tmp.toString()));
    DatasetAccessException e =
        assertThrows(DatasetAccessException.class, () -> loc.find(tiny.spec()));
    assertEquals(dir, e.path());
    String m = e.getMessage();
    assertTrue(m.startsWith("permission denied"), m);
    assertTrue(m.contains("chmod a+rx " + dir), m);
    assertFalse(m.contains("missing") || m.contains("fetch"), m);
    assertThrows(DatasetAccessException.class, () -> loc.locate(tiny.spec()));
  }

  @Test
  void unreadableFileSaysPermissionDeniedNotRefetch() throws Exception {
    assumeFalse(isRoot(), "root reads every file: permission failures cannot be seen");
    Path dir = tiny.writeTo(tmp.resolve("data/tiny"), true);
    Path file = dir.resolve("train-labels-idx1-ubyte.gz");
    chmod(file, "---------");
    DatasetAccessException e =
        assertThrows(
            DatasetAccessException.class,
            () -> DatasetLoader.loadVerified(tiny.spec(), Split.TRAIN, dir, f -> {}));
    String m = e.getMessage();
    assertTrue(m.startsWith("permission denied"), m);
    assertTrue(m.contains(file.toString()), m);
    assertTrue(m.contains("chmod a+r " + file), m);
    assertFalse(m.contains("re-fetch"), m);
    // the fetcher does not try to replace it either, even in its own cache
    assertThrows(
        DatasetAccessException.class,
        () ->
            new DatasetFetcher(List.of(new LocalFolderSource(tmp)), log::add)
                .fetch(tiny.spec(), dir, true));
  }

  @Test
  void unreadableDataRootSaysPermissionDenied() throws Exception {
    assumeFalse(isRoot(), "root reads every file: permission failures cannot be seen");
    Path root = tmp.resolve("data");
    tiny.writeTo(root.resolve("tiny"), true);
    chmod(root, "---------");
    DataLocator loc = new DataLocator(root, Map.of("HOME", tmp.toString()));
    DatasetAccessException e =
        assertThrows(DatasetAccessException.class, () -> loc.locate(tiny.spec()));
    assertTrue(e.getMessage().startsWith("permission denied: cannot read folder " + root));
  }
}
