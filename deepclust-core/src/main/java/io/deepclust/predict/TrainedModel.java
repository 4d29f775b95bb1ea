package io.deepclust.predict;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.bundle.BundleException;
import io.deepclust.bundle.ModelBundle;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.data.DataLocator;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.ImageTransforms;
import io.deepclust.data.Subsets;
import io.deepclust.embed.Embedder;
import io.deepclust.engine.DeviceChoice;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.nn.ModelSummary;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.run.DataSource;
import io.deepclust.run.RunData;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run's trained model, loaded from its bundle ({@link ModelBundle}): the network with its weights
 * (or none, for a run that clusters pixels) and each method's fitted reducer and clusterer. Closing
 * it frees the network's native memory.
 */
public final class TrainedModel implements AutoCloseable {
  private final ModelBundle bundle;
  private final Recipe recipe;
  private final Model model;
  private final Autoencoder autoencoder;

  private TrainedModel(ModelBundle bundle, Recipe recipe, Model model, Autoencoder autoencoder) {
    this.bundle = bundle;
    this.recipe = recipe;
    this.model = model;
    this.autoencoder = autoencoder;
  }

  /**
   * Loads the bundle of run folder {@code run} ({@code run/model}) after checking it ({@link
   * ModelBundle#read}), and the network's weights into the recipe's architecture.
   *
   * @throws BundleException when the bundle is missing, changed, of another format version, or its
   *     weights do not fit the recipe's architecture
   */
  public static TrainedModel load(Path run) {
    return load(run, null);
  }

