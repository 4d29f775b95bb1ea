package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fully connected form against the papers' parameter counts, shapes and train/eval modes. */
class MlpArchitectureTest {

  /** Encoder + decoder parameters (PyTorch's count) for a batch of 2. */
  static long[] countParameters(Architecture architecture) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape input = new Shape(2).addAll(architecture.inputShape());
      Block encoder = architecture.encoder();
      encoder.initialize(manager, DataType.FLOAT32, input);
      Shape[] embedding = encoder.getOutputShapes(new Shape[] {input});
      assertEquals(new Shape(2).addAll(architecture.embeddingShape()), embedding[0]);
      Block decoder = architecture.decoder();
      decoder.initialize(manager, DataType.FLOAT32, embedding);
      assertEquals(input, decoder.getOutputShapes(embedding)[0], "decoder gives the input shape");
      return new long[] {
        ModelSummary.countParameters(encoder), ModelSummary.countParameters(decoder)
      };
    }
  }

  static long total(Architecture architecture) {
    long[] counts = countParameters(architecture);
    return counts[0] + counts[1];
  }

  @Test
  void paper002HasItsParameterCount() {
    // 784*128+128 + 128*64+64 | 64*128+128 + 128*784+784
    assertArrayEquals(
        new long[] {100_480 + 8_256, 8_320 + 101_136}, countParameters(MlpArchitecture.paper002()));
    assertEquals(218_192, total(MlpArchitecture.paper002()));
  }

  /**
   * Paper 003, table I: 1,169,296 with 10 x 128 cluster centres. Encoder Linear layers 582,720 plus
   * four LayerNorms 2 * (512 + 256 + 128 + 64) = 1,920; decoder Linear layers 583,376 and nothing
   * else.
   */
  @Test
  void paper003HasItsParameterCountWithoutTheClusterCentres() {
    MlpArchitecture paper003 = MlpArchitecture.paper003();
    assertEquals(List.of(128, 64, 128, 256, 512, 784), paper003.decoderDims());
    assertArrayEquals(new long[] {582_720 + 1_920, 583_376}, countParameters(paper003));
    assertEquals(1_169_296 - 10 * 128, total(paper003));
    assertEquals(1_168_016, total(paper003));
  }

  @Test
  void decHasItsParameterCount() {
    assertEquals(3_330_794, total(MlpArchitecture.dec()));
    assertEquals(new Shape(10), MlpArchitecture.dec().embeddingShape());
  }

  @Test
  void batchNormAndMirroredNormAreCounted() {
    MlpArchitecture mlp =
        new MlpArchitecture(
            List.of(784, 32, 8),
            null,
            ActivationFunction.GELU,
            Normalization.BATCH,
            0.1,
            null,
            null,
            ActivationFunction.TANH,
            ActivationFunction.NONE,
            null,
            null,
            null);
    assertEquals(Normalization.BATCH, mlp.decoderNorm());
    assertEquals(0.1, mlp.decoderDropout());
    long linear = (784 * 32 + 32) + (32 * 8 + 8) + (8 * 32 + 32) + (32 * 784 + 784);
    assertEquals(linear + 2 * 32 + 2 * 32, total(mlp));
  }

  /**
   * Paper 003 in both modes: the inference forward is deterministic (dropout off, LayerNorm with
   * per-sample statistics); the training forward drops units; the embedding is ReLU'd and the
   * reconstruction in (0, 1).
   */
  @Test
  void dropoutActsOnlyInTraining() {
    Engine.getInstance().setRandomSeed(11);
    forwardRandomBatch(
        MlpArchitecture.paper003(),
        4,
        (encoder, decoder, store, x) -> {
          float[] eval1 = forward(encoder, store, x, false).toFloatArray();
          float[] eval2 = forward(encoder, store, x, false).toFloatArray();
          assertArrayEquals(eval1, eval2, "no dropout in inference");
          float[] train = forward(encoder, store, x, true).toFloatArray();
          assertFalse(java.util.Arrays.equals(eval1, train), "dropout in training");
          for (float v : eval1) {
            assertTrue(v >= 0f, "ReLU embedding");
          }
          NDArray z = forward(encoder, store, x, false);
          assertEquals(new Shape(4, 128), z.getShape());
          NDArray y = forward(decoder, store, z, false);
          assertEquals(x.getShape(), y.getShape());
          assertTrue(y.min().getFloat() > 0f && y.max().getFloat() < 1f, "sigmoid range");
        });
  }

  /** {@code nn.LayerNorm(F)} at initialisation: {@code (x - mean) / sqrt(var + 1e-5)} per row. */
  @Test
  void layerNormIsPyTorchsOverTheFeatureAxis() {
    LayerNorm norm = (LayerNorm) Normalization.LAYER.block();
    try (NDManager manager = NDManager.newBaseManager()) {
      norm.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
      NDArray x = manager.create(new float[] {1, 2, 3, 4, 0, 0, 0, 8}, new Shape(2, 4));
      float[] y =
          norm.forward(new ParameterStore(manager, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      double[][] rows = {{1, 2, 3, 4}, {0, 0, 0, 8}};
      for (int r = 0; r < 2; r++) {
        double mean = 0;
        for (double v : rows[r]) {
          mean += v / 4;
        }
        double var = 0;
        for (double v : rows[r]) {
          var += (v - mean) * (v - mean) / 4; // biased, as torch.nn.LayerNorm
        }
        for (int c = 0; c < 4; c++) {
          assertEquals((rows[r][c] - mean) / Math.sqrt(var + 1e-5), y[4 * r + c], 1e-5);
        }
      }
      assertEquals(8, ModelSummary.countParameters(norm));
    }
  }

  @Test
  void descriptionSaysWhatItIs() {
    String description = MlpArchitecture.paper003().description();
    assertTrue(
        description.startsWith("MLP autoencoder 784-512-256-128-64-128 / 128-64-128-256-512-784")
            && description.contains("norm layer (decoder none)")
            && description.contains("dropout 0.2 (decoder 0.0)")
            && description.contains("embedding relu"),
        description);
    assertEquals("mlp", MlpArchitecture.dec().name());
  }

  @Test
  void explicitValuesAreNeverReplaced() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> withDropouts(-0.1, null));
    assertTrue(e.getMessage().startsWith("dropout: must be in [0, 1), got -0.1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> withDropouts(null, Double.NaN));
  }

  /** A 784-10 MLP with these encoder / decoder dropouts and defaults for all else. */
  private static MlpArchitecture withDropouts(Double encoder, Double decoder) {
    return new MlpArchitecture(
        List.of(784, 10), null, null, null, encoder, null, decoder, null, null, null, null, null);
  }

  /** Runs a check on a fresh, initialised encoder and decoder. */
  interface ForwardCheck {
    /**
     * @param x a batch of uniform random inputs in [0, 1), in a scope closed after the check
     */
    void run(Block encoder, Block decoder, ParameterStore store, NDArray x);
  }

  /**
   * Initialises a fresh encoder and decoder of {@code architecture} for batches of {@code batch},
   * runs {@code check} on a random batch, and asserts that no array leaked into the parameters'
   * manager.
   */
  static void forwardRandomBatch(Architecture architecture, int batch, ForwardCheck check) {
    Shape input = new Shape(batch).addAll(architecture.inputShape());
    Block encoder = architecture.encoder();
    Block decoder = architecture.decoder();
    try (NDManager manager = NDManager.newBaseManager()) {
      encoder.initialize(manager, DataType.FLOAT32, input);
      decoder.initialize(
          manager, DataType.FLOAT32, new Shape(batch).addAll(architecture.embeddingShape()));
      ParameterStore store = new ParameterStore(manager, false);
      // A first pass may build per-block caches in the model (DenseConv's operator index).
      try (NDManager step = manager.newSubManager()) {
        check.run(encoder, decoder, store, step.randomUniform(0, 1, input));
      }
      int before = manager.getManagedArrays().size();
      try (NDManager step = manager.newSubManager()) {
        check.run(encoder, decoder, store, step.randomUniform(0, 1, input));
      }
      assertEquals(before, manager.getManagedArrays().size(), "no arrays leak into the model");
    }
  }

  private static NDArray forward(Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }
}
