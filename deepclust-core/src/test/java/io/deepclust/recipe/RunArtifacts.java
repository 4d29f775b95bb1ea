package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.data.DataLocator;
import io.deepclust.data.Datasets;
import io.deepclust.data.Split;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/** Runs shipped recipes on small real subsets and checks what a run folder holds. */
final class RunArtifacts {
  private RunArtifacts() {}

  /**
   * The real MNIST: from {@code DEEPCLUST_DATA} when set, else the user cache (fetched when
   * missing); the test is skipped when neither works (e.g. offline without a cache).
   */
  static DataLocator mnistOrSkip() {
    DataLocator locator = DataLocator.fromEnvironment(null);
    try {
      Datasets.obtain("mnist", Split.TEST, 10, 0, locator, line -> {});
    } catch (RuntimeException e) {
      Assumptions.abort("real MNIST unavailable (" + e.getMessage() + "): recipe runs skipped");
    }
    return locator;
  }

  /** Runs {@code recipe} with {@code overrides} into {@code out}. */
  static RecipeRun.Result run(
      String recipe, List<String> overrides, DataLocator locator, Path out) {
    Recipe r = RecipeLoader.load(recipe, overrides);
    return run(r, overrides, DataSource.registry(locator), out, null);
  }

  /** Prepares and runs {@code r} into {@code out}, resuming from {@code resumeFrom} if not null. */
  static RecipeRun.Result run(
      Recipe r, List<String> overrides, DataSource source, Path out, Path resumeFrom) {
    RunFolder.Mode mode = resumeFrom == null ? RunFolder.Mode.NEW : RunFolder.Mode.RESUME;
    RunFolder.Plan plan = RunFolder.prepare(out.getParent(), r.name(), out, mode);
    RecipeRun run = RecipeRun.prepare(r, overrides, source, line -> {});
    try (RunFolder folder = plan.open()) {
      RunLog log = new RunLog(System.out, folder.file("run.log"), resumeFrom != null);
      return run.run(folder, log, resumeFrom);
    }
  }

  /** The metrics of the method row {@code name} of {@code metrics.json}. */
  static JsonNode row(JsonNode record, String name) {
    for (JsonNode m : record.get("methods")) {
      if (m.get("name").asText().equals(name)) {
        return m.get("metrics");
      }
    }
    for (JsonNode m : record.get("per_phase")) {
      if (m.get("name").asText().equals(name)) {
        return m.get("metrics");
      }
    }
    throw new AssertionError("no row " + name + " in " + record);
  }

  static JsonNode json(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " missing");
    return RunFolder.json().readTree(file.toFile());
  }

  /** Asserts {@code file} is a PNG that decodes to a non-empty image. */
  static void assertPng(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " missing");
    BufferedImage img = ImageIO.read(file.toFile());
    assertNotNull(img, file + " does not decode as an image");
    assertTrue(img.getWidth() > 50 && img.getHeight() > 50, file + " is too small");
  }

  private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

  /** The shape in a .npy file's header (checks magic and descr). */
  static int[] npyShape(Path file, String descr) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " missing");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] pre = in.readNBytes(10);
      assertEquals((byte) 0x93, pre[0]);
      assertEquals("NUMPY", new String(pre, 1, 5, StandardCharsets.ISO_8859_1));
      int len = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
      String header = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
      assertTrue(header.contains("'descr': '" + descr + "'"), header);
      Matcher m = SHAPE.matcher(header);
      assertTrue(m.find(), header);
      return java.util.Arrays.stream(m.group(1).split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .mapToInt(Integer::parseInt)
          .toArray();
    }
  }

  /** Asserts the metric rows of a run lie in their ranges. */
  static void assertMetricsInRange(JsonNode m, int k) {
    for (String key : List.of("acc", "nmi", "ami", "purity")) {
      double v = m.get(key).asDouble();
      assertTrue(v >= -1e-9 && v <= 1 + 1e-9, key + " = " + v);
    }
    double ari = m.get("ari").asDouble();
    assertTrue(ari >= -1 && ari <= 1, "ari = " + ari);
    double sil = m.get("silhouette").asDouble();
    assertTrue(sil >= -1 && sil <= 1, "silhouette = " + sil);
    assertTrue(m.get("davies_bouldin").asDouble() > 0, "davies_bouldin");
    assertTrue(m.get("calinski_harabasz").asDouble() > 0, "calinski_harabasz");
    assertEquals(k, m.get("n_clusters").asInt());
  }

  /** Lines of a text file, header first. */
  static List<String> lines(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " missing");
    return Files.readAllLines(file);
  }
}
