package io.deepclust.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.deepclust.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

class EmbedderTest {
  @Test
  void batchedEvalEmbeddingEqualsOneBigForward() {
    Engine.getInstance().setRandomSeed(11);
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(6).build())
            .add(BatchNorm.builder().build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(3).build());
    Shape image = new Shape(1, 4, 4);
    FloatMatrix x = new FloatMatrix(23, 16, new float[23 * 16]);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = (float) ((Math.sin(i * 0.37) + 1) / 2);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      enc.initialize(m, DataType.FLOAT32, new Shape(1, 1, 4, 4));
      FloatMatrix z = new Embedder(enc, image, 5).embed(x);
      assertEquals(23, z.rows());
      assertEquals(3, z.cols());
      float[] all =
          enc.forward(
                  new ParameterStore(m, false),
                  new ai.djl.ndarray.NDList(m.create(x.data(), new Shape(23, 1, 4, 4))),
                  false)
              .singletonOrThrow()
              .toFloatArray();
      assertArrayEquals(all, z.data(), 1e-6f);
    }
    assertThrows(
        IllegalArgumentException.class, () -> new Embedder(enc, new Shape(1, 5, 5), 4).embed(x));
  }
}
