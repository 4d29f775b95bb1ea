package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.data.ImageDataset;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.predict.Prediction;
import io.deepclust.predict.TrainedModel;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deepclust predict RUN --dataset SOURCE}: new images assigned to a run's clusters. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Assign images to a trained run's clusters with its model bundle (RUN/model, checked"
          + " first): embed them with the run's network, apply each method's fitted reducer and"
          + " clusterer, and write assignments.csv (index,true_label,<method>...; index,file,true_label,... for a folder),"
          + " probabilities_<method>.npy for soft clusterers and predictions.json with the"
          + " metrics (external ones when the images have labels). On the run's own images this"
          + " reproduces its assignments.csv."
    })
final class PredictCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", description = "A run folder (runs/<date>-<name>).")
  Path run;

  @Option(
      names = "--dataset",
      required = true,
      description =
          "Images: a registered dataset (mnist, fashion-mnist), folder:DIR, idx:IMAGES[,LABELS],"
              + " npy:IMAGES[,LABELS], csv:FILE[?label=COLUMN], or a name from your datasets"
              + " file.")
  String dataset;

  @Option(
      names = "--split",
      description = "Split of a registered dataset: train, test or all (default: the run's).")
  String split;

  @Option(
      names = "--subset",
      defaultValue = "0",
      description = "A seeded sample of N images, drawn as the run draws its subset (0: all).")
  int subset;

  @Option(
      names = "--overwrite",
      description =
          "Replace an earlier predict's results in --out: only the files predict writes"
              + " (assignments.csv, probabilities_*.npy, predictions.json) are deleted; a folder"
              + " holding anything else is refused.")
  boolean overwrite;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description =
          "Where the network runs: cpu, gpu (GPU 0), gpu:N, or auto (a GPU when this build can"
              + " use one, else the CPU). Default: the run's recipe's device, else"
              + " DEEPCLUST_DEVICE, else auto.")
  String device;

  @Option(names = "--data-dir", description = "Folder holding datasets.")
  Path dataDir;

  @Option(
      names = "--out",
      description =
          "New or empty folder for the results (default predictions/<date>-<run>); with"
              + " --overwrite also an earlier predict's folder.")
  Path out;

  @Override
  public Integer call() {
    Path dest =
        out != null
            ? out
            : Path.of(
                "predictions",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-"
                    + run.toAbsolutePath().normalize().getFileName());
    if (overwrite) {
      Prediction.requireOverwritable(dest);
    } else {
      Prediction.requireNewOrEmpty(
          dest, ", or add --overwrite to replace an earlier predict's results there");
    }
    try (TrainedModel model = TrainedModel.load(run, device)) {
      TrainedModel.Images loaded =
          model.load(
              dataset, split, subset, DataLocator.fromEnvironment(dataDir), System.out::println);
      ImageDataset images = loaded.data();
      long t = System.nanoTime();
      FloatMatrix emb = model.embed(images.pixels());
      System.out.printf(
          Locale.ROOT,
          "embedded %d images: %d x %d in %.1f s%n",
          images.size(),
          emb.rows(),
          emb.cols(),
          (System.nanoTime() - t) / 1e9);
      List<Prediction.MethodResult> results = Prediction.predict(model, emb, images.labels());
      if (overwrite) {
        Prediction.clear(dest);
      }
      Prediction.write(dest, run, dataset, loaded.selection(), images, loaded.files(), results);
      System.out.println("metrics:\n" + Prediction.table(results).toText());
      if (images.labels() == null) {
        System.out.println(
            "no true labels: only internal metrics (silhouette, Davies-Bouldin,"
                + " Calinski-Harabasz)");
      }
      System.out.println("wrote " + dest);
    }
    return 0;
  }
}
