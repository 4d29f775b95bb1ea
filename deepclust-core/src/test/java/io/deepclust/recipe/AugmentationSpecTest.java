package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.train.Augmentation;
import io.deepclust.train.GaussianNoise;
import io.deepclust.train.RandomAffine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code training.augmentation} and {@code training.phases.N.augmentation}: random_affine, compose
 * and none load with their documented defaults, every field is read, and bad values name the field.
 */
class AugmentationSpecTest {
  private static final String RECIPE =
      "name: a\n"
          + "model: {type: mlp, dims: [784, 32, 10]}\n"
          + "training:\n"
          + "  phases: [{type: reconstruction, name: pre, epochs: 1}]\n"
          + "methods: [{name: m, cluster: {type: kmeans, k: 3}}]\n";

  private static Recipe load(String... overrides) {
    return RecipeLoader.parse("aug.yaml", RECIPE, List.of(overrides));
  }

  private static void assertError(String override, String field, String fix) {
    RecipeException e = assertThrows(RecipeException.class, () -> load(override));
    String m = e.getMessage();
    assertTrue(m.contains("'" + field + "'") && m.contains(fix), override + " -> " + m);
  }

  @Test
  void randomAffineLoadsWithTheDocumentedDefaults() {
    var a =
        assertInstanceOf(
            AugmentationSpec.RandomAffineSpec.class,
            load("training.augmentation={type: random_affine}").training().augmentation());
    assertEquals(0.0, a.rotation());
    assertEquals(0.0, a.shift());
    assertEquals(List.of(1.0, 1.0), a.scale());
    assertEquals(0.0, a.shear());
    assertEquals("constant", a.fill());
    RandomAffine built = a.build();
    assertEquals(new RandomAffine(0, 0, 1, 1, 0, RandomAffine.Fill.CONSTANT), built);
    assertTrue(built.isIdentity());
    assertNull(load().training().phases().get(0).augmentation());
    assertNull(load().training().phases().get(0).options().augmentation());
  }

  @Test
  void readsEveryField() {
    var a =
        (AugmentationSpec.RandomAffineSpec)
            load("training.augmentation={type: random_affine, rotation: 10, shift: 0.1,"
                    + " scale: [0.9, 1.1], shear: 5, fill: nearest}")
                .training()
                .augmentation();
    assertEquals(new RandomAffine(10, 0.1, 0.9, 1.1, 5, RandomAffine.Fill.NEAREST), a.build());
    var c =
        (AugmentationSpec.ComposeSpec)
            load("training.augmentation={type: compose, steps: [{type: random_affine, rotation:"
                    + " 10}, {type: gaussian_noise, sigma: 0.02}]}")
                .training()
                .augmentation();
    Augmentation.Compose built = assertInstanceOf(Augmentation.Compose.class, c.build());
    assertEquals(
        List.of(
            new RandomAffine(10, 0, 1, 1, 0, RandomAffine.Fill.CONSTANT),
            new GaussianNoise(0.02, true)),
        built.steps());
  }

  @Test
  void aPhaseMayHaveItsOwn() {
    Recipe r =
        load(
            "training.augmentation={type: gaussian_noise, sigma: 0.02}",
            "training.phases.0.augmentation={type: random_affine, rotation: 10, shift: 0.1}");
    PhaseSpec p = r.training().phases().get(0);
    assertEquals(
        new RandomAffine(10, 0.1, 1, 1, 0, RandomAffine.Fill.CONSTANT), p.options().augmentation());
    p = load("training.phases.0.augmentation={type: none}").training().phases().get(0);
    assertEquals(Augmentation.none(), p.options().augmentation());
  }

  @Test
  void badValuesNameTheField() {
    assertError(
        "training.augmentation={type: random_affine, rotation: -1}",
        "training.augmentation.rotation",
        "0 to 180");
    assertError(
        "training.augmentation={type: random_affine, rotation: 181}",
        "training.augmentation.rotation",
        "0 to 180");
    assertError(
        "training.augmentation={type: random_affine, shift: 1}",
        "training.augmentation.shift",
        "below 1");
    assertError(
        "training.augmentation={type: random_affine, scale: [1.1]}",
        "training.augmentation.scale",
        "[min, max]");
    assertError(
        "training.augmentation={type: random_affine, scale: [1.1, 0.9]}",
        "training.augmentation.scale",
        "0 < min <= max");
    assertError(
        "training.augmentation={type: random_affine, scale: [0, 1]}",
        "training.augmentation.scale",
        "0 < min <= max");
    assertError(
        "training.augmentation={type: random_affine, shear: 90}",
        "training.augmentation.shear",
        "below 90");
    assertError(
        "training.augmentation={type: random_affine, fill: reflect}",
        "training.augmentation.fill",
        "use constant");
    assertError(
        "training.augmentation={type: random_affine, rotate: 10}",
        "training.augmentation.rotate",
        "rotation");
    assertError(
        "training.augmentation={type: compose, steps: []}",
        "training.augmentation.steps",
        "in order");
    assertError(
        "training.augmentation={type: compose, steps: [{type: gaussian_noise, sigma: 0.1,"
            + " apply: once}]}",
        "training.augmentation.steps.0.apply",
        "cannot be a step");
    assertError(
        "training.augmentation={type: compose, steps: [{type: compose, steps: [{type: none}]}]}",
        "training.augmentation.steps.0",
        "compose inside a compose");
    assertError(
        "training.phases.0.augmentation={type: gaussian_noise, sigma: 0.1, apply: once}",
        "training.phases.0.augmentation.apply",
        "training.augmentation");
  }
}
