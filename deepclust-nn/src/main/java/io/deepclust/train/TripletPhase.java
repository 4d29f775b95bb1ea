package io.deepclust.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.deepclust.embed.Embedder;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.TorchScalar;
import io.deepclust.train.triplet.TripletMiner;
import io.deepclust.train.triplet.Triplets;
import io.deepclust.util.Seeds;
import java.util.Locale;
import java.util.Objects;

/**
 * Triplet fine-tuning of the encoder, phase 2 of Triplet-CNN-AE (paper 001, section III-C): on a
 * seeded subset of the training images (20,000 in the paper), every epoch re-embeds the subset with
 * the current encoder (eval mode), mines one triplet per image with {@link TripletMiner} (positive:
 * nearest neighbour; negative: random row farther than 0.5, or semi-hard), and minimises the
 * triplet margin loss {@link Losses#tripletMargin} (margin 1.0) over batches of anchors.
 *
 * <p>Only the encoder trains: the decoder is frozen in {@link #beforePhase} (Adam skips frozen
 * parameters, so their moments and step counts pause, as torch.optim.Adam does for parameters
 * without gradient) and unfrozen in {@link #afterPhase}. The optimizer and its state carry on from
 * the previous phase (same {@link TrainingLoop}).
 *
 * <p>Data: the phase trains on {@link #trainData}, a {@link BatchSource#subset} of the run's data
 * drawn with the run's seed, so a resumed run trains on the same subset; {@link TrainBatch#rows}
 * index that subset, and so do the triplets. With validation data, {@link #beforeValidation} mines
 * validation triplets among the validation images with the epoch's final model, so the validation
 * loss is the same triplet loss on held-out images (the paper's "validation set ... used to
 * evaluate triplet loss").
 *
 * <p>Mining uses the model as it is at the start of the epoch (the triplets are fixed for the
 * epoch, like a mined dataset in a PyTorch DataLoader); everything depends only on the model, the
 * data and (seed, phase, epoch), so resumed runs mine the same triplets.
 */
public final class TripletPhase implements Phase {
  /** How the anchors, positives and negatives of a batch go through the encoder in training. */
  public enum Forward {
    /**
     * One forward of the 3B images: BatchNorm normalises the three groups with the same batch
     * statistics (so their embeddings are comparable, as in eval mode) and updates its running
     * statistics once per step. The default.
     */
    JOINT,
    /**
     * Three forwards (anchors, positives, negatives), as {@code enc(a), enc(p), enc(n)} in PyTorch:
     * each group normalised with its own batch statistics, running statistics updated three times
     * per step.
     */
    SEPARATE;

