package io.deepclust.run;

import com.fasterxml.jackson.core.type.TypeReference;
import io.deepclust.cluster.HeadClusterer;
import io.deepclust.data.ImageDataset;
import io.deepclust.data.InputFile;
import io.deepclust.embed.NpyWriter;
import io.deepclust.nn.ClusteringHead;
import io.deepclust.recipe.ComponentContext;
import io.deepclust.recipe.HeadClustererSpec;
import io.deepclust.recipe.MethodSpec;
import io.deepclust.recipe.PhaseSpec;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeErrors;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.Assignments;
import io.deepclust.report.HtmlReport;
import io.deepclust.report.MetricsTable;
import io.deepclust.report.Provenance;
import io.deepclust.report.RunFolder;
import io.deepclust.report.RunLog;
import io.deepclust.report.RunRecord;
import io.deepclust.train.TrainingDivergedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a {@link Recipe} end to end through small stages: data ({@link DataSource}), training
 * ({@link TrainStage}), embedding ({@link EmbedStage}), each method's reducer and clusterer ({@link
 * ClusterStage}), evaluation ({@link EvaluateStage}), results, figures ({@link FigureStage}) and
 * the report.
 *
 * <p>Nothing is written before {@link #prepare} has loaded and checked the data. Results ({@code
 * metrics.json}, {@code assignments.csv}, {@code features.npy}, {@code labels.npy}) and the model
 * bundle ({@code model/}, {@link BundleStage}) are written before the optional figures, so a figure
 * that fails never loses them. A run that fails after it started records the error in {@code
 * run.log}.
 */
public final class RecipeRun {
  /** Per-phase rows written while training runs, so that a resumed run still reports them. */
  static final String PER_PHASE_FILE = "per_phase.json";

  private final Recipe recipe;
  private final List<String> overrides;
  private final RunData data;
  private final InitFrom.Source init;
  private final DeviceSettings device;

  private RecipeRun(
      Recipe recipe,
      List<String> overrides,
      RunData data,
      DeviceSettings device,
      InitFrom.Source init) {
    this.recipe = recipe;
    this.overrides = List.copyOf(overrides);
    this.data = data;
    this.device = device;
    this.init = init;
  }

  /**
   * Loads and checks the recipe's data; writes nothing into any run folder.
   *
   * @param overrides the {@code key=value} overrides already applied to {@code recipe}, recorded in
   *     {@code config.json}
   * @param log progress lines (e.g. a dataset fetch)
   * @throws io.deepclust.recipe.RecipeException when the data section cannot be met, or a method
   *     asks for more clusters or PCA components than there are images to cluster, or the model
   *     cannot take the images' shape, or the recipe's device is a GPU this build cannot use
   */
  public static RecipeRun prepare(
      Recipe recipe, List<String> overrides, DataSource source, Consumer<String> log) {
    // first: a missing GPU fails in a second, not after the data is loaded
    DeviceSettings device = DeviceSettings.resolve(recipe, System.getenv());
    RunData data = source.load(recipe, log);
    // the model takes the images' shape (C, H, W); config.json records the model so built
    Recipe fitted = InputShape.fit(recipe, data.eval(), log);
    checkMethodsFit(fitted, data);
    InitFrom.Source init = null;
    if (fitted.training().initFrom() != null && fitted.model() != null) {
      // the weights a run starts from are read and checked before anything is written, and the
      // checkpoint they came from is pinned (absolute) in config.json, so a repeat is the same
      init = InitFrom.resolve(fitted.training().initFrom(), fitted.model());
      fitted = fitted.withInitFrom(init.checkpoint().toString());
    }
    return new RecipeRun(fitted, overrides, data, device, init);
  }

  /** The recipe as it runs: its model built for the images' shape. */
  public Recipe recipe() {
    return recipe;
  }

