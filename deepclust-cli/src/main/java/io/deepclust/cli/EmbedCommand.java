package io.deepclust.cli;

import io.deepclust.data.DataLocator;
import io.deepclust.data.ImageDataset;
import io.deepclust.predict.EmbeddingExport;
import io.deepclust.predict.TrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deepclust embed RUN --dataset SOURCE}: the run's embeddings of any images. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed images with a trained run's network (its model bundle, checked first) and write the"
          + " embeddings, before any reduction, to one file: npy (float32, n x d) or csv (e0..,"
          + " plus label when the images have labels). Streamed in chunks with a progress bar:"
          + " memory holds the images and one chunk of embeddings, not all of them."
    })
final class EmbedCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", description = "A run folder (runs/<date>-<name>).")
  Path run;

  @Option(
      names = "--dataset",
      required = true,
      description =
          "Images: a registered dataset, folder:DIR, idx:..., npy:..., csv:..., or a name from"
              + " your datasets file.")
  String dataset;

  @Option(names = "--split", description = "Split of a registered dataset (default: the run's).")
  String split;

  @Option(names = "--subset", defaultValue = "0", description = "A seeded sample of N images.")
  int subset;

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

  @Option(names = "--format", defaultValue = "npy", description = "npy (default) or csv.")
  String format;

  @Option(
      names = "--chunk",
      defaultValue = "4096",
      description = "Images embedded per chunk (memory bound), default 4096.")
  int chunk;

  @Option(
      names = "--out",
      description = "The output file (default embeddings.<format>); never overwritten.")
  Path out;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (chunk < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--chunk must be at least 1 image, got " + chunk);
    }
    if (out != null
        && !out.getFileName()
            .toString()
            .toLowerCase(java.util.Locale.ROOT)
            .endsWith("." + format)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--out "
              + out
              + " does not end in ."
              + format
              + " but --format is "
              + format
              + "; name the file for its format");
    }
    Path dest = out != null ? out : Path.of("embeddings." + format);
    try (TrainedModel model = TrainedModel.load(run, device)) {
      ImageDataset images =
          model.images(
              dataset, split, subset, DataLocator.fromEnvironment(dataDir), System.out::println);
      int d = EmbeddingExport.write(model, images, dest, format, chunk);
      System.out.println("wrote " + dest + ": " + images.size() + " x " + d);
    }
    return 0;
  }
}
