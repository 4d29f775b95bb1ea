package io.deepclust.run;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
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

  /**
   * A resolved source: the checkpoint, the recipe of the run that wrote it, and its parameters,
   * read (and checked to load) when the run is prepared, so that nothing done to the source
   * afterwards changes what this run starts from.
   */
  record Source(Path checkpoint, Recipe recipe, byte[] params) {}

  /**
   * Finds the checkpoint and the run's recipe and checks the architecture, reading no weights.
   *
   * @throws RecipeException naming {@code training.init_from}, the path and the fix
   */
  static Source resolve(String from, Architecture target) {
    String expanded =
        from.equals("~") || from.startsWith("~/")
            ? System.getProperty("user.home") + from.substring(1)
            : from;
    Path p = Path.of(expanded).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new RecipeException(
          "training.init_from: "
              + p
              + " does not exist; give a run folder (runs/<name>), its checkpoints folder or one"
              + " checkpoint");
    }
    Path cps = Files.isDirectory(p.resolve(TrainStage.CHECKPOINTS)) ? p.resolve("checkpoints") : p;
    List<Path> candidates;
    try {
      candidates = Checkpoints.candidates(cps);
    } catch (IllegalArgumentException e) {
      throw new RecipeException(
          "training.init_from: "
              + p
              + " holds no checkpoint of a trained model; give a run folder of a recipe with"
              + " training phases (runs/<name>), its checkpoints folder or one checkpoint",
          e);
    }
    Path checkpoint = candidates.get(0);
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
              + " trained "
              + (source.model() == null
                  ? "no model"
                  : "another model ("
                      + source.model().name()
                      + ", "
                      + describe(source.model())
                      + ")")
              + " than this recipe's ("
              + target.name()
              + ", "
              + describe(target)
              + "); start from a run of the same model section");
    }
    List<String> failures = new ArrayList<>();
    for (Path cp : candidates) {
      Path params = cp.resolve(Checkpoints.PARAMS);
      try {
        byte[] bytes = Files.readAllBytes(params);
        // parse it now: a damaged newest checkpoint falls back to the one before
        try (Model m = Model.newInstance("init-from-check")) {
          Autoencoder a = sourceModel(source);
          a.initialize(m.getNDManager());
          parse(a, m, bytes);
        }
        return new Source(cp, source, bytes);
      } catch (IOException | MalformedModelException | RuntimeException e) {
        failures.add(params + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    throw new RecipeException(
        "training.init_from: no readable checkpoint in "
            + cps
            + " ("
            + String.join("; ", failures)
            + "); the files are damaged or from another version: give another run");
  }

  private static String describe(Architecture a) {
    return "input "
        + a.inputShape()
        + ", embedding "
        + a.embeddingShape()
        + ", "
        + String.format(java.util.Locale.ROOT, "%,d", parameterCount(a))
        + " parameters";
  }

  private static long parameterCount(Architecture a) {
    try (Model m = Model.newInstance("count")) {
      Autoencoder ae = new Autoencoder(a.encoder(), a.decoder(), a.inputShape());
      ae.initialize(m.getNDManager());
      return io.deepclust.nn.ModelSummary.countParameters(ae.block());
    }
  }

  /** The source run's autoencoder (with its head, if it trained one), not yet initialised. */
  private static Autoencoder sourceModel(Recipe source) {
    Architecture arch = source.model();
    ClusteringHead head = null;
    for (PhaseSpec p : source.training().phases()) {
      HeadSpec h = p.head();
      if (h != null && p.epochs() > 0) {
        head =
            new ClusteringHead(
                h.k(), Math.toIntExact(arch.embeddingShape().get(0)), h.alpha(), h.kernel());
      }
    }
    return new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape(), head);
  }

  private static void parse(Autoencoder a, Model m, byte[] bytes)
      throws IOException, MalformedModelException {
    for (Parameter prm : a.block().getParameters().values()) {
      prm.close();
    }
    a.block()
        .loadParameters(m.getNDManager(), new DataInputStream(new ByteArrayInputStream(bytes)));
  }

  /**
   * Copies the source's encoder and decoder parameters into {@code target} (initialised).
   *
   * @return a line for the log
   */
  static String load(Source src, Autoencoder target) {
    Autoencoder from = sourceModel(src.recipe());
    Path params = src.checkpoint().resolve(Checkpoints.PARAMS);
    try (Model m = Model.newInstance("init-from")) {
      from.initialize(m.getNDManager());
      parse(from, m, src.params());
      int n = copy(from.encoder(), target.encoder(), params);
      n += copy(from.decoder(), target.decoder(), params);
      return "model: encoder and decoder ("
          + n
          + " arrays) initialised from "
          + src.checkpoint()
          + " (training.init_from)";
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException(
          "training.init_from: cannot read " + params + " (" + e + ")", e);
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