  /**
   * Each method's reducer and clusterer must fit the data (e.g. k and PCA components at most the
   * images clustered); found here, before the run folder is written, rather than after training.
   */
  private static void checkMethodsFit(Recipe recipe, RunData data) {
    int d =
        recipe.model() == null || recipe.embedding().source().equals(Recipe.Embedding.PIXELS)
            ? data.eval().featureCount()
            : Math.toIntExact(recipe.model().embeddingShape().size());
    for (int i = 0; i < recipe.methods().size(); i++) {
      MethodSpec m = recipe.methods().get(i);
      String at = "methods." + i + ".";
      int n = (m.fitOn().equals(MethodSpec.TRAIN) ? data.train() : data.eval()).size();
      int reduced;
      try {
        reduced = m.reduce().checkFits(n, d);
      } catch (IllegalArgumentException e) {
        throw new RecipeException(RecipeErrors.invalidValue(at + "reduce", e.getMessage()), e);
      }
      try {
        m.cluster().checkFits(n, reduced);
      } catch (IllegalArgumentException e) {
        throw new RecipeException(RecipeErrors.invalidValue(at + "cluster", e.getMessage()), e);
      }
    }
    if (recipe.model() != null) {
      int z = Math.toIntExact(recipe.model().embeddingShape().size());
      List<PhaseSpec> phases = recipe.training().phases();
      for (int i = 0; i < phases.size(); i++) {
        try {
          phases.get(i).checkFits(data.train().size(), z);
        } catch (IllegalArgumentException e) {
          throw new RecipeException(
              RecipeErrors.invalidValue("training.phases." + i, e.getMessage()), e);
        }
      }
    }
  }

  /** The prepared data. */
  public RunData data() {
    return data;
  }

  /** What a run produced. */
  public record Result(RunRecord record, MetricsTable table, Path folder) {}

