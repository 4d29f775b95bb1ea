package io.deepclust.data;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What a registered dataset is and where to get it: image shape, class names, its four IDX files
 * with their checksums, download mirrors and a registry-package fallback.
 *
 * @param name registry name and folder name on disk, e.g. {@code fashion-mnist}
 * @param title human-readable name
 * @param height image height in pixels
 * @param width image width in pixels
 * @param channels channels per pixel
 * @param classNames class names by label value
 * @param trainImages idx3 training images
 * @param trainLabels idx1 training labels
 * @param testImages idx3 test images
 * @param testLabels idx1 test labels
 * @param mirrors base URLs (ending in {@code /}) that serve {@code <file>.gz}, in order of
 *     preference
 * @param registryPackage package shipping the files, tried after the mirrors; may be null
 */
public record DatasetSpec(
    String name,
    String title,
    int height,
    int width,
    int channels,
    List<String> classNames,
    DatasetFile trainImages,
    DatasetFile trainLabels,
    DatasetFile testImages,
    DatasetFile testLabels,
    List<URI> mirrors,
    RegistryPackage registryPackage) {

  public DatasetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(trainImages, "trainImages");
    Objects.requireNonNull(trainLabels, "trainLabels");
    Objects.requireNonNull(testImages, "testImages");
    Objects.requireNonNull(testLabels, "testLabels");
    classNames = List.copyOf(classNames);
    mirrors = List.copyOf(mirrors);
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          name + ": shape must be positive, got " + height + "x" + width + "x" + channels);
    }
    for (URI m : mirrors) {
      if (!m.toString().endsWith("/")) {
        throw new IllegalArgumentException(name + ": mirror " + m + " must end with '/'");
      }
    }
  }

  /** The four files: train images, train labels, test images, test labels. */
  public List<DatasetFile> files() {
    return List.of(trainImages, trainLabels, testImages, testLabels);
  }

  /**
   * The image file of {@code split}.
   *
   * @throws IllegalArgumentException for {@link Split#ALL}, which spans two files
   */
  public DatasetFile imagesFile(Split split) {
    return pick(split, trainImages, testImages);
  }

  /**
   * The label file of {@code split}.
   *
   * @throws IllegalArgumentException for {@link Split#ALL}, which spans two files
   */
  public DatasetFile labelsFile(Split split) {
    return pick(split, trainLabels, testLabels);
  }

  private DatasetFile pick(Split split, DatasetFile train, DatasetFile test) {
    switch (split) {
      case TRAIN:
        return train;
      case TEST:
        return test;
      default:
        throw new IllegalArgumentException(
            "split " + split + " spans the train and test files; ask for each");
    }
  }
}
