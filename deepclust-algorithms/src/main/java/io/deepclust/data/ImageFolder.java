package io.deepclust.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder of image files (PNG, JPEG, BMP, GIF, by their extension, any case) with {@code
 * javax.imageio}, each into {@code (C, H, W)} values in [0, 1].
 *
 * <p>Layout: when the folder has subfolders that hold images, each such subfolder is a class (named
 * by the subfolder, classes in name order) and every image must be in one; otherwise the images
 * directly in the folder are read, unlabelled. Only one level is read: deeper folders, hidden
 * entries ({@code .name}) and files with other extensions are skipped and counted. Files are read
 * in {@link String#compareTo} order of their names (classes first), the same on every machine.
 *
 * <p>Pixels: an image with one colour component (grey, grey with alpha, or a palette of greys) is
 * grey, {@code C = 1}, its samples divided by {@code 2^bits - 1}; any other is colour, {@code C =
 * 3}, its sRGB values ({@code BufferedImage.getRGB}, 8 bits) divided by 255. Alpha is ignored.
 */
final class ImageFolder {
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private ImageFolder() {}

  /** One decoded image. */
  record Image(Path file, float[] chw, int channels, int height, int width) {}

  /**
   * The images read, their class per image (null when unlabelled), the class names, and what was
   * skipped.
   */
  record Contents(List<Image> images, int[] labels, List<String> classNames, int skipped) {}

  static Contents read(Path root) {
    if (!Files.exists(root)) {
      throw new DataSourceException(
          root, root + ": no such folder (check the path; folder:PATH names a folder of images)");
    }
    if (!Files.isDirectory(root)) {
      throw new DataSourceException(
          root,
          root
              + ": not a folder; folder:PATH names a folder of images (for an IDX, NPY or CSV"
              + " file use idx:, npy: or csv:)");
    }
    List<Path> entries = list(root);
    List<Path> classDirs = new ArrayList<>();
    List<Path> topImages = new ArrayList<>();
    int skipped = 0;
    for (Path p : entries) {
      if (Files.isDirectory(p)) {
        if (list(p).stream().anyMatch(ImageFolder::isImage)) {
          classDirs.add(p);
        } else {
          skipped++;
        }
      } else if (isImage(p)) {
        topImages.add(p);
      } else {
        skipped++;
      }
    }
    List<Image> images = new ArrayList<>();
    List<String> classNames = new ArrayList<>();
    int[] labels = null;
    if (!classDirs.isEmpty()) {
      if (!topImages.isEmpty()) {
        throw new DataSourceException(
            root,
            root
                + " holds images both in class subfolders ("
                + classDirs.get(0).getFileName()
                + "/, ...) and at its top level ("
                + topImages.get(0).getFileName()
                + ", ...); put every image in a class subfolder, or point folder: at a folder"
                + " of images alone");
      }
      List<Integer> y = new ArrayList<>();
      for (int k = 0; k < classDirs.size(); k++) {
        Path dir = classDirs.get(k);
        classNames.add(dir.getFileName().toString());
        for (Path p : list(dir)) {
          if (isImage(p) && Files.isRegularFile(p)) {
            images.add(decode(p));
            y.add(k);
          } else {
            skipped++;
          }
        }
      }
      labels = y.stream().mapToInt(Integer::intValue).toArray();
    } else {
      for (Path p : topImages) {
        images.add(decode(p));
      }
    }
    if (images.isEmpty()) {
      throw new DataSourceException(
          root,
          root
              + ": no images (PNG, JPEG, BMP or GIF files, by extension) in the folder or its"
              + " subfolders");
    }
    return new Contents(images, labels, classNames, skipped);
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw DataSourceException.cannotRead(dir, e);
    }
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0
        && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))
        && !Files.isDirectory(p);
  }

  /** Decodes one image file into {@code (C, H, W)} in [0, 1]. */
  static Image decode(Path file) {
    BufferedImage img;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      img = ImageIO.read(in);
    } catch (IOException e) {
      if (e instanceof java.nio.file.FileSystemException) {
        throw DataSourceException.cannotRead(file, e);
      }
      throw new DataSourceException(
          file,
          file + ": cannot decode the image (" + e.getMessage() + "); the file is damaged",
          e);
    }
    if (img == null) {
      throw new DataSourceException(
          file,
          file
              + ": not a PNG, JPEG, BMP or GIF image that Java can decode (check the file, or"
              + " convert it to PNG)");
    }
    boolean grey = ImageTransforms.isGrey(img);
    return new Image(
        file, ImageTransforms.pixels(img), grey ? 1 : 3, img.getHeight(), img.getWidth());
  }
}
