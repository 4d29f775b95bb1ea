package io.deepclust.run;

import io.deepclust.data.ImageDataset;
import io.deepclust.linalg.FloatMatrix;
import io.deepclust.util.Seeds;
import io.deepclust.viz.ImageGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What each cluster "is", without reading a number: {@code figures/clusters.png} shows, for every
 * cluster of the first method (largest first, at most {@link #MAX_ROWS}), its size and, with
 * labels, its majority class and purity, then the {@link #EXEMPLARS} members nearest its centre
 * (the mean of its members' features) and {@link #EXEMPLARS} random members (seeded); {@code
 * clusters.csv} lists the same per cluster, with the image indices shown.
 */
final class ClusterView {
  /** Images per cluster in each half of a row. */
  static final int EXEMPLARS = 8;

  /** Clusters drawn at most (the largest). */
  static final int MAX_ROWS = 30;

  static final String CSV = "clusters.csv";

  private ClusterView() {}

  static void write(RunContext ctx, ImageDataset images, Clustering c) {
    FloatMatrix x = c.features();
    int[] labels = c.labels();
    int k = Math.max(c.fit().k(), Arrays.stream(labels).max().orElse(-1) + 1);
    List<List<Integer>> members = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      members.get(labels[i]).add(i);
    }
    Integer[] order =
        IntStream.range(0, k)
            .filter(j -> !members.get(j).isEmpty())
            .boxed()
            .sorted((a, b) -> Integer.compare(members.get(b).size(), members.get(a).size()))
            .toArray(Integer[]::new);
    int[] truth = images.labels();
    List<String> names = images.classNames();
    SplittableRandom rnd = Seeds.stream(ctx.recipe().seedValue(), "cluster-view");
    int rows = Math.min(order.length, MAX_ROWS);
    int hw = images.height() * images.width();
    float[] grid = new float[rows * 2 * EXEMPLARS * hw];
    List<String> rowLabels = new ArrayList<>();
    StringBuilder csv =
        new StringBuilder("cluster,size,majority_class,majority_name,purity,nearest,sample\n");
    for (int r = 0; r < order.length; r++) {
      int j = order[r];
      List<Integer> m = members.get(j);
      int[] nearest = nearest(x, m, EXEMPLARS);
      int[] sample = sample(m, EXEMPLARS, rnd);
      String majority = "";
      String majorityName = "";
      String purity = "";
      String label = String.format(Locale.ROOT, "c%d  n=%d", j, m.size());
      if (truth != null) {
        int[] counts = new int[Arrays.stream(truth).max().orElse(0) + 1];
        int best = 0;
        for (int i : m) {
          if (truth[i] >= 0 && ++counts[truth[i]] > counts[best]) {
            best = truth[i];
          }
        }
        double p = (double) counts[best] / m.size();
        majority = Integer.toString(best);
        majorityName = best < names.size() ? names.get(best) : majority;
        purity = String.format(Locale.ROOT, "%.4f", p);
        label += String.format(Locale.ROOT, "  %s %.0f%%", majorityName, 100 * p);
      }
      csv.append(j)
          .append(',')
          .append(m.size())
          .append(',')
          .append(majority)
          .append(',')
          .append(majorityName.replace(',', ' '))
          .append(',')
          .append(purity)
          .append(',')
          .append(join(nearest))
          .append(',')
          .append(join(sample))
          .append('\n');
      if (r < rows) {
        rowLabels.add(label);
        copy(images, nearest, grid, (r * 2 * EXEMPLARS) * hw, hw);
        copy(images, sample, grid, (r * 2 * EXEMPLARS + EXEMPLARS) * hw, hw);
      }
    }
    ctx.folder().writeText(CSV, csv.toString());
    if (rows == 0) {
      return;
    }
    ImageGrid.write(
        ctx.folder().file("figures/clusters.png"),
        new FloatMatrix(rows * 2 * EXEMPLARS, hw, grid),
        images.height(),
        images.width(),
        ImageGrid.Options.defaults()
            .withColumns(2 * EXEMPLARS)
            .withScale(images.height() <= 32 ? 2 : 1)
            .withRowLabels(rowLabels));
  }

  /** The {@code count} members nearest the members' mean (squared Euclidean), nearest first. */
  static int[] nearest(FloatMatrix x, List<Integer> members, int count) {
    int d = x.cols();
    double[] mean = new double[d];
    for (int i : members) {
      for (int f = 0; f < d; f++) {
        mean[f] += x.get(i, f);
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= members.size();
    }
    double[] dist = new double[members.size()];
    for (int a = 0; a < dist.length; a++) {
      int i = members.get(a);
      double s = 0;
      for (int f = 0; f < d; f++) {
        double diff = x.get(i, f) - mean[f];
        s += diff * diff;
      }
      dist[a] = s;
    }
    return IntStream.range(0, members.size())
        .boxed()
        .sorted((a, b) -> Double.compare(dist[a], dist[b]))
        .limit(count)
        .mapToInt(members::get)
        .toArray();
  }

  /** Up to {@code count} members drawn without replacement, in draw order. */
  static int[] sample(List<Integer> members, int count, SplittableRandom rnd) {
    int[] pool = members.stream().mapToInt(Integer::intValue).toArray();
    int n = Math.min(count, pool.length);
    for (int i = 0; i < n; i++) {
      int j = i + rnd.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return Arrays.copyOf(pool, n);
  }

  /** Grey images into {@code grid} at {@code offset}: colour images by their channels' mean. */
  private static void copy(ImageDataset images, int[] idx, float[] grid, int offset, int hw) {
    int c = images.channels();
    float[] px = images.pixels().data();
    int stride = images.pixels().cols();
    for (int a = 0; a < idx.length; a++) {
      int base = idx[a] * stride;
      for (int p = 0; p < hw; p++) {
        float s = 0;
        for (int ch = 0; ch < c; ch++) {
          s += px[base + ch * hw + p];
        }
        grid[offset + a * hw + p] = s / c;
      }
    }
  }

  private static String join(int[] v) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      s.append(i == 0 ? "" : ";").append(v[i]);
    }
    return s.toString();
  }
}
