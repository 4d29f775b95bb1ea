package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deepclust bench}: options, recipe models, --pytorch and the errors a user can make. */
class BenchCommandTest {

  /** The DEC autoencoder's bench recipe, relative to this module's folder (the tests' cwd). */
  static final String DEC_AE = "../tools/bench/dec-ae.yaml";

  @Test
  void recipeWithoutModelIsAClearError() {
    Cli.Outcome o = Cli.run("bench", "--recipe", "kmeans-baselines");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("kmeans-baselines"), o.err());
    assertTrue(o.err().contains("has no model"), o.err());
  }

  @Test
  void architectureAndRecipeTogetherIsAUsageError() {
    Cli.Outcome o = Cli.run("bench", "cae-bn-000", "--recipe", "mlp-soft-centroids");
    assertEquals(2, o.code(), o.all());
    assertTrue(o.err().contains("not both"), o.err());
  }

  @Test
  void setWithoutRecipeAndBadThreadsAreUsageErrors() {
    Cli.Outcome o = Cli.run("bench", "--set", "training.batch_size=8");
    assertEquals(2, o.code(), o.all());
    assertTrue(o.err().contains("--set needs --recipe"), o.err());
    o = Cli.run("bench", "--threads", "0");
    assertEquals(2, o.code(), o.all());
    assertTrue(o.err().contains("--threads is 0"), o.err());
  }

  @Test
  void helpShowsArchitectureAsOptional() {
    Cli.Outcome o = Cli.run("bench", "--help");
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("[ARCHITECTURE]"), o.out());
    assertTrue(o.out().contains("default cae-bn-000"), o.out());
    assertTrue(o.out().contains("--recipe"), o.out());
    assertTrue(o.out().contains("--pytorch"), o.out());
    assertTrue(o.out().contains("/usr/bin/python3"), o.out());
  }

  /** The recipe's batch, loss and optimizer; steps and warm-up scaled to the small batch. */
  @Test
  void recipeModelRunsWithTheRecipesBatchLossAndOptimizer() {
    Cli.Outcome o = Cli.run("bench", "--recipe", "mlp-soft-centroids", "--runs", "1");
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("recipe mlp-soft-centroids"), o.out());
    assertTrue(o.out().matches("(?s).*\\nloss\\s+MSE\\n.*"), o.out());
    assertTrue(
        o.out().contains("adam lr 0.001, betas (0.9, 0.999), eps 1.0E-8, weight decay 1.0E-8"),
        o.out());
    assertTrue(o.out().matches("(?s).*batch size\\s+32\\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*parameters\\s+218,192\\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*warm-up steps\\s+20\\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*timed runs x steps\\s+1 x 80\\n.*"), o.out());
  }

  /**
   * --pytorch with a stand-in python that records its arguments: the DEC autoencoder's model, loss,
   * optimizer, batch, steps and threads reach the script, and both numbers are printed.
   */
  @Test
  void pytorchRunsTheMatchingScriptWithTheSameSettings(@TempDir Path dir) throws IOException {
    Path args = dir.resolve("args.txt");
    Path python =
        executable(
            dir.resolve("python"),
            "printf '%s\\n' \"$@\" > '"
                + args
                + "'\n"
                + "echo \"OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-unset}\" > '"
                + dir.resolve("env.txt")
                + "'\n"
                + "echo 'torch 9.9 stand-in'\n"
                + "echo 'deepclust-bench: median_images_per_second=100.000 runs=90.0,100.0"
                + " parameters=3330794 peak_rss_bytes=1048576 final_loss=0.1 torch=9.9"
                + " threads=1'\n");
    Cli.Outcome o =
        Cli.run(
            "bench",
            "--recipe",
            DEC_AE,
            "--batch",
            "4",
            "--warmup",
            "0",
            "--steps",
            "1",
            "--runs",
            "2",
            "--threads",
            "1",
            "--pytorch",
            "--python",
            python.toString());
    assertEquals(0, o.code(), o.all());
    List<String> a = Files.readAllLines(args);
    assertTrue(a.get(0).endsWith("tools/bench/pytorch_mlp.py"), a.toString());
    String joined = String.join(" ", a.subList(1, a.size()));
    for (String expected :
        List.of(
            "--dims 784,500,500,2000,10",
            "--decoder-dims 10,2000,500,500,784",
            "--activation relu",
            "--embedding-activation none",
            "--output-activation none",
            "--input-shape 1,28,28",
            "--threads 1",
            "--batch 4",
            "--warmup 0",
            "--steps 1",
            "--repeats 2",
            "--loss mse",
            "--optimizer sgd --lr 1.0 --momentum 0.9 --dampening 0.0 --weight-decay 0.0")) {
      assertTrue(joined.contains(expected), expected + " in " + joined);
    }
    assertTrue(o.out().contains("parameters               3,330,794"), o.out());
    assertTrue(o.out().contains("torch 9.9 stand-in"), o.out());
    assertTrue(o.out().matches("(?s).*median images/s\\s+[0-9,.]+\\s+100\\.0\\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*deepclust / PyTorch\\s+[0-9.]+x\\n.*"), o.out());
    assertTrue(o.out().contains("OMP_WAIT_POLICY="), o.out());
    if (System.getenv("OPENBLAS_NUM_THREADS") == null) {
      // PyTorch at its best: OpenBLAS's own threads would compete with torch's
      assertEquals(List.of("OPENBLAS_NUM_THREADS=1"), Files.readAllLines(dir.resolve("env.txt")));
      assertTrue(o.out().contains("OPENBLAS_NUM_THREADS=1 (bench sets"), o.out());
    }
  }

  /**
   * A {@code type: conv} layer list (paper 004's DCAE) goes to pytorch_conv.py as config.json's
   * JSON of the model, with the recipe's SGD.
   */
  @Test
  void convLayerListGoesToTheConvScriptAsJson(@TempDir Path dir) throws IOException {
    Path args = dir.resolve("args.txt");
    Path python =
        executable(
            dir.resolve("python"),
            "printf '%s\\n' \"$@\" > '"
                + args
                + "'\n"
                + "echo 'deepclust-bench: median_images_per_second=100.000 runs=100.0"
                + " parameters=301399 peak_rss_bytes=1048576 final_loss=0.1 torch=9.9"
                + " threads=1'\n");
    Cli.Outcome o =
        Cli.run(
            "bench",
            "--recipe",
            "../tools/bench/dcae004.yaml",
            "--batch",
            "2",
            "--warmup",
            "0",
            "--steps",
            "1",
            "--runs",
            "1",
            "--threads",
            "1",
            "--pytorch",
            "--python",
            python.toString());
    assertEquals(0, o.code(), o.all());
    List<String> a = Files.readAllLines(args);
    assertTrue(a.get(0).endsWith("tools/bench/pytorch_conv.py"), a.toString());
    int at = a.indexOf("--architecture");
    JsonNode arch = new ObjectMapper().readTree(a.get(at + 1));
    assertEquals("[1,28,28]", arch.get("input_shape").toString());
    assertEquals(9, arch.get("encoder").size());
    JsonNode last = arch.get("decoder").get(7);
    assertEquals("conv_transpose", last.get("type").asText());
    assertEquals(1, last.get("kernel").asInt());
    String joined = String.join(" ", a.subList(1, a.size()));
    assertTrue(
        joined.contains("--optimizer sgd --lr 0.006 --momentum 0.9 --dampening 0.0"), joined);
    assertTrue(o.out().matches("(?s).*parameters\\s+301,399\\s+301,399\\n.*"), o.out());
    assertTrue(!o.out().contains("parameter counts differ"), o.out());
  }

  @Test
  void missingPythonIsAClearErrorBeforeMeasuring() {
    Cli.Outcome o =
        Cli.run("bench", "--recipe", "mlp-soft-centroids", "--pytorch", "--python", "/no/python3");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("/no/python3"), o.err());
    assertTrue(o.err().contains("apt-get install -y python3-torch"), o.err());
    assertTrue(!o.out().contains("median images/s"), "nothing measured: " + o.out());
  }

  @Test
  void modelWithoutReferenceIsAClearError() {
    Cli.Outcome o = Cli.run("bench", "triplet-cae-001", "--pytorch");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("no PyTorch version of the model triplet-cae-001"), o.err());
  }

  @Test
  void failingScriptShowsItsOutputAndTheFix(@TempDir Path dir) throws IOException {
    Path python = executable(dir.resolve("python"), "echo 'No module named torch' >&2\nexit 1\n");
    Cli.Outcome o =
        Cli.run(
            "bench",
            "--recipe",
            "mlp-soft-centroids",
            "--warmup",
            "0",
            "--steps",
            "1",
            "--runs",
            "1",
            "--pytorch",
            "--python",
            python.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("pytorch_mlp.py failed (exit code 1)"), o.err());
    assertTrue(o.err().contains("No module named torch"), o.err());
    assertTrue(o.err().contains("apt-get install -y python3-torch"), o.err());
  }

  @Test
  void scriptsAreFoundFromTheHomeOrTheCheckout(@TempDir Path dir) throws IOException {
    Path checkout = Path.of("..").toAbsolutePath().normalize();
    Path fromClasses =
        PytorchReference.benchDirectory(null, checkout.resolve("deepclust-cli/target/classes"));
    assertEquals(checkout.resolve("tools/bench"), fromClasses);
    assertEquals(
        checkout.resolve("tools/bench"), PytorchReference.benchDirectory(checkout.toString(), dir));
    String noHome =
        assertThrows(
                IllegalArgumentException.class,
                () -> PytorchReference.benchDirectory(dir.toString(), null))
            .getMessage();
    assertTrue(noHome.contains("DEEPCLUST_HOME is " + dir), noHome);
    String nowhere =
        assertThrows(
                IllegalArgumentException.class, () -> PytorchReference.benchDirectory(null, dir))
            .getMessage();
    assertTrue(nowhere.contains("DEEPCLUST_HOME is not set"), nowhere);
  }

  @Test
  void resultLineIsParsed() {
    PytorchReference.Result r =
        PytorchReference.parse(
            "deepclust-bench: median_images_per_second=12.500 runs=10.0,12.5,13.0"
                + " parameters=218192 peak_rss_bytes=2048 final_loss=0.5 torch=1.13.0a0 threads=2");
    assertEquals(12.5, r.medianImagesPerSecond());
    assertEquals(List.of(10.0, 12.5, 13.0), r.runImagesPerSecond());
    assertEquals(218_192, r.parameters());
    assertEquals("1.13.0a0", r.torchVersion());
    assertThrows(IllegalStateException.class, () -> PytorchReference.parse("deepclust-bench: x=1"));
  }

  private static Path executable(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
