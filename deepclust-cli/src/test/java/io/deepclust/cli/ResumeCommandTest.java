package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.data.ImageDataset;
import io.deepclust.data.Split;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.run.DataSource;
import io.deepclust.run.RecipeRun;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepclust run --resume}: a resume that does not fit the folder is refused before anything
 * is written; one that fits continues the run and its log; a damaged latest checkpoint falls back
 * to the previous one, and two damaged ones are named in the error.
 */
class ResumeCommandTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  /** {@link Cli#TINY_MLP}, one epoch, run through the CLI. */
  static Path oneEpoch;

  static Path tinyYaml;

  @BeforeAll
  static void runOnce() throws Exception {
    tinyYaml = Cli.write(shared, "tiny.yaml", Cli.TINY_MLP);
    oneEpoch = shared.resolve("one-epoch");
    Cli.Outcome o = Cli.run("run", tinyYaml.toString(), "--out", oneEpoch.toString());
    assertEquals(0, o.code(), o.all());
  }

  private static Cli.Outcome resume(Path yaml, Path out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("run", yaml.toString(), "--resume", "--out", out.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aResumeWithOtherSettingsIsRefusedAndWritesNothing() {
    Path f = Cli.copy(oneEpoch, tmp.resolve("f"));
    Map<String, String> before = Cli.snapshot(f);
    for (Cli.Outcome o :
        List.of(
            Cli.run("run", "kmeans-baselines", "--resume", "--out", f.toString()),
            resume(tinyYaml, f, "--seed", "6"),
            resume(tinyYaml, f, "--subset", "200"),
            resume(tinyYaml, f, "--set", "methods.0.cluster.n_init=2"))) {
      assertEquals(1, o.code(), o.all());
      assertTrue(o.err().contains("--resume: the run in " + f), o.err());
      assertTrue(o.err().contains("other settings"), o.err());
      assertTrue(o.err().contains("only epochs, phases not yet started"), o.err());
      assertEquals(before, Cli.snapshot(f));
    }
  }

  @Test
  void aResumeWithMoreEpochsContinuesAndAppendsToTheLog() throws Exception {
    Path f = Cli.copy(oneEpoch, tmp.resolve("f"));
    String firstLog = Files.readString(f.resolve("run.log"));
    Cli.Outcome o = resume(tinyYaml, f, "--epochs", "2");
    assertEquals(0, o.code(), o.all());
    String log = Files.readString(f.resolve("run.log"));
    assertTrue(log.startsWith(firstLog), "the first run's lines are kept:\n" + log);
    assertTrue(log.substring(firstLog.length()).contains("resuming " + f), log);
    assertTrue(log.substring(firstLog.length()).contains("done in"), log);
    // one row per epoch: the first run's and the resumed one's
    assertEquals(3, Files.readAllLines(f.resolve("training.csv")).size());
    assertEquals(
        "p0-reconstruction-e0002", Files.readString(f.resolve("checkpoints/latest")).strip());
  }

  @Test
  void aDamagedLatestCheckpointFallsBackToThePreviousOne() throws Exception {
    Path f = Cli.copy(oneEpoch, tmp.resolve("f"));
    assertEquals(0, resume(tinyYaml, f, "--epochs", "2").code());
    Path latest = f.resolve("checkpoints/p0-reconstruction-e0002/params.bin");
    assertEquals(
        "p0-reconstruction-e0001", Files.readString(f.resolve("checkpoints/previous")).strip());
    truncate(latest);

    Path g = Cli.copy(f, tmp.resolve("g"));
    Cli.Outcome o = resume(tinyYaml, f, "--epochs", "3");
    assertEquals(0, o.code(), o.all());
    // the training's warning goes to stderr with its progress lines
    assertTrue(o.err().contains("warning: skipping damaged checkpoint"), o.err());
    assertTrue(o.err().contains("cannot read " + latest + ": truncated"), o.err());
    assertTrue(o.err().contains("resuming from the previous one"), o.err());
    assertTrue(o.err().contains("p0-reconstruction-e0001"), o.err());
    assertFalse(o.all().contains("null"), o.all());
    assertEquals(
        "p0-reconstruction-e0003", Files.readString(f.resolve("checkpoints/latest")).strip());

    // both damaged: the error names each file and says why
    Path previous = g.resolve("checkpoints/p0-reconstruction-e0001/params.bin");
    truncate(previous);
    Cli.Outcome bad = resume(tinyYaml, g, "--epochs", "3");
    assertEquals(1, bad.code(), bad.all());
    Path latestG = g.resolve("checkpoints/p0-reconstruction-e0002/params.bin");
    for (Path p : List.of(latestG, previous)) {
      assertTrue(bad.err().contains("cannot read " + p + ": truncated"), bad.err());
    }
    assertTrue(bad.err().contains("start the run again without resuming"), bad.err());
    assertFalse(bad.all().contains("null"), bad.all());
    String log = Files.readString(g.resolve("run.log"));
    assertTrue(log.contains("error: the run stopped") && log.contains("truncated"), log);
  }

  /**
   * Fewer epochs than the checkpoint holds is refused, naming the phase and both epoch counts,
   * before the data is loaded: the run was made in memory on 10,001 synthetic 8x8 images, and the
   * recipe's {@code data.subset: 10001} cannot be met by MNIST's 10,000 test images, so loading the
   * data would fail with another message.
   */
  @Test
  void fewerEpochsThanTheCheckpointIsRefusedBeforeTheDataIsLoaded() throws Exception {
    Path yaml =
        Cli.write(
            tmp,
            "synthetic.yaml",
            """
            name: synthetic
            seed: 3
            data: {dataset: mnist, split: test, subset: 10001}
            model: {type: mlp, dims: [64, 8, 3], input_shape: [1, 8, 8]}
            training:
              batch_size: 1000
              phases:
                - {type: reconstruction, epochs: 3}
            methods:
              - name: kmeans
                cluster: {type: kmeans, k: 3, n_init: 1}
            evaluation: {silhouette_sample: 200}
            report: {figures: []}
            """);
    Path f = tmp.resolve("f");
    Recipe recipe = RecipeLoader.load(yaml.toString(), List.of());
    RecipeRun run =
        RecipeRun.prepare(recipe, List.of(), DataSource.inMemory(images(10_001), null), s -> {});
    try (RunFolder folder = RunFolder.prepare(null, null, f, RunFolder.Mode.NEW).open()) {
      run.run(folder, new RunLog(null, folder.file("run.log")), null);
    }
    Map<String, String> before = Cli.snapshot(f);

    Cli.Outcome o = resume(yaml, f, "--epochs", "2");
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("phase 'reconstruction' already has 3 epochs"), o.err());
    assertTrue(o.err().contains("asks for 2"), o.err());
    assertTrue(o.err().contains("ask for at least 3 epochs"), o.err());
    assertEquals(before, Cli.snapshot(f));

    // the control: once the epochs fit, loading the data is what fails (and still writes nothing)
    Cli.Outcome more = resume(yaml, f, "--epochs", "4");
    assertEquals(1, more.code(), more.all());
    assertTrue(more.err().contains("data.subset") && more.err().contains("10001"), more.err());
    assertEquals(before, Cli.snapshot(f));
  }

  /** Three classes of 8x8 images (a bright bar top, middle or bottom), {@code n} in all. */
  private static ImageDataset images(int n) {
    float[] px = new float[n * 64];
    int[] labels = new int[n];
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          px[i * 64 + y * 8 + x] = (y * 3 / 8 == labels[i] ? 0.8f : 0.1f) + 0.1f * rnd.nextFloat();
        }
      }
    }
    return new ImageDataset(
        "synthetic",
        Split.TEST,
        new FloatMatrix(n, 64, px),
        labels,
        8,
        8,
        1,
        List.of("top", "middle", "bottom"));
  }

  private static void truncate(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
  }
}
