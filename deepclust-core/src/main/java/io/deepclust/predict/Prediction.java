package io.deepclust.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deepclust.bundle.ModelBundle;
import io.deepclust.data.ImageDataset;
import io.deepclust.embed.NpyWriter;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.metrics.Evaluation;
import io.deepclust.metrics.EvaluationOptions;
import io.deepclust.report.Assignments;
import io.deepclust.report.MetricsTable;
import io.deepclust.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New images assigned to a trained run's clusters: each method's fitted reducer, then its fitted
 * clusterer's rule (the nearest centre, the most probable mixture component, the head's soft
 * assignment), with probabilities where the clusterer has them, scored against the images' labels
 * when they have some. On the very images the run clustered this reproduces its {@code
 * assignments.csv}.
 */
public final class Prediction {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Prediction() {}

  /**
   * One method's predictions.
   *
   * @param name the method's name
   * @param features the reduced embeddings, {@code n x k}
   * @param labels cluster of each image, length n
   * @param probabilities {@code n x k} cluster probabilities, or null for a hard clusterer
   * @param metrics ACC, NMI, ARI, AMI, purity (null without labels), silhouette, Davies-Bouldin,
   *     Calinski-Harabasz, n_clusters
   */
  public record MethodResult(
      String name,
      FloatMatrix features,
      int[] labels,
      FloatMatrix probabilities,
      Map<String, Double> metrics) {}

  /**
   * Assigns embedded images with every method of {@code model}.
   *
   * @param embeddings {@code n x d} from {@link TrainedModel#embed}
   * @param truth true labels, or null
   */
  public static List<MethodResult> predict(
      TrainedModel model, FloatMatrix embeddings, int[] truth) {
    EvaluationOptions opts =
        EvaluationOptions.defaults()
            .withSilhouetteSample(
                model.recipe().evaluation().silhouetteSample(), model.recipe().seedValue());
    List<MethodResult> out = new ArrayList<>();
    for (ModelBundle.Method m : model.bundle().methods()) {
      FloatMatrix features = m.reducer().transform(embeddings);
      int[] labels = m.clusterer().predict(features);
      FloatMatrix proba = m.clusterer().predictProba(features);
      Map<String, Double> metrics = Evaluation.of(features, truth, labels, opts).metrics();
      out.add(new MethodResult(m.name(), features, labels, proba, metrics));
    }
    return out;
  }

  /** The metrics of every method, as the run prints them. */
  public static MetricsTable table(List<MethodResult> results) {
    MetricsTable t = new MetricsTable();
    results.forEach(r -> t.add(r.name(), r.metrics()));
    return t;
  }

  /**
   * Writes {@code assignments.csv} ({@code index,true_label,<method>...}, the run's layout), {@code
   * probabilities_<method>.npy} for soft clusterers and {@code predictions.json} (what was
   * predicted and the metrics) into {@code out}, which must be new or empty: no file of the user's
   * is ever replaced. Each file is written atomically.
   *
   * @throws IllegalArgumentException when {@code out} exists and is not an empty folder
   * @throws UncheckedIOException when a file cannot be written (with the OS's reason)
   */
  public static void write(
      Path out, Path run, String dataset, ImageDataset images, List<MethodResult> results) {
    write(out, run, dataset, Map.of(), images, null, results);
  }

