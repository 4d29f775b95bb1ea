package io.deepclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.deepclust.cluster.SoftAssignment;
import io.deepclust.train.Losses;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The losses' gradients do not depend on when the JVM collects garbage: a garbage collection, and
 * fresh native allocations that reuse the freed memory, between the forward pass and {@code
 * backward()} leave every gradient bit-identical. With DJL's own scalar ops ({@code x.div(2.0)})
 * this fails: the backward reads a freed scalar ({@link TorchScalar}).
 */
class TorchScalarTest {

  @Test
  void aTorchScalarSurvivesAGarbageCollectionBeforeBackward() {
    float[] g = gradient(x -> x.div(TorchScalar.of(x, 2.0)).mul(TorchScalar.of(x, 3)).sum(), 4, 1);
    assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f, 1.5f}, g, 0f);
  }

  @Test
  void theTrainingLossesGradientsIgnoreGarbageCollection() {
    int b = 6;
    int d = 5;
    int k = 3;
    List<Function<NDArray, NDArray>> losses =
        List.of(
            // rows 0-1 anchors, 2-3 positives, 4-5 negatives
            z -> Losses.tripletMargin(z.get("0:2"), z.get("2:4"), z.get("4:6"), 1f),
            z ->
                Losses.enhancedTriplet(
                    z.get("0:2"),
                    z.get("2:4"),
                    z.get("4:6"),
                    1f,
                    0.15f,
                    z.getManager().ones(new Shape(2))),
            z -> {
              NDArray mu = z.get("0:3").mul(z.getManager().create(1.5f));
              NDArray q = ClusteringHead.softAssign(z, mu, 2.0, SoftAssignment.Kernel.STUDENT_T);
              NDArray p = q.square().stopGradient();
              p = p.div(p.sum(new int[] {1}, true));
              return Losses.klDivergence(p, q);
            },
            z -> {
              NDArray mu = z.get("0:3").mul(z.getManager().create(0.5f));
              NDArray w = z.getManager().eye(k).tile(new long[] {2, 1});
              return Losses.separation(z, w, mu);
            });
    for (int i = 0; i < losses.size(); i++) {
      Function<NDArray, NDArray> f = losses.get(i);
      float[] quiet = gradient(f, b * d, 0);
      float[] collected = gradient(f, b * d, 1);
      for (float v : quiet) {
        assertTrue(Float.isFinite(v), "loss " + i + ": finite gradient");
      }
      assertArrayEquals(quiet, collected, 0f, "loss " + i);
    }
  }

  /**
   * d(f(x))/dx at a fixed seeded x of {@code n} values (shape (n/5, 5) when n is a multiple of 5),
   * with {@code gcs} garbage collections and native reallocations between forward and backward.
   */
  private static float[] gradient(Function<NDArray, NDArray> f, int n, int gcs) {
    SplittableRandom r = new SplittableRandom(7);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(v, n % 5 == 0 ? new Shape(n / 5, 5) : new Shape(n));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = f.apply(x);
        for (int i = 0; i < gcs; i++) {
          collectAndReuse();
        }
        gc.backward(y);
      }
      return x.getGradient().toFloatArray();
    }
  }

  /** A GC, then many small native buffers holding NaN, which reuse whatever the GC freed. */
  private static void collectAndReuse() {
    System.gc();
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.gc();
    List<ByteBuffer> junk = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ByteBuffer buf = ByteBuffer.allocateDirect(i % 2 == 0 ? 4 : 8).order(ByteOrder.nativeOrder());
      if (buf.capacity() == 4) {
        buf.putFloat(0, Float.NaN);
      } else {
        buf.putDouble(0, Double.NaN);
      }
      junk.add(buf);
    }
    junk.clear();
  }

  /**
   * A guard for new code: no DJL scalar op with a literal or cast number in the training code (the
   * common form of the bug; an op on a number held in a variable is not caught here).
   */
  @Test
  void noTrainingCodeHandsDjlAScalarThatBackwardWouldRead() throws java.io.IOException {
    java.util.regex.Pattern op =
        java.util.regex.Pattern.compile(
            "\\.(mul|div|pow|maximum|minimum)\\(\\s*(-?[0-9]|\\((float|double|int|long)\\))");
    java.nio.file.Path main = java.nio.file.Path.of("src/main/java");
    List<String> found = new ArrayList<>();
    try (var files = java.nio.file.Files.walk(main)) {
      for (java.nio.file.Path f :
          files
              // optimizers update outside autograd: their scalars are read at once, never later
              .filter(
                  p -> p.toString().endsWith(".java") && !p.toString().endsWith("Optimizer.java"))
              .toList()) {
        List<String> lines = java.nio.file.Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (op.matcher(lines.get(i)).find() && !lines.get(i).contains("Math.")) {
            found.add(main.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertTrue(found.isEmpty(), "use TorchScalar.of(...) instead: " + found);
  }
}