  /**
   * Runs the stages into {@code folder}.
   *
   * @param resumeFrom a checkpoint (or checkpoints folder) to continue training from, or null
   */
  public Result run(RunFolder folder, RunLog log, Path resumeFrom) {
    RunContext ctx = new RunContext(recipe, folder, log, new Timings(), device.device());
    try {
      return stages(ctx, resumeFrom);
    } catch (RuntimeException | Error e) {
      // a NaN step after a checkpoint is not yet an error: the caller may resume from that
      // checkpoint (deepclust run retries it), and says so or reports the error next
      boolean retryable =
          e instanceof TrainingDivergedException d && d.nanStep() && d.lastCheckpoint() != null;
      log.info(
          (retryable ? "the run stopped at a NaN step: " : "error: the run stopped: ")
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      throw e;
    }
  }

  private Result stages(RunContext ctx, Path resumeFrom) {
    writeConfig(ctx);
    ctx.info(data.describe(recipe));
    List<RunRecord.Method> perPhase =
        new ArrayList<>(resumeFrom == null ? List.of() : readPerPhase(ctx));
    boolean afterEach = recipe.evaluation().afterEachPhase();
    try (Trained trained =
        TrainStage.run(
            ctx,
            data,
            resumeFrom,
            init,
            afterEach ? (phase, t) -> afterPhase(ctx, phase, t, perPhase) : null)) {
      Embeddings embeddings =
          ctx.timings().time("embed", () -> embed(ctx, trained, recipe.methods()));
      ctx.info(
          String.format(
              Locale.ROOT,
              "embeddings (%s): %d x %d%s in %.1f s",
              recipe.embedding().source(),
              embeddings.eval().rows(),
              embeddings.eval().cols(),
              embeddings.train() == null
                  ? ""
                  : String.format(
                      Locale.ROOT, " and %d training images", embeddings.train().rows()),
              ctx.timings().get("embed")));
      List<Clustering> clusterings =
          ClusterStage.run(ctx, components(ctx, trained), embeddings, true);
      List<RunRecord.Method> rows = new ArrayList<>();
      for (Clustering c : clusterings) {
        rows.add(
            ctx.timings()
                .time(
                    "evaluate",
                    () ->
                        EvaluateStage.evaluate(
                            ctx, c, truth(c), classNames(c), c.method().name())));
      }
      if (afterEach && !trained.history().epochs().isEmpty()) {
        String last = trained.history().last().phase();
        RunRecord.Method first = rows.get(0);
        perPhase.add(
            new RunRecord.Method(
                "after " + last,
                first.metrics(),
                Map.of(),
                first.extra(),
                first.fitSplit(),
                first.predictSplit()));
      }
      RunRecord record = writeResults(ctx, trained, embeddings, clusterings, rows, perPhase);
      ctx.timings()
          .time(
              "write",
              () -> {
                BundleStage.write(ctx, trained, data.eval(), embeddings.eval().cols(), clusterings);
                return null;
              });
      // the last phase's row is the first method's own row: shown once
      MetricsTable table = new MetricsTable();
      perPhase
          .subList(0, Math.max(0, perPhase.size() - 1))
          .forEach(m -> table.add(m.name(), m.metrics()));
      rows.forEach(m -> table.add(m.name(), m.metrics()));
      ctx.info("metrics:\n" + table.toText());
      if (clusterings.stream().anyMatch(c -> truth(c) == null)) {
        ctx.info(
            "no true labels: only internal metrics (silhouette, Davies-Bouldin,"
                + " Calinski-Harabasz); external metrics (acc, nmi, ari, ami, purity) need labels");
      }
      FigureStage.run(ctx, trained, images(clusterings.get(0).method().predictOn()), clusterings);
      HtmlReport.write(ctx.folder(), null);
      ctx.info(
          String.format(
              Locale.ROOT,
              "done in %.1f s; wrote %s",
              ctx.log().elapsedSeconds(),
              ctx.folder().dir()));
      return new Result(record, table, ctx.folder().dir());
    }
  }

  /**
   * {@code config.json}: the resolved recipe (repeatable with deepclust run), the input files
   * actually read ({@code inputs}: absolute {@code path} and {@code sha256} of each), provenance.
   */
  private void writeConfig(RunContext ctx) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("recipe", RecipeLoader.toJson(recipe));
    config.put("overrides", overrides);
    List<Map<String, String>> inputs = new ArrayList<>();
    for (InputFile f : data.inputs()) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("path", f.path().toString());
      entry.put("sha256", f.sha256());
      inputs.add(entry);
    }
    config.put("inputs", inputs);
    config.put("provenance", Provenance.collect());
    config.put("engine", EngineSettings.collect(device));
    ctx.folder().writeJson("config.json", config);
  }

  /** The embeddings of the clustered images, and of the training images when a method uses them. */
  private Embeddings embed(RunContext ctx, Trained trained, List<MethodSpec> methods) {
    boolean train =
        methods.stream()
            .anyMatch(
                m -> m.fitOn().equals(MethodSpec.TRAIN) || m.predictOn().equals(MethodSpec.TRAIN));
    return new Embeddings(
        EmbedStage.embed(ctx, trained, data.eval()),
        train ? EmbedStage.embed(ctx, trained, data.train()) : null);
  }

  /**
   * What the clusterers may use: the seed, and the model's clustering head once a phase that trains
   * it has run (its centres are k-means' at that phase's start, then trained).
   */
  private static ComponentContext components(RunContext ctx, Trained trained) {
    ComponentContext base = ctx.components();
    ClusteringHead head = trained.autoencoder() == null ? null : trained.autoencoder().head();
    if (head == null) {
      return base;
    }
    java.util.Set<String> headPhases = new java.util.HashSet<>();
    for (PhaseSpec p : ctx.recipe().training().phases()) {
      if (p.head() != null) {
        headPhases.add(p.name());
      }
    }
    boolean trainedHead =
        trained.history().epochs().stream().anyMatch(e -> headPhases.contains(e.phase()));
    return trainedHead
        ? base.withHead(new HeadClusterer(head.centres(), head.alpha(), head.kernel()))
        : base;
  }

  /** The images of {@code split} ({@code eval} or {@code train}). */
  private ImageDataset images(String split) {
    return split.equals(MethodSpec.TRAIN) ? data.train() : data.eval();
  }

  /** Names of the class ids of the images a clustering labelled (index = id). */
  private List<String> classNames(Clustering c) {
    return images(c.method().predictOn()).classNames();
  }

  /** True labels of the images a clustering labelled, or null. */
  private int[] truth(Clustering c) {
    return images(c.method().predictOn()).labels();
  }

  /** Evaluates the first method at the end of a phase, and keeps the row for a resumed run. */
  private void afterPhase(
      RunContext ctx, String phase, Trained trained, List<RunRecord.Method> perPhase) {
    ComponentContext components = components(ctx, trained);
    // the first method, or, while no phase has trained the clustering head, the first method
    // that does not need it (e.g. k-means on the pretrained embedding, DEC's "AE + k-means")
    MethodSpec first = null;
    for (MethodSpec m : recipe.methods()) {
      if (!(m.cluster() instanceof HeadClustererSpec) || components.head() != null) {
        first = m;
        break;
      }
    }
    if (first == null) {
      ctx.info(
          "evaluation after phase '"
              + phase
              + "' skipped: every method uses the clustering head, which no phase has trained"
              + " yet");
      return;
    }
    String rowName =
        "after " + phase + (first == recipe.methods().get(0) ? "" : " (" + first.name() + ")");
    // only the images the first method uses: a per-phase row needs no other embeddings
    Clustering c =
        ClusterStage.run(ctx, components, first, embed(ctx, trained, List.of(first)), false);
    RunRecord.Method measured = EvaluateStage.evaluate(ctx, c, truth(c), classNames(c), rowName);
    // the paper's values describe the finished method, not an intermediate phase
    RunRecord.Method row =
        new RunRecord.Method(
            measured.name(),
            measured.metrics(),
            Map.of(),
            measured.extra(),
            measured.fitSplit(),
            measured.predictSplit());
    perPhase.removeIf(m -> m.name().equals(row.name()));
    perPhase.add(row);
    ctx.folder().writeJson(PER_PHASE_FILE, perPhase, RunRecord.json());
    ctx.info(
        "evaluation after phase '"
            + phase
            + "':\n"
            + new MetricsTable().add(row.name(), row.metrics()).toText());
    FigureStage.afterPhase(ctx, trained, images(first.predictOn()), c, phase);
  }

  private List<RunRecord.Method> readPerPhase(RunContext ctx) {
    Path f = ctx.folder().dir().resolve(PER_PHASE_FILE);
    if (!Files.isRegularFile(f)) {
      return List.of();
    }
    try {
      return RunRecord.json().readValue(f.toFile(), new TypeReference<List<RunRecord.Method>>() {});
    } catch (IOException e) {
      ctx.info(
          "warning: cannot read " + f + " (" + e.getMessage() + "); per-phase rows start afresh");
      return List.of();
    }
  }

  /** {@code clusterer_loss.csv}: method, epoch, loss of clusterers trained by epochs. */
  private static void writeClustererLosses(RunContext ctx, List<Clustering> clusterings) {
    StringBuilder csv = new StringBuilder("method,epoch,loss\n");
    boolean any = false;
    for (Clustering c : clusterings) {
      double[] loss = c.lossHistory();
      for (int e = 0; e < loss.length; e++) {
        csv.append(c.method().name())
            .append(',')
            .append(e + 1)
            .append(',')
            .append(String.format(Locale.ROOT, "%.8g", loss[e]))
            .append('\n');
        any = true;
      }
    }
    if (any) {
      ctx.folder().writeText("clusterer_loss.csv", csv.toString());
    }
  }

  private RunRecord writeResults(
      RunContext ctx,
      Trained trained,
      Embeddings embeddings,
      List<Clustering> clusterings,
      List<RunRecord.Method> rows,
      List<RunRecord.Method> perPhase) {
    Clustering first = clusterings.get(0);
    ctx.timings()
        .time(
            "write",
            () -> {
              NpyWriter.write(ctx.folder().file("features.npy"), first.features());
              int[] firstTruth = truth(first);
              if (firstTruth != null) {
                NpyWriter.write(ctx.folder().file("labels.npy"), firstTruth);
              }
              // one file per labelled image set: assignments.csv for the clustered images
              for (String split : List.of(MethodSpec.EVAL, MethodSpec.TRAIN)) {
                Map<String, int[]> columns = new LinkedHashMap<>();
                clusterings.stream()
                    .filter(c -> c.method().predictOn().equals(split))
                    .forEach(c -> columns.put(c.method().name(), c.labels()));
                if (!columns.isEmpty()) {
                  String file =
                      split.equals(MethodSpec.EVAL) ? "assignments.csv" : "assignments_train.csv";
                  // a folder source's file names, when the rows are the clustered images
                  List<String> files = split.equals(MethodSpec.EVAL) ? data.evalFiles() : null;
                  Assignments.write(
                      ctx.folder().file(file), files, images(split).labels(), columns);
                }
              }
              writeClustererLosses(ctx, clusterings);
              // soft clusterers: each image's cluster probabilities beside its hard label
              for (Clustering c : clusterings) {
                if (c.probabilities() != null) {
                  NpyWriter.write(
                      ctx.folder().file("probabilities_" + c.method().name() + ".npy"),
                      c.probabilities());
                }
              }
              return null;
            });
    ctx.timings().add("total", ctx.log().elapsedSeconds());
    Map<String, Double> facts = new LinkedHashMap<>();
    facts.put("parameters", (double) trained.parameters());
    facts.put("embedding_dim", (double) embeddings.eval().cols());
    facts.put("feature_dim", (double) first.features().cols());
    facts.put("images", (double) embeddings.eval().rows());
    if (!trained.history().epochs().isEmpty()) {
      facts.put("final_loss", trained.history().last().loss());
    }
    facts.putAll(trained.facts());
    RunRecord record =
        new RunRecord(
            RunRecord.FORMAT_VERSION,
            recipe.name(),
            recipe.paper(),
            rows,
            perPhase,
            TrainStage.summaries(trained.history()),
            ctx.timings().asMap(),
            facts);
    record.write(ctx.folder());
    return record;
  }
}