    /** Parses "joint" or "separate" (any case). */
    public static Forward parse(String text) {
      String s = Objects.requireNonNull(text, "forward").trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "joint" -> JOINT;
        case "separate" -> SEPARATE;
        default ->
            throw new IllegalArgumentException(
                "unknown triplet forward '" + text + "'; use \"joint\" or \"separate\"");
      };
    }
  }

  /**
   * @param name the phase name, e.g. "triplet"
   * @param epochs epochs to train, at least 1 (paper: 5)
   * @param subsetSize images of the run's training data this phase trains on, a seeded sample
   *     (paper: 20,000); all of them when the data has fewer; at least 3
   * @param margin the triplet loss margin, &gt; 0 (paper: 1.0)
   * @param mining positive/negative rules; its {@code margin} is the semi-hard band width and
   *     should equal {@code margin}
   * @param forward how the three groups go through the encoder (see {@link Forward})
   * @param l2Normalize whether this phase L2-normalises the encoder's output itself, for mining and
   *     loss (false when the encoder already ends with a normalisation, as paper 001's does)
   * @param embedBatchSize images per forward when re-embedding the subset, at least 1
   */
  public record Config(
      String name,
      int epochs,
      int subsetSize,
      float margin,
      TripletMiner.Config mining,
      Forward forward,
      boolean l2Normalize,
      int embedBatchSize) {
    public Config {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mining, "mining");
      Objects.requireNonNull(forward, "forward");
      if (name.isBlank() || name.contains("/")) {
        throw new IllegalArgumentException(
            "phase name '" + name + "' must be non-empty and contain no '/'");
      }
      if (epochs < 1) {
        throw new IllegalArgumentException(
            "epochs of phase '" + name + "' must be at least 1, got " + epochs);
      }
      if (subsetSize < 3) {
        throw new IllegalArgumentException(
            "subsetSize of phase '"
                + name
                + "' must be at least 3 (anchor, positive, negative), got "
                + subsetSize
                + "; the paper uses 20000");
      }
      if (!(margin > 0f) || Float.isInfinite(margin)) {
        throw new IllegalArgumentException(
            "margin of phase '" + name + "' must be a finite number > 0, got " + margin);
      }
      if (embedBatchSize < 1) {
        throw new IllegalArgumentException(
            "embedBatchSize of phase '" + name + "' must be at least 1, got " + embedBatchSize);
      }
    }

    /**
     * Paper 001: "triplet", 5 epochs, 20,000 images, margin 1.0, random-far negatives beyond 0.5,
     * joint forward, no extra normalisation (the encoder normalises), 512 images per embedding
     * forward.
     */
    public static Config defaults() {
      return new Config(
          "triplet", 5, 20_000, 1.0f, TripletMiner.Config.defaults(), Forward.JOINT, false, 512);
    }

    /** These settings with another number of epochs. */
    public Config withEpochs(int epochs) {
      return new Config(
          name, epochs, subsetSize, margin, mining, forward, l2Normalize, embedBatchSize);
    }

    /** These settings with another subset size. */
    public Config withSubsetSize(int subsetSize) {
      return new Config(
          name, epochs, subsetSize, margin, mining, forward, l2Normalize, embedBatchSize);
    }

    /** These settings with other mining rules. */
    public Config withMining(TripletMiner.Config mining) {
      return new Config(
          name, epochs, subsetSize, margin, mining, forward, l2Normalize, embedBatchSize);
    }

    /** These settings with another forward mode. */
    public Config withForward(Forward forward) {
      return new Config(
          name, epochs, subsetSize, margin, mining, forward, l2Normalize, embedBatchSize);
    }
  }

  private final Autoencoder autoencoder;
  private final Config config;
  private final TripletMiner miner;
  private int[] subsetRows;
  private Triplets trainTriplets;
  private Triplets validationTriplets;

  public TripletPhase(Autoencoder autoencoder, Config config) {
    this.autoencoder = Objects.requireNonNull(autoencoder, "autoencoder");
    this.config = Objects.requireNonNull(config, "config");
    this.miner = new TripletMiner(config.mining());
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public int epochs() {
    return config.epochs();
  }

  public Config config() {
    return config;
  }

  /**
   * A seeded sample of {@code subsetSize} rows of {@code runData} (all rows when it has no more),
   * drawn with {@code Seeds.stream(runData.seed(), "triplet-subset/" + name)}.
   */
  @Override
  public BatchSource trainData(BatchSource runData) {
    int[] rows = runData.sampleRows(config.subsetSize(), "triplet-subset/" + config.name());
    subsetRows = rows;
    if (rows.length < 3) {
      throw new IllegalArgumentException(
          "phase '"
              + config.name()
              + "' needs at least 3 training images for triplets, the data has "
              + rows.length);
    }
    return rows.length == runData.size() ? runData : runData.subset(rows);
  }

  /** Rows of the run's training data this phase trains on (null before the phase started). */
  public int[] subsetRows() {
    return subsetRows;
  }

  /** The triplets of the current (or last) epoch, indexed by subset row; null before mining. */
  public Triplets trainTriplets() {
    return trainTriplets;
  }

  /** The triplets among the validation images of the last validation; null if none. */
  public Triplets validationTriplets() {
    return validationTriplets;
  }

  @Override
  public void beforePhase(PhaseContext ctx) {
    autoencoder.decoder().freezeParameters(true);
  }

  @Override
  public void afterPhase(PhaseContext ctx) {
    autoencoder.decoder().freezeParameters(false);
  }

  @Override
  public void beforeEpoch(PhaseContext ctx) {
    trainTriplets = mine(ctx, "train");
  }

  @Override
  public void beforeValidation(PhaseContext ctx) {
    validationTriplets = mine(ctx, "validation");
  }

  private Triplets mine(PhaseContext ctx, String split) {
    Embedder embedder =
        new Embedder(autoencoder.encoder(), ctx.data().imageShape(), config.embedBatchSize());
    FloatMatrix z = embedder.embed(ctx.manager(), ctx.data().images());
    if (config.l2Normalize()) {
      normalizeRows(z);
    }
    long seed = Seeds.mix(ctx.seed(), "triplet/" + config.name() + "/" + split + "/" + ctx.epoch());
    return miner.mine(ctx.manager(), z, seed);
  }

  @Override
  public NDArray loss(PhaseContext ctx, TrainBatch batch) {
    Triplets t = ctx.training() ? trainTriplets : validationTriplets;
    if (t == null || t.size() != ctx.data().size()) {
      throw new IllegalStateException(
          "phase '"
              + config.name()
              + "' has no triplets for these "
              + ctx.data().size()
              + " images; they are mined in beforeEpoch / beforeValidation, which the"
              + " TrainingLoop calls");
    }
    int[] rows = batch.rows();
    int b = rows.length;
    NDArray anchors = batch.images();
    NDArray positives = ctx.data().toNDArray(ctx.manager(), t.positivesOf(rows));
    NDArray negatives = ctx.data().toNDArray(ctx.manager(), t.negativesOf(rows));
    NDArray za;
    NDArray zp;
    NDArray zn;
    if (config.forward() == Forward.JOINT) {
      NDArray z = embed(ctx, NDArrays.concat(new NDList(anchors, positives, negatives), 0));
      za = z.get(new NDIndex("0:{}", b));
      zp = z.get(new NDIndex("{}:{}", b, 2 * b));
      zn = z.get(new NDIndex("{}:", 2 * b));
    } else {
      za = embed(ctx, anchors);
      zp = embed(ctx, positives);
      zn = embed(ctx, negatives);
    }
    return Losses.tripletMargin(za, zp, zn, config.margin());
  }

  /** Encoder output flattened to (B, d), L2-normalised if configured. */
  private NDArray embed(PhaseContext ctx, NDArray images) {
    NDArray z = ctx.forward(autoencoder.encoder(), images);
    z = z.reshape(z.getShape().get(0), -1);
    if (config.l2Normalize()) {
      // torch.nn.functional.normalize: x / max(||x||, 1e-12)
      NDArray norm = z.square().sum(new int[] {1}, true).sqrt();
      z = z.div(norm.maximum(TorchScalar.of(norm, 1e-12f)));
    }
    return z;
  }

  private static void normalizeRows(FloatMatrix z) {
    float[] v = z.data();
    int d = z.cols();
    for (int i = 0; i < z.rows(); i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += (double) v[i * d + k] * v[i * d + k];
      }
      double norm = Math.max(Math.sqrt(s), 1e-12);
      for (int k = 0; k < d; k++) {
        v[i * d + k] = (float) (v[i * d + k] / norm);
      }
    }
  }
}
