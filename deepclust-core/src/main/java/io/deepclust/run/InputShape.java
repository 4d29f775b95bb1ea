package io.deepclust.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The model takes its input shape from the data: a recipe whose model was declared for another
 * shape (the defaults describe 28x28 grey MNIST) is rebuilt for the images' {@code (C, H, W)}
 * before anything is written, through the model's own fields ({@code input_shape}, or {@code
 * in_channels}, {@code height} and {@code width}) and its own checks. A shape the model cannot take
 * (a side that is not a multiple of 4 for the paper models, an MLP whose {@code dims[0]} is another
 * size, a conv stack that shrinks a side to nothing) is an error naming both shapes and the fixes.
 */
final class InputShape {
  private InputShape() {}

  /**
   * {@code recipe} with its model built for {@code data}'s image shape; {@code recipe} itself when
   * it has no model, clusters pixels, or already fits.
   *
   * @throws RecipeException when the model cannot take the images' shape
   */
  static Recipe fit(Recipe recipe, ImageDataset data, Consumer<String> log) {
    if (recipe.model() == null || recipe.embedding().source().equals(Recipe.Embedding.PIXELS)) {
      return recipe;
    }
    long[] want = {data.channels(), data.height(), data.width()};
    long[] has = recipe.model().inputShape().getShape();
    String wantText = text(want);
    String hasText = text(has);
    if (java.util.Arrays.equals(want, has)) {
      return recipe;
    }
    String type = recipe.model().name();
    ObjectNode tree = (ObjectNode) RecipeLoader.toJson(recipe);
    ObjectNode model = (ObjectNode) tree.get("model");
    String fix =
        "bring the images to a shape the model takes with data.shape, e.g. --set 'data.shape=["
            + has[0]
            + ", "
            + has[1]
            + ", "
            + has[2]
            + "]'";
    if (model.has("input_shape")) {
      JsonNode dims = model.get("dims");
      long values = want[0] * want[1] * want[2];
      if (dims instanceof ArrayNode a && a.size() > 0 && a.get(0).asLong() != values) {
        throw new RecipeException(
            String.format(
                Locale.ROOT,
                "the images are %s = %d values but model '%s' takes %s = %d values (model.dims.0);"
                    + " set model.dims.0 to %d, or %s",
                wantText,
                values,
                type,
                hasText,
                a.get(0).asLong(),
                values,
                fix));
      }
      ArrayNode shape = model.putArray("input_shape");
      for (long v : want) {
        shape.add(v);
      }
    } else if (model.has("in_channels") && model.has("height") && model.has("width")) {
      model.put("in_channels", want[0]);
      model.put("height", want[1]);
      model.put("width", want[2]);
    } else {
      throw new RecipeException(
          "the images are "
              + wantText
              + " but model '"
              + type
              + "' takes "
              + hasText
              + " only; "
              + fix);
    }
    Recipe fitted;
    try {
      fitted = RecipeLoader.parse("recipe '" + recipe.name() + "'", tree.toString(), List.of());
    } catch (RecipeException e) {
      throw new RecipeException(
          "the images are "
              + wantText
              + " but model '"
              + type
              + "' (declared for "
              + hasText
              + ") cannot take that shape: "
              + e.getMessage()
              + "; "
              + fix,
          e);
    }
    log.accept(
        "model: "
            + type
            + " built for the images' shape "
            + wantText
            + " (the recipe declared "
            + hasText
            + ")");
    return fitted;
  }

  private static String text(long[] s) {
    return "(" + s[0] + ", " + s[1] + ", " + s[2] + ")";
  }
}
