package io.deepclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.nn.Autoencoder;
import io.deepclust.train.RandomAffine.Fill;
import io.deepclust.train.ReconstructionPhase.LossKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RandomAffine} against scipy.ndimage.affine_transform (order 1; {@code
 * tools/fixtures/gen_random_affine.py}), its conventions on single pixels, identity, seeding, and
 * training with it: per-phase augmentation and an exact resume.
 */
class RandomAffineTest {
  private static final String FIXTURE = "/fixtures/random_affine.json";
  private static final long SEED = 14;

  @TempDir Path tmp;

  @Test
  void transformMatchesScipy() throws IOException {
    JsonNode root;
    try (InputStream in = RandomAffineTest.class.getResourceAsStream(FIXTURE)) {
      root = new ObjectMapper().readTree(in);
    }
    int checked = 0;
    for (JsonNode c : root.get("cases")) {
      float[] img = floats(root.get("images").get(c.get("image").asText()));
      float[] expected = floats(c.get("expected"));
      int ch = c.get("shape").get(0).asInt();
      int h = c.get("shape").get(1).asInt();
      int w = c.get("shape").get(2).asInt();
      float[] out = new float[img.length];
      RandomAffine.transform(
          img,
          out,
          0,
          ch,
          h,
          w,
          c.get("angle").asDouble(),
          c.get("tx").asDouble(),
          c.get("ty").asDouble(),
          c.get("scale").asDouble(),
          c.get("shear").asDouble(),
          Fill.valueOf(c.get("fill").asText().toUpperCase(java.util.Locale.ROOT)));
      assertArrayEquals(expected, out, 2e-6f, c.toString().substring(0, 120));
      checked++;
    }
    assertEquals(32, checked);
  }

