package io.deepclust.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.util.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small models and data for fast tests: 1x8x8 images. */
final class TinyModels {
  static final Shape IMAGE = new Shape(1, 8, 8);

  private TinyModels() {}

  /** n smooth random blobs in [0, 1], 64 pixels each. */
  static FloatMatrix blobs(int n, long seed) {
    SplittableRandom r = Seeds.stream(seed, "test-blobs");
    float[] d = new float[n * 64];
    for (int i = 0; i < n; i++) {
      double cx = r.nextDouble(1, 7);
      double cy = r.nextDouble(1, 7);
      double s = r.nextDouble(1, 3);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          double q = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s);
          d[i * 64 + y * 8 + x] = (float) Math.exp(-q);
        }
      }
    }
    return new FloatMatrix(n, 64, d);
  }

  /** 64-16-64 MLP autoencoder with a sigmoid output. */
  static Autoencoder mlp() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(16).build())
            .add(Activation::relu);
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(enc, dec, IMAGE);
  }

  /** Conv + BatchNorm encoder (to 8), linear decoder. */
  static Autoencoder convBn() {
    SequentialBlock enc =
        new SequentialBlock()
            .add(
                Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1))
                    .setFilters(4)
                    .build())
            .add(BatchNorm.builder().build())
            .add(Activation::relu)
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(8).build());
    SequentialBlock dec =
        new SequentialBlock().add(Linear.builder().setUnits(64).build()).add(Activation::sigmoid);
    return new Autoencoder(enc, dec, IMAGE);
  }

  /** A model holding {@code ae}, initialised after seeding the engine with {@code initSeed}. */
  static Model model(Autoencoder ae, int initSeed) {
    Engine.getInstance().setRandomSeed(initSeed);
    Model model = Model.newInstance("tiny");
    ae.initialize(model.getNDManager());
    model.setBlock(ae.block());
    return model;
  }

  /** All parameters of the model's block, concatenated in path order. */
  static float[] parameters(Model model) {
    var params = model.getBlock().getParameters();
    int total = 0;
    for (var p : params.values()) {
      total += (int) p.getArray().size();
    }
    float[] out = new float[total];
    int at = 0;
    for (var p : params.values()) {
      float[] v = p.getArray().toFloatArray();
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }

  private static final Pattern COUNT = Pattern.compile("resource count: (\\d+)");

  /**
   * Live resources (arrays and sub-managers) under {@code manager}, recursively, counted from
   * {@link BaseNDManager#debugDump}, the public view of a manager's contents.
   */
  static synchronized int liveResources(NDManager manager) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      ((BaseNDManager) manager).debugDump(0);
    } finally {
      System.setOut(old);
    }
    Matcher m = COUNT.matcher(buf.toString(StandardCharsets.UTF_8));
    int sum = 0;
    while (m.find()) {
      sum += Integer.parseInt(m.group(1));
    }
    return sum;
  }

  /** VmRSS of this process in kB, or -1 where /proc is missing. */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
