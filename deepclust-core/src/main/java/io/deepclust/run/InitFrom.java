package io.deepclust.run;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.recipe.HeadSpec;
import io.deepclust.recipe.PhaseSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.train.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code training.init_from}: the encoder and decoder weights (BatchNorm statistics included) of
 * another run's newest checkpoint, copied into this run's model before training. The other run's
 * architecture must be this one's; a clustering head in either model is left alone (a DEC phase
 * initialises its own by k-means).
 */
final class InitFrom {
  private InitFrom() {}

  /** A resolved source: the checkpoint and the recipe of the run that wrote it. */
  record Source(Path checkpoint, Recipe recipe) {}

  /**
   * Finds the checkpoint and the run's recipe and checks the architecture, reading no weights.
   *
   * @throws RecipeException naming {@code training.init_from}, the path and the fix
   */
  static Source resolve(String from, Architecture target) {
    Path p = Path.of(from).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new RecipeException(
          "training.init_from: "
              + p
              + " does not exist; give a run folder (runs/<name>), its checkpoints folder or one"
              + " checkpoint");
    }
    Path cps = Files.isDirectory(p.resolve(TrainStage.CHECKPOINTS)) ? p.resolve("checkpoints") : p;
    Path checkpoint;
    try {
      checkpoint = Checkpoints.resolve(cps);
    } catch (IllegalArgumentException e) {
      throw new RecipeException("training.init_from: " + e.getMessage(), e);
    }
    Path config = null;
    for (Path d = checkpoint; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("config.json"))) {
        config = d.resolve("config.json");
        break;
      }
    }
    if (config == null) {
      throw new RecipeException(
          "training.init_from: no config.json above "
              + checkpoint
              + ", so its architecture is unknown; give a checkpoint inside a deepclust run folder");
    }
    Recipe source;
    try {
      source = RecipeLoader.load(config.toString(), List.of());
    } catch (RuntimeException e) {
      throw new RecipeException(
          "training.init_from: cannot read the recipe of " + config + ": " + e.getMessage(), e);
    }
    if (source.model() == null || !source.model().equals(target)) {
      throw new RecipeException(
          "training.init_from: "
              + config.getParent()
              + " trained model "
              + (source.model() == null ? "none" : source.model().toString())
              + " but this recipe's model is "
              + target
              + "; start from a run of the same architecture");
    }
    return new Source(checkpoint, source);
  }

  /**
   * Copies the source's encoder and decoder parameters into {@code target} (initialised).
   *
   * @return a line for the log
   */
  static String load(Source src, Autoencoder target) {
    Architecture arch = src.recipe().model();
    ClusteringHead head = null;
    for (PhaseSpec p : src.recipe().training().phases()) {
      HeadSpec h = p.head();
      if (h != null && p.epochs() > 0) {
        head =
            new ClusteringHead(
                h.k(), Math.toIntExact(arch.embeddingShape().get(0)), h.alpha(), h.kernel());
      }
    }
    Autoencoder from = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape(), head);
    Path params = src.checkpoint().resolve(Checkpoints.PARAMS);
    // on the target's device: its arrays are copied into the target's in place
    try (Model m = Model.newInstance("init-from", DeviceChoice.of(target.block()))) {
      from.initialize(m.getNDManager());
      byte[] bytes = Files.readAllBytes(params);
      for (Parameter prm : from.block().getParameters().values()) {
        prm.close();
      }
      from.block()
          .loadParameters(m.getNDManager(), new DataInputStream(new ByteArrayInputStream(bytes)));
      int n = copy(from.encoder(), target.encoder(), params);
      n += copy(from.decoder(), target.decoder(), params);
      return "model: encoder and decoder ("
          + n
          + " arrays) initialised from "
          + src.checkpoint()
          + " (training.init_from)";
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException(
          "training.init_from: cannot read "
              + params
              + ": "
              + e.getMessage()
              + "; the checkpoint is damaged or from another version",
          e);
    }
  }

  private static int copy(Block from, Block to, Path file) {
    List<Parameter> a = new ArrayList<>(from.getParameters().values());
    List<Parameter> b = new ArrayList<>(to.getParameters().values());
    if (a.size() != b.size()) {
      throw new IllegalStateException(
          "training.init_from: " + file + " holds another layer structure than this model");
    }
    for (int i = 0; i < a.size(); i++) {
      NDArray src = a.get(i).getArray();
      Parameter dst = b.get(i);
      if (!src.getShape().equals(dst.getArray().getShape())) {
        throw new IllegalStateException(
            "training.init_from: parameter "
                + dst.getName()
                + " is "
                + src.getShape()
                + " in "
                + file
                + " but "
                + dst.getArray().getShape()
                + " here");
      }
      boolean trainable = dst.requiresGradient();
      // in place without gradient: the arrays stay the ones the trainer will track
      dst.freeze(true);
      try {
        dst.getArray().muli(0).addi(src);
      } finally {
        dst.freeze(!trainable);
      }
    }
    return a.size();
  }
}