  /**
   * As {@link #write(Path, Path, String, ImageDataset, List)}, with {@code selection} (which images
   * of the dataset: e.g. {@code split}, {@code subset}, {@code subset_seed}) recorded in {@code
   * predictions.json}, and each image's file as {@code assignments.csv}'s second column ({@code
   * index,file,true_label,<method>...}) when {@code files} is given (a folder source, {@link
   * TrainedModel.Images#files()}).
   */
  public static void write(
      Path out,
      Path run,
      String dataset,
      Map<String, Object> selection,
      ImageDataset images,
      List<String> files,
      List<MethodResult> results) {
    requireNewOrEmpty(out);
    Map<String, int[]> columns = new LinkedHashMap<>();
    results.forEach(r -> columns.put(r.name(), r.labels()));
    Assignments.write(out.resolve("assignments.csv"), files, images.labels(), columns);
    for (MethodResult r : results) {
      if (r.probabilities() != null) {
        NpyWriter.write(out.resolve("probabilities_" + r.name() + ".npy"), r.probabilities());
      }
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("run", run.toAbsolutePath().normalize().toString());
    info.put("dataset", dataset);
    // which images, so that a subset's rows can be traced back (e.g. split, subset, subset_seed)
    info.putAll(selection);
    info.put("images", images.size());
    info.put("labelled", images.labels() != null);
    Map<String, Object> metrics = new LinkedHashMap<>();
    results.forEach(r -> metrics.put(r.name(), r.metrics()));
    info.put("metrics", metrics);
    try {
      AtomicFiles.writeBytes(out.resolve("predictions.json"), JSON.writeValueAsBytes(info));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write predictions.json: " + e.getMessage(), e);
    }
  }

  /**
   * Creates {@code out}, or accepts it when it is an empty folder.
   *
   * @throws IllegalArgumentException when it is a file or a folder with anything in it
   */
  public static void requireNewOrEmpty(Path out) {
    requireNewOrEmpty(out, "");
  }

  /**
   * As {@link #requireNewOrEmpty(Path)}, with {@code orElse} (e.g. ", or add --overwrite ...")
   * after the fix the message names, for a command that has another way out.
   */
  public static void requireNewOrEmpty(Path out, String orElse) {
    try {
      if (Files.exists(out)) {
        if (!Files.isDirectory(out)) {
          throw new IllegalArgumentException(
              "--out " + out + " is a file; give a new folder (nothing is overwritten)");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(out)) {
          if (s.iterator().hasNext()) {
            throw new IllegalArgumentException(
                "--out "
                    + out
                    + " is not empty; give a new or empty folder"
                    + orElse
                    + " (deepclust never overwrites files it did not write)");
          }
        }
      }
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code name} is a file {@link #write} writes (or its temporary sibling). */
  static boolean ours(String name) {
    String n =
        name.startsWith(".") && name.endsWith(".tmp")
            ? name.substring(1, Math.max(1, name.lastIndexOf('.', name.length() - 5)))
            : name;
    return n.equals("assignments.csv")
        || n.equals("predictions.json")
        || (n.startsWith("probabilities_") && n.endsWith(".npy"));
  }

  /**
   * {@code --overwrite}'s check, writing nothing: {@code out} is new, empty, or a folder an earlier
   * {@code predict} wrote ({@code predictions.json}) that holds only the files predict writes.
   *
   * @throws IllegalArgumentException naming the other files (nothing is deleted)
   */
  public static void requireOverwritable(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " is a file; give a new folder (nothing is overwritten)");
    }
    List<String> names = names(out);
    if (names.isEmpty()) {
      return;
    }
    if (!names.contains("predictions.json")) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " was not written by deepclust predict (no predictions.json); --overwrite clears"
              + " only predict's folders, so nothing was deleted: choose another --out");
    }
    List<String> foreign = names.stream().filter(n -> !ours(n)).toList();
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(
          "--out "
              + out
              + " holds files predict did not write: "
              + String.join(", ", foreign)
              + "; --overwrite deletes only predict's own files, so nothing was deleted: move"
              + " them or choose another --out");
    }
  }

  /**
   * Deletes the files an earlier predict wrote into {@code out} ({@link #requireOverwritable}
   * first); keeps everything else.
   *
   * @throws UncheckedIOException when a file cannot be deleted (with the OS's reason)
   */
  public static void clear(Path out) {
    if (!Files.isDirectory(out)) {
      return;
    }
    requireOverwritable(out);
    for (String n : names(out)) {
      try {
        Files.deleteIfExists(out.resolve(n));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot delete " + out.resolve(n) + " for --overwrite: " + e.getMessage(), e);
      }
    }
  }

  private static List<String> names(Path dir) {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }
}
