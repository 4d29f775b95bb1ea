package io.deepclust.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocatorTest {
  @TempDir Path tmp;
  final IdxFixtures.Tiny tiny = new IdxFixtures.Tiny();

  @Test
  void explicitDataDirIsTheOnlyRoot() {
    Path explicit = tmp.resolve("explicit");
    Map<String, String> env =
        Map.of("DEEPCLUST_DATA", tmp.resolve("env").toString(), "XDG_CACHE_HOME", tmp.toString());
    DataLocator loc = new DataLocator(explicit, env);
    List<DataLocator.Root> roots = loc.roots();
    assertEquals(1, roots.size());
    assertEquals(explicit, roots.get(0).path());
    assertEquals("--data-dir", roots.get(0).origin());
    assertFalse(roots.get(0).ownCache());
    assertFalse(loc.searchesOwnCache());
    assertEquals(explicit, loc.fetchRoot());
    assertEquals(explicit.resolve("tiny"), loc.fetchDir(tiny.spec()));
    assertTrue(loc.autoFetchDir(tiny.spec()).isEmpty());
  }

  @Test
  void withoutDataDirEnvThenOwnCache() {
    Map<String, String> env =
        Map.of("DEEPCLUST_DATA", tmp.resolve("env").toString(), "XDG_CACHE_HOME", tmp.toString());
    DataLocator loc = new DataLocator(null, env);
    List<DataLocator.Root> roots = loc.roots();
    assertEquals(2, roots.size());
    assertEquals(tmp.resolve("env"), roots.get(0).path());
    assertFalse(roots.get(0).ownCache());
    assertEquals(tmp.resolve("deepclust/datasets"), roots.get(1).path());
    assertTrue(roots.get(1).ownCache());
    assertTrue(loc.isOwnCache(tmp.resolve("deepclust/datasets/tiny")));
    assertFalse(loc.isOwnCache(tmp.resolve("env/tiny")));
    // nothing of the dataset anywhere: a run may fetch it, into the cache only
    assertEquals(
        tmp.resolve("deepclust/datasets/tiny"), loc.autoFetchDir(tiny.spec()).orElseThrow());
  }

  @Test
  void cacheFallsBackToHome() {
    DataLocator loc = new DataLocator(null, Map.of("HOME", "/home/u", "DEEPCLUST_DATA", " "));
    assertEquals(1, loc.roots().size());
    assertEquals(Path.of("/home/u/.cache/deepclust/datasets"), loc.fetchRoot());
  }

  @Test
  void firstRootHoldingTheDatasetWins() throws Exception {
    Path explicit = tmp.resolve("explicit");
    Path env = tmp.resolve("env");
    Path cache = tmp.resolve("cache");
    Map<String, String> vars =
        Map.of("DEEPCLUST_DATA", env.toString(), "XDG_CACHE_HOME", cache.toString());
    DataLocator loc = new DataLocator(null, vars);
    Path inCache = tiny.writeTo(cache.resolve("deepclust/datasets/tiny"), true);
    assertEquals(inCache, loc.locate(tiny.spec()));
    Path inEnv = tiny.writeTo(env.resolve("tiny"), false);
    assertEquals(inEnv, loc.locate(tiny.spec()));
    // --data-dir holding nothing: an error, not the copy in DEEPCLUST_DATA
    DataLocator withDir = new DataLocator(explicit, vars);
    assertThrows(MissingDatasetException.class, () -> withDir.locate(tiny.spec()));
    Path inExplicit = tiny.writeTo(explicit.resolve("tiny"), true);
    assertEquals(inExplicit, withDir.locate(tiny.spec()));
  }

  @Test
  void incompleteDataDirFailsInsteadOfTakingEnvFiles() throws Exception {
    Path explicit = tmp.resolve("explicit");
    Path env = tmp.resolve("env");
    tiny.writeTo(explicit.resolve("tiny"), true);
    Files.delete(explicit.resolve("tiny/train-labels-idx1-ubyte.gz"));
    tiny.writeTo(env.resolve("tiny"), true);
    DataLocator loc =
        new DataLocator(explicit, Map.of("DEEPCLUST_DATA", env.toString(), "HOME", "/h"));
    assertTrue(loc.find(tiny.spec()).isEmpty());
    MissingDatasetException e =
        assertThrows(MissingDatasetException.class, () -> loc.locate(tiny.spec()));
    String m = e.getMessage();
    assertTrue(m.contains(explicit.resolve("tiny") + " (--data-dir): missing"), m);
    assertTrue(m.contains("train-labels-idx1-ubyte"), m);
    assertFalse(m.contains(env.toString()), m);
    assertTrue(m.contains("./deepclust data fetch tiny --data-dir " + explicit), m);
    assertEquals(List.of(explicit.resolve("tiny")), e.searched());
  }

  @Test
  void incompleteEnvFolderDecidesOverTheCache() throws Exception {
    Path env = tmp.resolve("env");
    Path cache = tmp.resolve("cache");
    tiny.writeTo(env.resolve("tiny"), true);
    Files.delete(env.resolve("tiny/t10k-images-idx3-ubyte.gz"));
    tiny.writeTo(cache.resolve("deepclust/datasets/tiny"), true);
    DataLocator loc =
        new DataLocator(
            null, Map.of("DEEPCLUST_DATA", env.toString(), "XDG_CACHE_HOME", cache.toString()));
    assertTrue(loc.find(tiny.spec()).isEmpty());
    assertTrue(loc.autoFetchDir(tiny.spec()).isEmpty(), "no fetch when the user's folder has part");
    MissingDatasetException e =
        assertThrows(MissingDatasetException.class, () -> loc.locate(tiny.spec()));
    assertTrue(e.getMessage().contains("missing t10k-images-idx3-ubyte[.gz]"), e.getMessage());
    assertEquals(1, e.searched().size());
  }

  @Test
  void acceptsSharedLayoutAndDatasetFolderItself() throws Exception {
    // A root holding one folder per dataset, like /work/shared/datasets.
    Path shared = tmp.resolve("datasets");
    tiny.writeTo(shared.resolve("tiny"), true);
    tiny.writeTo(shared.resolve("other"), false);
    DataLocator loc = new DataLocator(null, Map.of("DEEPCLUST_DATA", shared.toString()));
    assertEquals(shared.resolve("tiny"), loc.locate(tiny.spec()));
    assertEquals(shared.resolve("other"), loc.locate(tiny.spec("other")));
    // --data-dir pointing at the dataset folder itself.
    DataLocator direct = new DataLocator(shared.resolve("tiny"), Map.of("HOME", "/h"));
    assertEquals(shared.resolve("tiny"), direct.locate(tiny.spec()));
  }

  @Test
  void resolvesGzipBeforeRaw() throws Exception {
    Path d = tmp.resolve("d");
    DatasetFile f = tiny.spec().trainLabels();
    assertTrue(DataLocator.resolveFile(d, f).isEmpty());
    IdxFixtures.write(d.resolve(f.name()), tiny.trainLabels);
    assertEquals(d.resolve(f.name()), DataLocator.resolveFile(d, f).orElseThrow());
    IdxFixtures.write(d.resolve(f.gzName()), IdxFixtures.gzip(tiny.trainLabels));
    assertEquals(d.resolve(f.gzName()), DataLocator.resolveFile(d, f).orElseThrow());
  }

  @Test
  void missingDatasetListsPlacesAndFix() throws Exception {
    Path env = tmp.resolve("env");
    Files.createDirectories(env.resolve("tiny"));
    DataLocator loc =
        new DataLocator(
            null,
            Map.of(
                "DEEPCLUST_DATA", env.toString(), "XDG_CACHE_HOME", tmp.resolve("c").toString()));
    MissingDatasetException e =
        assertThrows(MissingDatasetException.class, () -> loc.locate(tiny.spec()));
    String m = e.getMessage();
    assertTrue(
        m.contains(env.resolve("tiny") + " (DEEPCLUST_DATA): missing train-images-idx3-ubyte[.gz]"),
        m);
    assertTrue(m.contains(tmp.resolve("c/deepclust/datasets/tiny") + " (user cache)"), m);
    assertTrue(m.contains("./deepclust data fetch tiny"), m);
    assertTrue(m.contains("--data-dir"), m);
    assertTrue(m.contains("DEEPCLUST_DATA"), m);
    assertEquals("tiny", e.datasetName());
    assertEquals(2, e.searched().size());
  }
}