  /**
   * {@link #load(Path)} onto a device: {@code device} ({@code cpu}, {@code gpu}, {@code gpu:N},
   * {@code auto}; {@link DeviceChoice}), else the run's recipe's {@code device}, else {@code
   * DEEPCLUST_DEVICE}, else {@code auto}.
   *
   * @param device the {@code --device} option, or null
   * @throws IllegalArgumentException for a malformed device, or a GPU this build cannot use (the
   *     message names what DJL sees and the build to use)
   */
  public static TrainedModel load(Path run, String device) {
    ModelBundle b = ModelBundle.read(run);
    Recipe recipe;
    try {
      recipe =
          RecipeLoader.parse(
              "recipe of " + b.dir().resolve(ModelBundle.RECIPE), b.recipe().toString(), List.of());
    } catch (RecipeException e) {
      throw new BundleException(
          b.dir().resolve(ModelBundle.RECIPE)
              + ": this deepclust cannot read the run's recipe: "
              + e.getMessage(),
          e);
    }
    if (b.network() == null) {
      return new TrainedModel(b, recipe, null, null);
    }
    Architecture arch = recipe.model();
    if (arch == null) {
      throw new BundleException(
          b.dir().resolve(ModelBundle.MANIFEST) + ": lists a network but the recipe has no model");
    }
    ModelBundle.HeadInfo h = b.network().head();
    ClusteringHead head =
        h == null
            ? null
            : new ClusteringHead(
                h.k(), h.dims(), h.alpha(), SoftAssignment.Kernel.parse(h.kernel()));
    Autoencoder ae = new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape(), head);
    DeviceChoice.Request asked =
        device != null
            ? DeviceChoice.request(device, "--device", System.getenv())
            : DeviceChoice.request(recipe.device(), "recipe", System.getenv());
    Model model = Model.newInstance(recipe.name(), DeviceChoice.resolve(asked.name()));
    try {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      long params = ModelSummary.countParameters(ae.block());
      if (params != b.network().parameters()) {
        throw new BundleException(
            String.format(
                Locale.ROOT,
                "%s: the recipe's model %s has %,d parameters but the bundle's network has %,d;"
                    + " the recipe and the weights do not belong together; rebuild the bundle by"
                    + " running the recipe again (deepclust run RUN/config.json)",
                b.dir().resolve(ModelBundle.MANIFEST),
                arch.name(),
                params,
                b.network().parameters()));
      }
      byte[] bytes = Files.readAllBytes(b.weights());
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        // the freshly initialised arrays would otherwise stay in the model's manager
        for (Parameter p : ae.block().getParameters().values()) {
          p.close();
        }
        ae.block().loadParameters(model.getNDManager(), in);
      }
      return new TrainedModel(b, recipe, model, ae);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      if (e instanceof BundleException be) {
        throw be;
      }
      throw new BundleException(
          b.weights()
              + ": the weights do not load into the recipe's model "
              + arch.name()
              + " ("
              + e.getMessage()
              + "); rebuild the bundle by running the recipe again (deepclust run"
              + " RUN/config.json)",
          e);
    }
  }

  /** The checked bundle. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** The run's resolved recipe. */
  public Recipe recipe() {
    return recipe;
  }

  /** Values per embedded image. */
  public int embeddingDim() {
    return bundle.network() == null ? bundle.input().pixels() : bundle.network().embeddingDim();
  }

  /**
   * Images to predict and, for a folder source, each image's file.
   *
   * @param data the images
   * @param files each image's file relative to the source's folder ({@code cat/001.png}), or null
   *     when the source is not a folder of images
   * @param selection which images these are, for a record: {@code split} (the one read), {@code
   *     subset} and, when a sample was drawn, {@code subset_seed} (the run's)
   */
  public record Images(ImageDataset data, List<String> files, Map<String, Object> selection) {}

  /**
   * The images of {@code dataset} as the run would read them; see {@link #load}.
   *
   * @throws RecipeException when the dataset or split is unknown or {@code --subset} too large
   * @throws io.deepclust.data.DataSourceException when a source cannot be read
   */
  public ImageDataset images(
      String dataset, String split, int subset, DataLocator locator, Consumer<String> log) {
    return load(dataset, split, subset, locator, log).data();
  }

  /**
   * The images of {@code dataset} as the run would read them: a registered dataset ({@code split},
   * a seeded {@code subset} with the run's seed, drawn as the run draws {@code data.subset}), a
   * source ({@code folder:}, {@code idx:}, {@code npy:}, {@code csv:}; every split is all of it) or
   * a name from the datasets file; brought to the run's {@code data.shape} when it had one, and to
   * the model's input shape when they differ (logged). A folder source also gives each image's
   * file.
   *
   * @param split {@code train}, {@code test} or {@code all}; null for the run's {@code eval_split}
   * @param subset 0 for all images
   * @throws RecipeException when the dataset or split is unknown, or the subset ({@code --subset})
   *     is negative or larger than the images
   * @throws io.deepclust.data.DataSourceException when a source cannot be read
   */
  public Images load(
      String dataset, String split, int subset, DataLocator locator, Consumer<String> log) {
    if (subset < 0) {
      throw new RecipeException("--subset " + subset + " is negative; give 0 (all) or more");
    }
    ObjectNode tree = (ObjectNode) RecipeLoader.toJson(recipe);
    ObjectNode data = (ObjectNode) tree.get("data");
    String s = split == null ? recipe.data().evalSplit() : split;
    data.put("dataset", dataset);
    data.put("split", s);
    data.put("eval_split", s);
    // the subset is drawn below, as RunData draws data.subset, so that errors name --subset
    data.put("subset", 0);
    data.put("validation_fraction", 0.0);
    Recipe r = RecipeLoader.parse("--dataset " + dataset, tree.toString(), List.of());
    RunData rd = DataSource.registry(locator).load(r, log);
    ImageDataset images = rd.eval();
    List<String> files = rd.evalFiles();
    if (subset > images.size()) {
      throw new RecipeException(
          String.format(
              Locale.ROOT,
              "--subset %d is more than the %d images of %s%s; use at most %d, or 0 for all",
              subset,
              images.size(),
              dataset,
              r.data().registered() ? "/" + s : "",
              images.size()));
    }
    Map<String, Object> selection = new LinkedHashMap<>();
    selection.put("split", s);
    selection.put("subset", subset);
    if (subset > 0 && subset < images.size()) {
      selection.put("subset_seed", r.seedValue());
      int[] rows = Subsets.sample(images.labels(), images.size(), subset, r.seedValue());
      images = images.subset(rows);
      if (files != null) {
        List<String> picked = new ArrayList<>(rows.length);
        for (int i : rows) {
          picked.add(files.get(i));
        }
        files = picked;
      }
    }
    int[] want = bundle.input().shape();
    int[] has = {images.channels(), images.height(), images.width()};
    if (!Arrays.equals(want, has)) {
      String what = ImageTransforms.describe(has[0], has[1], has[2], want, false);
      images = ImageTransforms.apply(images, want, false);
      log.accept(
          "data: images brought to the model's input shape "
              + ImageTransforms.shapeText(want[0], want[1], want[2])
              + ": "
              + what);
    }
    return new Images(images, files, selection);
  }

  /**
   * Embeds images as the run did: the encoder in eval mode, batch by batch, or the pixels for a
   * pixel run.
   *
   * @param pixels {@code n x C*H*W} in [0, 1], the model's input shape
   * @return {@code n x d}, d = {@link #embeddingDim()}
   * @throws IllegalArgumentException when the rows have not C*H*W values
   */
  public FloatMatrix embed(FloatMatrix pixels) {
    if (pixels.cols() != bundle.input().pixels()) {
      throw new IllegalArgumentException(
          "the images have "
              + pixels.cols()
              + " values each but the model takes "
              + bundle.input().pixels()
              + " ("
              + Arrays.toString(bundle.input().shape())
              + ")");
    }
    if (autoencoder == null) {
      return pixels;
    }
    try (NDManager scope = model.getNDManager().newSubManager()) {
      return new Embedder(
              autoencoder.encoder(), autoencoder.inputShape(), bundle.input().batchSize())
          .embed(scope, pixels);
    }
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
