package io.deepclust.run;

import io.deepclust.bundle.ModelBundle;
import io.deepclust.data.ImageDataset;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeLoader;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the run's model bundle ({@code model/}, {@link ModelBundle}): the trained network's
 * weights, the resolved recipe, the input shape and each method's fitted reducer and clusterer, so
 * that {@code deepclust predict} and {@code deepclust embed} can use the run on new images. Written
 * with the results, before the optional figures.
 */
final class BundleStage {
  private BundleStage() {}

  /**
   * @param images the clustered images (their shape is what a pixel method takes)
   * @param embeddingDim values per embedding the methods were fitted on
   */
  static void write(
      RunContext ctx,
      Trained trained,
      ImageDataset images,
      int embeddingDim,
      List<Clustering> clusterings) {
    Recipe recipe = ctx.recipe();
    List<ModelBundle.Method> methods = new ArrayList<>();
    for (Clustering c : clusterings) {
      if (c.model() == null) {
        ctx.info(
            "warning: method '"
                + c.method().name()
                + "': its clusterer cannot be stored, so the run has no model bundle"
                + " (deepclust predict cannot use it)");
        return;
      }
      methods.add(
          new ModelBundle.Method(
              c.method().name(),
              c.method().fitOn(),
              c.method().predictOn(),
              embeddingDim,
              c.reducer(),
              c.model()));
    }
    boolean pixels =
        trained.autoencoder() == null
            || recipe.embedding().source().equals(Recipe.Embedding.PIXELS);
    int[] shape =
        pixels
            ? new int[] {images.channels(), images.height(), images.width()}
            : toInts(trained.autoencoder().inputShape().getShape());
    ModelBundle.Input input =
        new ModelBundle.Input(
            shape,
            recipe.data().shapeArray(),
            recipe.data().dataset(),
            pixels ? Recipe.Embedding.PIXELS : Recipe.Embedding.ENCODER,
            recipe.training().batchSize());
    ModelBundle.Network network = null;
    if (!pixels) {
      ClusteringHead h = trained.autoencoder().head();
      network =
          new ModelBundle.Network(
              recipe.model().name(),
              trained.parameters(),
              embeddingDim,
              h == null
                  ? null
                  : new ModelBundle.HeadInfo(h.k(), h.dims(), h.alpha(), h.kernel().id()));
    }
    ModelBundle.write(
        // every file through the run folder, so that --overwrite knows it as the run's own
        name -> ctx.folder().file(ModelBundle.FOLDER + "/" + name),
        recipe.name(),
        RecipeLoader.toJson(recipe),
        input,
        network,
        pixels
            ? null
            : out -> {
              DataOutputStream d = new DataOutputStream(out);
              trained.model().getBlock().saveParameters(d);
              d.flush();
            },
        methods);
  }

  private static int[] toInts(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.toIntExact(v[i]);
    }
    return out;
  }
}
