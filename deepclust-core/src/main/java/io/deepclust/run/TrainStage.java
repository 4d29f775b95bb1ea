package io.deepclust.run;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.nn.Architecture;
import io.deepclust.nn.Autoencoder;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.nn.ModelSummary;
import io.deepclust.recipe.AugmentationSpec;
import io.deepclust.recipe.HeadSpec;
import io.deepclust.recipe.PhaseSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.report.RunRecord;
import io.deepclust.train.Augmentation;
import io.deepclust.train.BatchConfig;
import io.deepclust.train.BatchSource;
import io.deepclust.train.CentresPhase;
import io.deepclust.train.CheckpointListener;
import io.deepclust.train.DecPhase;
import io.deepclust.train.EpochResult;
import io.deepclust.train.LossHistory;
import io.deepclust.train.MetricsCsvListener;
import io.deepclust.train.Phase;
import io.deepclust.train.ProgressListener;
import io.deepclust.train.TrainingListener;
import io.deepclust.train.TrainingLoop;
import io.deepclust.util.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Builds the recipe's autoencoder and trains it through the recipe's phases: progress, {@code
 * training.csv}, a checkpoint per epoch, resumable. Knows nothing of any particular phase: each
 * {@link PhaseSpec} creates its own {@link Phase}.
 */
final class TrainStage {
  private TrainStage() {}

  /** Directory of the run's checkpoints. */
  static final String CHECKPOINTS = "checkpoints";

