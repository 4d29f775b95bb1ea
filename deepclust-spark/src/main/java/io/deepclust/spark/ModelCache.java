package io.deepclust.spark;

import io.deepclust.bundle.BundleException;
import io.deepclust.bundle.ModelBundle;
import io.deepclust.data.Checksums;
import io.deepclust.predict.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded model per executor JVM: each bundle is read (and all its checksums checked) once, the
 * first time a task of this JVM needs it, and then shared by every task of the JVM. Keyed by the
 * bundle's path and the SHA-256 of its {@code manifest.json} as the driver saw it, so an executor
 * that finds another bundle at the same path refuses it instead of labelling with another model.
 *
 * <p>The networks are never closed: they live as long as the executor JVM, as a broadcast would.
 */
public final class ModelCache {
  private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, ModelBundle> BUNDLES = new ConcurrentHashMap<>();

  private ModelCache() {}

  /**
   * The identity of a bundle as the driver sees it: the SHA-256 of its manifest (which holds the
   * SHA-256 of every other file).
   *
   * @param bundle a run folder or its {@code model/} folder
   * @throws BundleException when the manifest cannot be read
   */
  public static String checksum(String bundle) {
    Path manifest = ModelBundle.locate(Path.of(bundle)).resolve(ModelBundle.MANIFEST);
    try {
      return Checksums.sha256(Files.readAllBytes(manifest));
    } catch (IOException e) {
      throw new BundleException(
          "--bundle "
              + bundle
              + ": cannot read "
              + manifest
              + " ("
              + e
              + "); give a run folder or its model/ folder, present on every executor (a shared"
              + " file system, or spark-submit --archives model.zip#model)",
          e);
    }
  }

  /** The bundle's network and methods, loaded once per JVM on the CPU. */
  public static TrainedModel model(String bundle, String checksum) {
    return MODELS.computeIfAbsent(
        bundle + "@" + checksum,
        k -> {
          verify(bundle, checksum);
          return TrainedModel.load(Path.of(bundle), "cpu");
        });
  }

  /** The bundle's methods only (no network: assignment needs no libtorch), loaded once per JVM. */
  public static ModelBundle bundle(String bundle, String checksum) {
    return BUNDLES.computeIfAbsent(
        bundle + "@" + checksum,
        k -> {
          verify(bundle, checksum);
          return ModelBundle.read(Path.of(bundle));
        });
  }

  /** The method called {@code name} (null: the first), with an error listing the others. */
  public static ModelBundle.Method method(ModelBundle b, String name) {
    if (name == null) {
      return b.methods().get(0);
    }
    ModelBundle.Method m = b.method(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "--method "
              + name
              + ": the bundle "
              + b.dir()
              + " has no such method; it has "
              + b.methods().stream().map(ModelBundle.Method::name).toList());
    }
    return m;
  }

  private static void verify(String bundle, String checksum) {
    String here = checksum(bundle);
    if (!here.equals(checksum)) {
      throw new BundleException(
          bundle
              + ": this executor's bundle differs from the driver's (manifest SHA-256 "
              + here
              + ", driver "
              + checksum
              + "); ship one bundle to every executor (spark-submit --archives model.zip#model)");
    }
  }
}
