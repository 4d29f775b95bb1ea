package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RecipeRun#prepare} refuses methods that cannot fit the images to cluster, before a run
 * folder exists, instead of failing after training.
 */
class PrepareChecksTest {
  private static final ImageDataset IMAGES = SyntheticImages.of(10, 8, 7); // 30 images

  private static RecipeException refused(String... overrides) {
    Recipe r = RecipeLoader.parse("synthetic", SyntheticRunTest.RECIPE, List.of(overrides));
    return assertThrows(
        RecipeException.class,
        () -> RecipeRun.prepare(r, List.of(), DataSource.inMemory(IMAGES, null), s -> {}));
  }

  @Test
  void moreClustersThanImagesIsRefused() {
    RecipeException e = refused("methods.0.cluster.k=31");
    assertEquals(
        "invalid value for 'methods.0.cluster.k': 31 is more than the 30 images clustered; use at"
            + " most 30, or cluster more images (data.subset)",
        e.getMessage());
    assertTrue(
        refused("methods.1.cluster.k=40", "data.subset=12")
            .getMessage()
            .startsWith("invalid value for 'methods.1.cluster.k': 40 is more than the 12 images"));
  }

  @Test
  void morePcaComponentsThanImagesOrDimensionsIsRefused() {
    // the recipe's MLP embeds into 3 dimensions
    RecipeException e = refused("methods.1.reduce.components=4");
    assertEquals(
        "invalid value for 'methods.1.reduce.components': 4 is more than min(images, dimensions)"
            + " = min(30, 3); use at most 3",
        e.getMessage());
    e = refused("embedding.source=pixels", "training.phases=[]", "methods.1.reduce.components=31");
    assertTrue(e.getMessage().contains("min(30, 64)"), e.getMessage());
  }

  @Test
  void aContrastivePhasesPseudoLabelsThatCannotFitTheImagesAreRefused() {
    String phases =
        "training.phases=[{type: reconstruction, epochs: 1}, {type: contrastive, epochs: 1,"
            + " pseudo_labels: {reduce: {type: umap, n_neighbors: 30}, cluster: {type: gmm, k:"
            + " 3}}}]";
    RecipeException e = refused(phases);
    assertEquals(
        "invalid value for 'training.phases.1.pseudo_labels.reduce.n_neighbors': 30 needs more"
            + " than 30 images, got 30; lower it",
        e.getMessage());
    e = refused(phases.replace("n_neighbors: 30", "n_neighbors: 5").replace("k: 3", "k: 31"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "invalid value for 'training.phases.1.pseudo_labels.cluster.k': 31 is more than"
                    + " the 30 images"),
        e.getMessage());
  }

  @Test
  void asManyAsTheImagesIsAccepted() {
    Recipe r =
        RecipeLoader.parse(
            "synthetic",
            SyntheticRunTest.RECIPE,
            List.of("methods.0.cluster.k=30", "methods.1.reduce.components=3"));
    RecipeRun run = RecipeRun.prepare(r, List.of(), DataSource.inMemory(IMAGES, null), s -> {});
    assertEquals(30, run.data().eval().size());
  }
}
