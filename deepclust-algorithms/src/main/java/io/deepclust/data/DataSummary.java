package io.deepclust.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a dataset really holds, for {@code deepclust data info}: produced only after its whole
 * content was read and checked (every byte decompressed, so a gzip file's CRC and length are
 * verified; an IDX or NPY file's length against its header; a registered dataset's files against
 * their SHA-256). A damaged or truncated file is an error, never a summary.
 *
 * @param name the dataset or source
 * @param checks one line per check passed, e.g. {@code "t10k-images-idx3-ubyte.gz: SHA-256 ok"}
 * @param description how the data were read (the reader's log line), or ""
 * @param data the images as read
 */
public record DataSummary(String name, List<String> checks, String description, ImageDataset data) {

  public DataSummary {
    Objects.requireNonNull(name, "name");
    checks = List.copyOf(checks);
    description = description == null ? "" : description;
    Objects.requireNonNull(data, "data");
  }

  /**
   * Reads and checks a registered dataset in {@code datasetDir}: each file's SHA-256 (of its
   * decompressed content, which also checks the gzip CRC and length), then both splits in full.
   *
   * @throws DataSourceException when a file's checksum differs, or it is damaged or truncated
   * @throws MissingDatasetException when a file is missing
   */
  public static DataSummary ofRegistered(DatasetSpec spec, Path datasetDir) {
    List<String> checks = new ArrayList<>();
    for (DatasetFile f : spec.files()) {
      Path p = DataLocator.requireFile(datasetDir, spec, f);
      String got;
      try {
        got = Checksums.sha256OfDecompressed(p);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new DataSourceException(
            p,
            p
                + ": corrupt or truncated gzip data ("
                + e.getMessage()
                + "); the file is damaged: "
                + DatasetLoader.refetchHint(spec),
            e);
      } catch (IOException e) {
        throw DataSourceException.cannotRead(p, e);
      }
      if (!got.equals(f.sha256())) {
        throw new DataSourceException(
            p,
            p
                + ": SHA-256 of its content is "
                + got
                + " but "
                + spec.name()
                + "'s "
                + f.name()
                + " has "
                + f.sha256()
                + "; the file is damaged, truncated or another dataset's: "
                + DatasetLoader.refetchHint(spec));
      }
      checks.add(p.getFileName() + ": SHA-256 ok");
    }
    ImageDataset train = DatasetLoader.load(spec, Split.TRAIN, datasetDir);
    ImageDataset test = DatasetLoader.load(spec, Split.TEST, datasetDir);
    checks.add(
        String.format(
            Locale.ROOT,
            "splits: train %d, test %d (all = train then test)",
            train.size(),
            test.size()));
    ImageDataset all = DatasetLoader.load(spec, Split.ALL, datasetDir);
    return new DataSummary(spec.name(), checks, spec.title() + " in " + datasetDir, all);
  }

  /** Reads and checks a source in full (see {@link SourceReader}). */
  public static DataSummary ofSource(SourceSpec spec, String name, int[] shape) {
    SourceReader.Loaded l = SourceReader.read(spec, name, shape);
    List<String> checks = new ArrayList<>();
    checks.add(
        l.files().size()
            + (l.files().size() == 1 ? " file" : " files")
            + " read in full (lengths"
            + (spec.kind() == SourceSpec.Kind.FOLDER ? ", image decoding" : "")
            + ", gzip CRC where compressed)");
    return new DataSummary(name, checks, l.description(), l.data());
  }

  /** The summary as plain text: shape, pixel range, class balance. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(name).append('\n');
    if (!description.isEmpty()) {
      sb.append("read:     ").append(description).append('\n');
    }
    for (String c : checks) {
      sb.append("checked:  ").append(c).append('\n');
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "images:   %d of (C, H, W) = (%d, %d, %d), %d values each%n",
            data.size(),
            data.channels(),
            data.height(),
            data.width(),
            data.featureCount()));
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    double sum = 0;
    float[] v = data.pixels().data();
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "pixels:   min %.4f, max %.4f, mean %.4f (after scaling to [0, 1])%n",
            min,
            max,
            v.length == 0 ? 0 : sum / v.length));
    if (!data.hasLabels()) {
      sb.append("labels:   none (a run reports internal metrics only)\n");
      return sb.toString();
    }
    int[] counts = data.classCounts();
    List<String> names = data.classNames();
    int width = "class".length();
    for (String c : names) {
      width = Math.max(width, c.length());
    }
    sb.append("class balance (").append(counts.length).append(" classes):\n");
    String row = "  %-5s  %-" + width + "s  %16s%n";
    sb.append(String.format(Locale.ROOT, row, "label", "class", "images"));
    for (int k = 0; k < counts.length; k++) {
      double pct = data.size() == 0 ? 0 : 100.0 * counts[k] / data.size();
      sb.append(
          String.format(
              Locale.ROOT,
              row,
              k,
              k < names.size() ? names.get(k) : "" + k,
              String.format(Locale.ROOT, "%d (%5.2f%%)", counts[k], pct)));
    }
    return sb.toString();
  }
}
