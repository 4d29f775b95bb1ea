package io.deepclust.run;

import io.deepclust.metrics.ContingencyTable;
import io.deepclust.metrics.ExternalMetrics;
import io.deepclust.train.ClusterUpdate;
import io.deepclust.train.Phase;
import io.deepclust.train.TrainingListener;
import io.deepclust.train.TrainingLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The collapse monitor of every clustering phase (DEC's target updates, embedded k-means' epochs):
 * at each {@link ClusterUpdate} it logs and writes to {@code cluster_updates.csv} the fraction of
 * labels changed, the clusters in use, the largest cluster's share and, when the training images
 * have labels, ACC, NMI and ARI of the phase's labels, and the row's {@code event}: {@code start}
 * (the assignment before training, nothing to compare with), {@code update}, {@code end} (the
 * labels of a phase's final parameters when it stopped at its epoch cap) or {@code restore} (the
 * best-silhouette parameters a phase ended with). A phase whose labels use fewer than k clusters
 * gets a warning line.
 *
 * <p>Resumed runs keep the rows written before the checkpoint (step at most the checkpoint's) and
 * drop those of the interrupted part, so the file equals an unbroken run's.
 */
final class ClusterMonitor implements TrainingListener {
  /** The file, in the run folder. */
  static final String FILE = "cluster_updates.csv";

  /** Its header. */
  static final String HEADER =
      "phase,epoch,step,changed_fraction,clusters_in_use,k,largest_share,acc,nmi,ari,event";

  /** Fields of a row written before the {@code event} column existed (kept on resume). */
  private static final int FIELDS_WITHOUT_EVENT = 10;

  private final RunContext ctx;
  private final int[] truth;
  private final boolean resumed;
  private final List<String> rows = new ArrayList<>();
  private boolean started;
  private boolean warnedCollapse;

  /**
   * @param truth labels of the training images, or null when they have none
   * @param resumed whether the run resumes from a checkpoint (then earlier rows are kept)
   */
  ClusterMonitor(RunContext ctx, int[] truth, boolean resumed) {
    this.ctx = ctx;
    this.truth = truth;
    this.resumed = resumed;
  }

  @Override
  public void onPhaseStart(TrainingLoop loop, int phaseIndex, Phase phase, int firstEpoch) {
    if (started) {
      return;
    }
    started = true;
    Path file = ctx.folder().dir().resolve(FILE);
    if (resumed && Files.isRegularFile(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
          String[] f = line.split(",", -1);
          if (f.length >= 3 && Long.parseLong(f[2]) <= loop.steps()) {
            rows.add(f.length == FIELDS_WITHOUT_EVENT ? line + "," : line);
          }
        }
      } catch (IOException | RuntimeException e) {
        ctx.info(
            "warning: could not read the earlier "
                + FILE
                + " ("
                + e.getMessage()
                + "); it restarts from the resumed step");
        rows.clear();
      }
    }
  }

  @Override
  public void onClusterUpdate(TrainingLoop loop, ClusterUpdate u) {
    int used = u.clustersInUse();
    double share = u.largestShare();
    double acc = Double.NaN;
    double nmi = Double.NaN;
    double ari = Double.NaN;
    if (truth != null && truth.length == u.labels().length) {
      ContingencyTable t = ContingencyTable.of(truth, u.labels());
      acc = ExternalMetrics.accuracy(t);
      nmi = ExternalMetrics.nmi(t);
      ari = ExternalMetrics.ari(t);
    }
    rows.add(
        String.join(
            ",",
            u.phase(),
            Integer.toString(u.epoch()),
            Long.toString(u.step()),
            num(u.changedFraction()),
            Integer.toString(used),
            Integer.toString(u.k()),
            num(share),
            num(acc),
            num(nmi),
            num(ari),
            event(u)));
    write();
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %s at step %d (epoch %d): %s, %d/%d clusters in use, largest %.1f%%",
                u.phase(),
                switch (event(u)) {
                  case "end" -> "end of phase";
                  case "restore" -> "restored best";
                  default -> "update";
                },
                u.step(),
                u.epoch(),
                Double.isNaN(u.changedFraction())
                    ? "start"
                    : String.format(
                        Locale.ROOT, "%.3f%% labels changed", 100 * u.changedFraction()),
                used,
                u.k(),
                100 * share));
    if (!Double.isNaN(acc)) {
      line.append(String.format(Locale.ROOT, "; ACC %.4f NMI %.4f ARI %.4f", acc, nmi, ari));
    }
    Double seconds = u.values().get("seconds");
    if (seconds != null) {
      line.append(String.format(Locale.ROOT, " (update %.2f s)", seconds));
    }
    ctx.log().fileOnly(line.toString());
    if (used < u.k() && !warnedCollapse) {
      warnedCollapse = true;
      ctx.info(
          String.format(
              Locale.ROOT,
              "warning: %s: the clustering collapsed to %d of %d clusters at step %d (largest"
                  + " cluster %.1f%% of the images); see %s",
              u.phase(),
              used,
              u.k(),
              u.step(),
              100 * share,
              FILE));
    }
  }

  private void write() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(r -> sb.append(r).append('\n'));
    ctx.folder().writeText(FILE, sb.toString());
  }

  /** The row's {@code event} column (see the class comment). */
  static String event(ClusterUpdate u) {
    if (u.values().containsKey("restored_best")) {
      return "restore";
    }
    if (u.values().containsKey("end")) {
      return "end";
    }
    return Double.isNaN(u.changedFraction()) ? "start" : "update";
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }
}