  /**
   * @param resumeFrom a checkpoint (or checkpoints folder) to continue from, or null
   * @param init the weights to start from ({@code training.init_from}), or null
   * @param afterPhaseHook called at the end of every phase but the last with the phase's name and
   *     the model so far (the last phase's evaluation is the run's own), or null
   */
  static Trained run(
      RunContext ctx,
      RunData data,
      Path resumeFrom,
      InitFrom.Source init,
      BiConsumer<String, Trained> afterPhaseHook) {
    Recipe recipe = ctx.recipe();
    if (recipe.model() == null) {
      return Trained.none();
    }
    Engine.getInstance().setRandomSeed((int) recipe.seedValue());
    Architecture arch = recipe.model();
    Autoencoder ae =
        new Autoencoder(arch.encoder(), arch.decoder(), arch.inputShape(), head(recipe, arch));
    Model model = Model.newInstance(recipe.name(), ctx.device());
    try {
      ae.initialize(model.getNDManager());
      model.setBlock(ae.block());
      if (init != null && resumeFrom == null) {
        // a resumed run's checkpoint already holds the weights it started from
        ctx.info(InitFrom.load(init, ae));
      }
      long params = ModelSummary.countParameters(ae.block());
      ctx.info(String.format(Locale.ROOT, "model: %s, %,d parameters", arch.name(), params));
      Map<String, Double> facts = new LinkedHashMap<>();
      LossHistory history = train(ctx, data, model, ae, params, resumeFrom, afterPhaseHook, facts);
      return new Trained(model, ae, history, params, facts);
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  /** The clustering head a phase asks for (Recipe checks there is at most one), or null. */
  private static ClusteringHead head(Recipe recipe, Architecture arch) {
    for (PhaseSpec p : recipe.training().phases()) {
      HeadSpec h = p.head();
      if (h != null && p.epochs() > 0) {
        Shape emb = arch.embeddingShape();
        if (emb.dimension() != 1) {
          throw new IllegalArgumentException(
              "phase '"
                  + p.name()
                  + "' trains a clustering head on the embedding, which must be a vector, but"
                  + " the model's embedding has shape "
                  + emb
                  + "; end the encoder with a flatten or a linear layer");
        }
        return new ClusteringHead(h.k(), Math.toIntExact(emb.get(0)), h.alpha(), h.kernel());
      }
    }
    return null;
  }

  private static LossHistory train(
      RunContext ctx,
      RunData data,
      Model model,
      Autoencoder ae,
      long params,
      Path resumeFrom,
      BiConsumer<String, Trained> afterPhaseHook,
      Map<String, Double> facts) {
    Recipe recipe = ctx.recipe();
    Recipe.Training tr = recipe.training();
    List<Phase> phases = new ArrayList<>();
    List<PhaseSpec> specs = new ArrayList<>();
    for (PhaseSpec p : tr.phases()) {
      if (p.epochs() > 0) {
        phases.add(p.create(ae, ctx.components()));
        specs.add(p);
      }
    }
    if (phases.isEmpty()) {
      ctx.info(
          tr.initFrom() == null
              ? "training: no epochs in the recipe; clustering the untrained encoder"
              : "training: no epochs in the recipe; clustering the encoder from training.init_from");
      return new LossHistory();
    }
    long seed = recipe.seedValue();
    FloatMatrix trainPixels = data.train().pixels();
    Augmentation augmentation = null;
    AugmentationSpec spec = tr.augmentation();
    if (spec instanceof AugmentationSpec.GaussianNoiseSpec g && g.appliedOnce()) {
      if (g.sigma() > 0) {
        trainPixels = g.build().applyOnce(trainPixels, Seeds.mix(seed, "noise-once"));
        ctx.info(
            String.format(
                Locale.ROOT,
                "augmentation: Gaussian noise sigma %.4g%s added once to the %d training images",
                g.sigma(),
                g.clip() ? ", clipped to [0, 1]," : "",
                trainPixels.rows()));
      }
    } else if (spec != null && !spec.build().isIdentity()) {
      augmentation = spec.build();
      ctx.info(
          "augmentation: "
              + augmentation.describe()
              + " in every training step (seeded per phase, epoch and batch)");
    }
    for (PhaseSpec p : specs) {
      if (p.augmentation() != null) {
        ctx.info(
            "augmentation of phase "
                + p.name()
                + ": "
                + p.augmentation().build().describe()
                + " (in place of the run's)");
      }
    }
    BatchSource source =
        new BatchSource(
            trainPixels, ae.inputShape(), new BatchConfig(tr.batchSize(), true, false), seed);
    TrainingLoop.Builder b =
        TrainingLoop.builder(model, source)
            .optOptimizer(tr.optimizer().build())
            .optAugmentation(augmentation)
            .addListener(new ProgressListener())
            .addListener(new ClusterMonitor(ctx, data.train().labels(), resumeFrom != null))
            .addListener(new MetricsCsvListener(ctx.folder().file("training.csv")))
            .addListener(new CheckpointListener(ctx.folder().dir().resolve(CHECKPOINTS)));
    if (data.validation() != null) {
      b.optValidationData(
          new BatchSource(
              data.validation().pixels(),
              ae.inputShape(),
              new BatchConfig(tr.batchSize(), false, false),
              seed));
    }
    Map<String, Integer> epochsRun = new LinkedHashMap<>();
    int lastPhase = phases.size() - 1;
    double[] hookSeconds = {0};
    b.addListener(
        new TrainingListener() {
          // the progress listener shows these on the console; run.log must keep them too
          @Override
          public void onNotice(TrainingLoop loop, String message) {
            ctx.log().fileOnly(message);
          }

          @Override
          public void onWarning(TrainingLoop loop, String message) {
            ctx.log().fileOnly("warning: " + message);
          }

          @Override
          public void onEpochEnd(TrainingLoop loop, EpochResult r) {
            epochsRun.merge(r.phase(), 1, Integer::sum);
            keepCentres(ctx, phases);
          }

          @Override
          public void onPhaseEnd(TrainingLoop loop, int phaseIndex, Phase phase) {
            // also after early stopping or a phase's own convergence (DEC's tol)
            if (afterPhaseHook != null && phaseIndex != lastPhase) {
              long t = System.nanoTime();
              afterPhaseHook.accept(phase.name(), new Trained(model, ae, loop.history(), params));
              hookSeconds[0] += (System.nanoTime() - t) / 1e9;
            }
          }
        });
    for (int i = 0; i < phases.size(); i++) {
      b.addPhase(phases.get(i), specs.get(i).options());
    }
    TrainingLoop loop = b.build();
    long t = System.nanoTime();
    LossHistory history;
    if (resumeFrom != null) {
      ctx.info("training: resuming from " + resumeFrom);
      history = loop.resume(resumeFrom);
    } else {
      history = loop.run();
    }
    keepCentres(ctx, phases);
    double s = (System.nanoTime() - t) / 1e9 - hookSeconds[0];
    ctx.timings().add("train", s);
    if (hookSeconds[0] > 0) {
      ctx.timings().add("evaluate_after_phases", hookSeconds[0]);
    }
    logThroughput(ctx, history, specs, data.train().size(), epochsRun, s);
    for (Phase phase : phases) {
      if (phase instanceof DecPhase dec && epochsRun.containsKey(dec.name())) {
        reportCollapse(ctx, dec, facts);
      }
    }
    return history;
  }

  /** The centres of each phase that keeps them, for the {@code phase_centres} clusterer. */
  private static void keepCentres(RunContext ctx, List<Phase> phases) {
    for (Phase p : phases) {
      if (p instanceof CentresPhase c) {
        FloatMatrix centres = c.centres();
        if (centres != null) {
          ctx.phaseCentres().put(p.name(), centres);
        }
      }
    }
  }

  /**
   * What a clustering phase with collapse detection or best-silhouette selection did, in the log
   * and in {@code facts} ({@code <phase>_collapses_detected}, {@code <phase>_collapse_recoveries},
   * {@code <phase>_ended_with_best}, {@code <phase>_best_silhouette}).
   */
  private static void reportCollapse(RunContext ctx, DecPhase dec, Map<String, Double> facts) {
    DecPhase.Joint j = dec.config().joint();
    if (j.collapse() == null && j.silhouetteSample() == 0) {
      return;
    }
    String n = dec.name();
    if (j.collapse() != null) {
      facts.put(n + "_collapses_detected", (double) dec.collapsesDetected());
      facts.put(n + "_collapse_recoveries", (double) dec.recoveries());
      ctx.info(
          dec.collapsesDetected() == 0
              ? String.format(
                  Locale.ROOT,
                  "phase '%s': no collapse detected (rule: largest cluster above %.0f%% or fewer"
                      + " than %d clusters in use); recovery did not fire",
                  n,
                  100 * j.collapse().maxShare(),
                  j.collapse().minClusters())
              : String.format(
                  Locale.ROOT,
                  "phase '%s': collapse detected at %d updates; recovery (%s) fired %d times",
                  n,
                  dec.collapsesDetected(),
                  j.collapse().recovery().name().toLowerCase(Locale.ROOT),
                  dec.recoveries()));
    }
    if (j.silhouetteSample() > 0) {
      facts.put(n + "_ended_with_best", dec.endedWithBest() ? 1.0 : 0.0);
      if (!Double.isNaN(dec.bestSilhouette())) {
        facts.put(n + "_best_silhouette", dec.bestSilhouette());
      }
      ctx.info(
          String.format(
              Locale.ROOT,
              "phase '%s': best silhouette %.4f (sample of %d) at phase step %d; %s",
              n,
              dec.bestSilhouette(),
              j.silhouetteSample(),
              dec.bestStep(),
              dec.endedWithBest()
                  ? "the phase ended with those parameters"
                  : "the final parameters were kept (as good, not collapsed)"));
    }
  }

  private static void logThroughput(
      RunContext ctx,
      LossHistory history,
      List<PhaseSpec> specs,
      int trainImages,
      Map<String, Integer> epochsRun,
      double seconds) {
    long images = 0;
    int epochs = 0;
    for (PhaseSpec spec : specs) {
      List<EpochResult> rs = history.epochsOf(spec.name());
      int ran = epochsRun.getOrDefault(spec.name(), 0);
      images += spec.imagesPerEpoch(trainImages) * ran;
      epochs += ran;
      if (rs.isEmpty()) {
        continue;
      }
      RunRecord.PhaseSummary sum = summary(rs);
      EpochResult last = rs.get(rs.size() - 1);
      ctx.info(
          String.format(
              Locale.ROOT,
              "phase '%s': %d epochs x %d images in %.1f s, %.1f images/s in training steps;"
                  + " last loss %.5g%s",
              spec.name(),
              rs.size(),
              spec.imagesPerEpoch(trainImages),
              sum.seconds(),
              sum.imagesPerSecond(),
              last.loss(),
              last.hasValLoss()
                  ? String.format(Locale.ROOT, ", validation %.5g", last.valLoss())
                  : ""));
    }
    ctx.info(
        String.format(
            Locale.ROOT,
            "training: %d epochs in %.1f s (%.1f images/s over these epochs, mining and"
                + " validation included)",
            epochs,
            seconds,
            images / Math.max(seconds, 1e-9)));
  }

  /** Per phase: epochs, losses, seconds and mean throughput, for metrics.json. */
  static Map<String, RunRecord.PhaseSummary> summaries(LossHistory history) {
    Map<String, List<EpochResult>> byPhase = new LinkedHashMap<>();
    for (EpochResult r : history.epochs()) {
      byPhase.computeIfAbsent(r.phase(), k -> new ArrayList<>()).add(r);
    }
    Map<String, RunRecord.PhaseSummary> out = new LinkedHashMap<>();
    byPhase.forEach((phase, rs) -> out.put(phase, summary(rs)));
    return out;
  }

  private static RunRecord.PhaseSummary summary(List<EpochResult> rs) {
    return new RunRecord.PhaseSummary(
        rs.size(),
        rs.stream().map(EpochResult::loss).toList(),
        rs.get(0).hasValLoss() ? rs.stream().map(EpochResult::valLoss).toList() : List.of(),
        rs.stream().mapToDouble(EpochResult::seconds).sum(),
        rs.stream().mapToDouble(EpochResult::imagesPerSecond).average().orElse(0));
  }
}