  private static float[] floats(JsonNode a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) a.get(i).asDouble();
    }
    return f;
  }

  @Test
  void conventionsOnOnePixel() {
    // 7x7, a bright pixel right of the centre (3, 3): at (x 5, y 3)
    float[] img = new float[49];
    img[3 * 7 + 5] = 1;
    float[] out = new float[49];
    RandomAffine.transform(img, out, 0, 1, 7, 7, 90, 0, 0, 1, 0, Fill.CONSTANT);
    assertEquals(
        1, out[1 * 7 + 3], 1e-6, "+90 degrees turns it counter-clockwise: above the centre");
    RandomAffine.transform(img, out, 0, 1, 7, 7, 0, 1, -2, 1, 0, Fill.CONSTANT);
    assertEquals(1, out[1 * 7 + 6], 0, "t_x 1 moves it right, t_y -2 up");
    RandomAffine.transform(img, out, 0, 1, 7, 7, 0, 0.5, 0, 1, 0, Fill.CONSTANT);
    assertEquals(0.5, out[3 * 7 + 5], 1e-6, "half a pixel: bilinear");
    assertEquals(0.5, out[3 * 7 + 6], 1e-6);
    // fill: a constant image shifted stays constant with nearest, blends into 0 with constant
    float[] grey = new float[49];
    Arrays.fill(grey, 0.5f);
    RandomAffine.transform(grey, out, 0, 1, 7, 7, 0, 2.5, 0, 1, 0, Fill.NEAREST);
    for (float v : out) {
      assertEquals(0.5f, v, 0f);
    }
    RandomAffine.transform(grey, out, 0, 1, 7, 7, 0, 2.5, 0, 1, 0, Fill.CONSTANT);
    assertEquals(0, out[3 * 7], 0f, "left of the shifted image: zeros");
    assertEquals(0.25, out[3 * 7 + 2], 1e-6, "the edge blends into the fill");
    assertEquals(0.5, out[3 * 7 + 6], 1e-6);
  }

  @Test
  void identityParametersReturnTheInputExactly() {
    float[] img = randomImages(3, 2, 9, 7, 1);
    float[] out = new float[2 * 9 * 7];
    RandomAffine.transform(img, out, 0, 2, 9, 7, 0, 0, 0, 1, 0, Fill.CONSTANT);
    assertArrayEquals(Arrays.copyOf(img, out.length), out, 0f);
    RandomAffine none = new RandomAffine(0, 0, 1, 1, 0, Fill.CONSTANT);
    assertTrue(none.isIdentity());
    float[] batch = img.clone();
    none.apply(batch, 2, 9, 7, new SplittableRandom(1));
    assertArrayEquals(img, batch, 0f);
    assertFalse(new RandomAffine(10, 0, 1, 1, 0, Fill.CONSTANT).isIdentity());
    assertFalse(new RandomAffine(0, 0, 1, 1.1, 0, Fill.CONSTANT).isIdentity());
  }

  @Test
  void sameStreamSameImagesAndEachImageItsOwnTransform() {
    RandomAffine a = new RandomAffine(10, 0.1, 0.9, 1.1, 5, Fill.CONSTANT);
    float[] img = randomImages(4, 1, 12, 12, 2);
    float[] x = img.clone();
    float[] y = img.clone();
    a.apply(x, 1, 12, 12, Augmentation.stream(SEED, "pre", 1, 3, "batch"));
    a.apply(y, 1, 12, 12, Augmentation.stream(SEED, "pre", 1, 3, "batch"));
    assertArrayEquals(x, y, 0f);
    float[] z = img.clone();
    a.apply(z, 1, 12, 12, Augmentation.stream(SEED, "pre", 1, 4, "batch"));
    assertFalse(Arrays.equals(x, z), "another batch, other transforms");
    // the same image twice in a batch gets two transforms
    float[] twice = new float[288];
    System.arraycopy(img, 0, twice, 0, 144);
    System.arraycopy(img, 0, twice, 144, 144);
    a.apply(twice, 1, 12, 12, new SplittableRandom(5));
    assertFalse(Arrays.equals(Arrays.copyOf(twice, 144), Arrays.copyOfRange(twice, 144, 288)));
    for (float v : x) {
      assertTrue(v >= 0 && v <= 1, "stays in [0, 1]: " + v);
    }
    // five draws per image, in order angle, t_x, t_y, scale, shear
    SplittableRandom r = new SplittableRandom(8);
    double angle = (2 * r.nextDouble() - 1) * 10;
    double tx = (2 * r.nextDouble() - 1) * 0.1 * 12;
    double ty = (2 * r.nextDouble() - 1) * 0.1 * 12;
    double s = 0.9 + 0.2 * r.nextDouble();
    double sh = (2 * r.nextDouble() - 1) * 5;
    float[] expected = new float[144];
    RandomAffine.transform(img, expected, 0, 1, 12, 12, angle, tx, ty, s, sh, Fill.CONSTANT);
    float[] one = Arrays.copyOf(img, 144);
    a.apply(one, 1, 12, 12, new SplittableRandom(8));
    assertArrayEquals(expected, one, 0f);
    // a batch large enough to be split over threads: image i gets draws 5i to 5i + 4, whichever
    // thread transforms it
    float[] batch = randomImages(64, 1, 12, 12, 3);
    float[] sequential = new float[batch.length];
    SplittableRandom draws = new SplittableRandom(9);
    for (int i = 0; i < 64; i++) {
      double an = (2 * draws.nextDouble() - 1) * 10;
      double x0 = (2 * draws.nextDouble() - 1) * 0.1 * 12;
      double y0 = (2 * draws.nextDouble() - 1) * 0.1 * 12;
      double sc = 0.9 + 0.2 * draws.nextDouble();
      double shr = (2 * draws.nextDouble() - 1) * 5;
      float[] src = Arrays.copyOfRange(batch, i * 144, (i + 1) * 144);
      RandomAffine.transform(
          src, sequential, i * 144, 1, 12, 12, an, x0, y0, sc, shr, Fill.CONSTANT);
    }
    a.apply(batch, 1, 12, 12, new SplittableRandom(9));
    assertArrayEquals(sequential, batch, 0f);
  }

  @Test
  void composeAppliesInOrderFromOneStream() {
    RandomAffine a = new RandomAffine(10, 0.1, 1, 1, 0, Fill.NEAREST);
    GaussianNoise g = new GaussianNoise(0.05, true);
    float[] img = randomImages(2, 1, 8, 8, 3);
    float[] manual = img.clone();
    SplittableRandom r = new SplittableRandom(4);
    a.apply(manual, 1, 8, 8, r);
    g.apply(manual, 1, 8, 8, r);
    float[] composed = img.clone();
    var c = new Augmentation.Compose(List.of(a, g));
    c.apply(composed, 1, 8, 8, new SplittableRandom(4));
    assertArrayEquals(manual, composed, 0f);
    assertFalse(c.isIdentity());
    assertTrue(
        new Augmentation.Compose(List.of(Augmentation.none(), new GaussianNoise(0, true)))
            .isIdentity());
    assertEquals(
        "random affine (rotation ±10°, shift ±0.1 of the size, scale [1, 1], shear ±0°, nearest"
            + " fill, bilinear), then Gaussian noise sigma 0.05, clipped to [0, 1]",
        c.describe());
  }

  @Test
  void badArgumentsAreRefusedWithTheirName() {
    assertThrows(
        IllegalArgumentException.class, () -> new RandomAffine(-1, 0, 1, 1, 0, Fill.CONSTANT));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new RandomAffine(0, 1, 1, 1, 0, Fill.CONSTANT));
    assertTrue(e.getMessage().contains("shift"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RandomAffine(0, 0, 1.2, 1.1, 0, Fill.CONSTANT));
    assertTrue(e.getMessage().contains("scaleMax"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new RandomAffine(0, 0, 0, 1, 0, Fill.CONSTANT));
    assertThrows(
        IllegalArgumentException.class, () -> new RandomAffine(0, 0, 1, 1, 90, Fill.CONSTANT));
    assertThrows(IllegalArgumentException.class, () -> new RandomAffine(0, 0, 1, 1, 0, null));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RandomAffine(10, 0, 1, 1, 0, Fill.CONSTANT)
                    .apply(new float[50], 1, 7, 7, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("50 values"), e.getMessage());
  }

  // ---- in the training loop ----------------------------------------------------------------

  @Test
  void affineTrainingResumesBitIdenticallyAndPhasesMayOverride() {
    Augmentation aug = new RandomAffine(15, 0.1, 0.9, 1.1, 0, Fill.CONSTANT);
    float[] unbroken;
    Autoencoder ae = TinyModels.mlp();
    try (Model m = TinyModels.model(ae, 1)) {
      loop(m, ae, aug, null, null).build().run();
      unbroken = TinyModels.parameters(m);
    }
    Path ckpt = tmp.resolve("affine");
    Autoencoder b = TinyModels.mlp();
    try (Model m = TinyModels.model(b, 1)) {
      loop(m, b, aug, null, ckpt)
          .addListener(
              new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingLoop l, EpochResult r) {
                  if (r.epoch() == 1) {
                    l.requestStop();
                  }
                }
              })
          .build()
          .run();
    }
    Autoencoder c = TinyModels.mlp();
    try (Model m = TinyModels.model(c, 2)) {
      loop(m, c, aug, null, null).build().resume(ckpt);
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
    }
    // the augmentation changes the training; a phase's own 'none' is training without it
    float[] clean;
    Autoencoder d = TinyModels.mlp();
    try (Model m = TinyModels.model(d, 1)) {
      loop(m, d, null, null, null).build().run();
      clean = TinyModels.parameters(m);
      assertFalse(Arrays.equals(unbroken, clean));
    }
    Autoencoder e = TinyModels.mlp();
    try (Model m = TinyModels.model(e, 1)) {
      TrainingLoop l = loop(m, e, aug, Augmentation.none(), null).build();
      assertEquals(Augmentation.none(), l.augmentationOf(0));
      l.run();
      assertArrayEquals(clean, TinyModels.parameters(m), 0f);
    }
    // and a phase's own augmentation is the loop's when the loop has none
    Autoencoder f = TinyModels.mlp();
    try (Model m = TinyModels.model(f, 1)) {
      loop(m, f, null, aug, null).build().run();
      assertArrayEquals(unbroken, TinyModels.parameters(m), 0f);
    }
  }

  private static TrainingLoop.Builder loop(
      Model m, Autoencoder ae, Augmentation aug, Augmentation phaseAug, Path ckpt) {
    BatchSource data =
        new BatchSource(
            TinyModels.blobs(160, 5), TinyModels.IMAGE, new BatchConfig(32, true, false), SEED);
    TrainingLoop.Builder b =
        TrainingLoop.builder(m, data)
            .optAugmentation(aug)
            .addPhase(
                new ReconstructionPhase(ae, new ReconstructionPhase.Config("pre", 2, LossKind.MSE)),
                PhaseOptions.defaults().withAugmentation(phaseAug));
    if (ckpt != null) {
      b.addListener(new CheckpointListener(ckpt));
    }
    return b;
  }

  private static float[] randomImages(int n, int c, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] f = new float[n * c * h * w];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextDouble();
    }
    return f;
  }
}
