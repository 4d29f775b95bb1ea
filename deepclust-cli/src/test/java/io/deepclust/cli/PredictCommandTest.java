package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.report.Assignments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepclust predict} and {@code deepclust embed} on real MNIST images: on the run's own 300
 * images, predict reproduces assignments.csv and the GMM's probabilities byte for byte, and embed
 * writes the run's features.npy; a changed bundle is refused naming the file.
 */
class PredictCommandTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  static Path run;

  /** {@link Cli#TINY_MLP} plus a PCA + GMM method with probabilities. */
  static final String RECIPE =
      Cli.TINY_MLP.replace(
          "report: {figures: [loss]}",
          """
            - name: pca_gmm
              reduce: {type: pca, components: 3}
              cluster: {type: gmm, k: 10, covariance_type: diag}
          report: {figures: []}""");

  @BeforeAll
  static void runOnce() throws Exception {
    Path yaml = Cli.write(shared, "tiny.yaml", RECIPE);
    run = shared.resolve("run");
    Cli.Outcome o = Cli.run("run", yaml.toString(), "--out", run.toString());
    assertEquals(0, o.code(), o.all());
  }

  @Test
  void predictOnTheRunsOwnImagesReproducesItsAssignments() throws Exception {
    Path out = tmp.resolve("pred");
    Cli.Outcome o =
        Cli.run(
            "predict",
            run.toString(),
            "--dataset",
            "mnist",
            "--split",
            "test",
            "--subset",
            "300",
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    assertEquals(
        Files.readString(run.resolve("assignments.csv")),
        Files.readString(out.resolve("assignments.csv")));
    assertArrayEquals(
        Files.readAllBytes(run.resolve("probabilities_pca_gmm.npy")),
        Files.readAllBytes(out.resolve("probabilities_pca_gmm.npy")));
    assertTrue(o.out().contains("kmeans"), o.out());
    String info = Files.readString(out.resolve("predictions.json"));
    assertTrue(info.contains("\"ari\""), info);
    // which images: the split, and the seeded subset's size and seed (the run's)
    assertTrue(info.contains("\"split\" : \"test\""), info);
    assertTrue(info.contains("\"subset\" : 300") && info.contains("\"subset_seed\""), info);

    // never into a folder that holds anything
    Cli.Outcome again =
        Cli.run("predict", run.toString(), "--dataset", "mnist", "--out", out.toString());
    assertEquals(1, again.code(), again.all());
    assertTrue(again.err().contains("is not empty"), again.err());
    assertTrue(again.err().contains("or add --overwrite"), again.err());
  }

  @Test
  void aFolderSourceGivesEachImagesFileAndOverwriteReplacesOnlyPredictsFiles() throws Exception {
    Path folder = tmp.resolve("scans");
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
    List<String> names = new ArrayList<>();
    for (String cls : List.of("a", "b")) {
      Files.createDirectories(folder.resolve(cls));
      for (int i = 0; i < 6; i++) {
        String name = cls + "/" + (i == 5 ? "x,\"5\"" : "" + i) + ".png";
        java.awt.image.BufferedImage im =
            new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            int v = rnd.nextInt(256);
            im.getRaster().setSample(x, y, 0, v);
          }
        }
        javax.imageio.ImageIO.write(im, "png", folder.resolve(name).toFile());
        names.add(name);
      }
    }
    Path out = tmp.resolve("pred");
    String source = "folder:" + folder;
    Cli.Outcome o =
        Cli.run("predict", run.toString(), "--dataset", source, "--out", out.toString());
    assertEquals(0, o.code(), o.all());
    List<String> lines = Files.readAllLines(out.resolve("assignments.csv"));
    assertEquals("index,file,true_label,kmeans,pca_gmm", lines.get(0));
    assertTrue(lines.get(1).startsWith("0,a/0.png,0,"), lines.get(1));
    assertTrue(lines.get(12).startsWith("11,\"b/x,\"\"5\"\".png\",1,"), lines.get(12));
    assertEquals("b/x,\"5\".png", Assignments.splitLine(lines.get(12)).get(1));
    // evaluate reads the file column as no prediction
    o =
        Cli.run(
            "evaluate",
            "--labels",
            out.resolve("assignments.csv").toString(),
            "--pred",
            out.resolve("assignments.csv").toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("pca_gmm"), o.out());

    // --subset errors name the option, not the recipe field
    o =
        Cli.run(
            "predict",
            run.toString(),
            "--dataset",
            source,
            "--subset",
            "99",
            "--out",
            tmp.resolve("p2").toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("--subset 99 is more than the 12 images of " + source), o.err());
    assertFalse(o.err().contains("data.subset"), o.err());

    // --overwrite: an earlier predict's folder is replaced, with a subset's rows and files
    o =
        Cli.run(
            "predict",
            run.toString(),
            "--dataset",
            source,
            "--subset",
            "4",
            "--overwrite",
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    lines = Files.readAllLines(out.resolve("assignments.csv"));
    assertEquals(5, lines.size());
    for (String l : lines.subList(1, 5)) {
      assertTrue(names.contains(Assignments.splitLine(l).get(1)), l);
    }
    // ... but a file of the user's there refuses it, deleting nothing
    Files.writeString(out.resolve("notes.txt"), "mine");
    var before = Cli.snapshot(out);
    o =
        Cli.run(
            "predict", run.toString(), "--dataset", source, "--overwrite", "--out", out.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("holds files predict did not write: notes.txt"), o.err());
    assertEquals(before, Cli.snapshot(out));
  }

  @Test
  void embedWritesTheRunsFeaturesBeforeReduction() throws Exception {
    Path npy = tmp.resolve("emb.npy");
    Cli.Outcome o =
        Cli.run(
            "embed",
            run.toString(),
            "--dataset",
            "mnist",
            "--split",
            "test",
            "--subset",
            "300",
            "--chunk",
            "100",
            "--out",
            npy.toString());
    assertEquals(0, o.code(), o.all());
    // the first method clusters the embedding unreduced: features.npy is the embedding
    assertArrayEquals(Files.readAllBytes(run.resolve("features.npy")), Files.readAllBytes(npy));
    Path csv = tmp.resolve("emb.csv");
    o =
        Cli.run(
            "embed",
            run.toString(),
            "--dataset",
            "mnist",
            "--split",
            "test",
            "--subset",
            "300",
            "--format",
            "csv",
            "--out",
            csv.toString());
    assertEquals(0, o.code(), o.all());
    var lines = Files.readAllLines(csv);
    assertEquals("e0,e1,e2,e3,label", lines.get(0));
    assertEquals(301, lines.size());
    o =
        Cli.run(
            "embed",
            run.toString(),
            "--dataset",
            "mnist",
            "--format",
            "csv",
            "--out",
            csv.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("exists"), o.err());
    // a file named for another format is refused before anything is read
    o = Cli.run("embed", run.toString(), "--dataset", "mnist", "--out", csv.toString());
    assertEquals(2, o.code(), o.all());
    assertTrue(o.err().contains("does not end in .npy"), o.err());
  }

  @Test
  void aChangedBundleIsRefusedNamingTheFile() throws Exception {
    Path copy = Cli.copy(run, tmp.resolve("copy"));
    Path w = copy.resolve("model/weights.params");
    byte[] b = Files.readAllBytes(w);
    b[b.length / 2] ^= 4;
    Files.write(w, b);
    Cli.Outcome o =
        Cli.run(
            "predict", copy.toString(), "--dataset", "mnist", "--out", tmp.resolve("p").toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains(w.toString()), o.err());
    assertTrue(o.err().contains("was changed after the run wrote it"), o.err());
  }

  @Test
  void aDecRunsHeadPredictsItsOwnAssignments() throws Exception {
    Path dec = tmp.resolve("dec");
    Cli.Outcome o =
        Cli.run(
            "run",
            "dec",
            "--subset",
            "300",
            "--set",
            "training.batch_size=32",
            "--set",
            "training.phases.0.epochs=1",
            "--set",
            "training.phases.1.epochs=1",
            "--set",
            "training.phases.1.update_interval=5",
            "--set",
            "training.phases.1.kmeans_init=1",
            "--set",
            "methods.1.cluster.n_init=1",
            "--set",
            "evaluation.after_each_phase=false",
            "--set",
            "report.figures=[]",
            "--out",
            dec.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(
        o.out().contains("dec: the trained clustering head (k=10) assigns 300 x 10 eval features"),
        o.out());
    assertFalse(o.all().contains("loss 0.00000"), "small KL losses keep their digits");
    Path out = tmp.resolve("dec-pred");
    o =
        Cli.run(
            "predict",
            dec.toString(),
            "--dataset",
            "mnist",
            "--subset",
            "300",
            "--out",
            out.toString());
    assertEquals(0, o.code(), o.all());
    assertEquals(
        Files.readString(dec.resolve("assignments.csv")),
        Files.readString(out.resolve("assignments.csv")));
    assertArrayEquals(
        Files.readAllBytes(dec.resolve("probabilities_dec.npy")),
        Files.readAllBytes(out.resolve("probabilities_dec.npy")));
    assertTrue(
        Files.readString(dec.resolve("model/manifest.json")).contains("\"type\" : \"head\""));
  }
}
