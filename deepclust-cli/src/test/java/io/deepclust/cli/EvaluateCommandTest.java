package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.embed.NpyWriter;
import io.deepclust.linalg.FloatMatrix;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deepclust evaluate} against scikit-learn's values (tools/fixtures/gen_evaluate.py): labels
 * that start at 1, class names, more and fewer clusters than classes, from CSV and NPY files.
 */
class EvaluateCommandTest {
  @TempDir Path tmp;

  private static JsonNode fixture(String name) throws Exception {
    try (InputStream in =
        EvaluateCommandTest.class.getResourceAsStream("/fixtures/evaluate.json")) {
      for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
        if (c.get("name").asText().equals(name)) {
          return c;
        }
      }
    }
    throw new AssertionError("no fixture case " + name);
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static FloatMatrix matrix(JsonNode rows) {
    int n = rows.size();
    int d = rows.get(0).size();
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) rows.get(i).get(j).asDouble();
      }
    }
    return new FloatMatrix(n, d, v);
  }

  private static void assertMetrics(JsonNode expected, JsonNode got) {
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      double want = e.getValue().asDouble();
      // internal metrics run on float32 features: relative 1e-5
      assertEquals(
          want, got.get(e.getKey()).asDouble(), 1e-5 * Math.max(1, Math.abs(want)), e.getKey());
    }
  }

  @Test
  void labelsFromOneAndMoreClustersThanClassesFromCsvAndNpy() throws Exception {
    JsonNode c = fixture("labels_from_1_more_clusters");
    int[] truth = ints(c.get("truth"));
    StringBuilder csv = new StringBuilder("index,true_label\n");
    for (int i = 0; i < truth.length; i++) {
      csv.append(i).append(',').append(truth[i]).append('\n');
    }
    Path labels = Cli.write(tmp, "labels.csv", csv.toString());
    Path pred = tmp.resolve("pred.npy");
    NpyWriter.write(pred, ints(c.get("pred")));
    Path x = tmp.resolve("x.npy");
    NpyWriter.write(x, matrix(c.get("features")));
    Path json = tmp.resolve("out.json");
    Cli.Outcome o =
        Cli.run(
            "evaluate",
            "--labels",
            labels.toString(),
            "--pred",
            pred.toString(),
            "--features",
            x.toString(),
            "--json",
            json.toString());
    assertEquals(0, o.code(), o.all());
    JsonNode got = new ObjectMapper().readTree(json.toFile()).get("pred");
    assertMetrics(c.get("expected"), got.get("metrics"));
    assertEquals(4, got.get("matching").size());
    assertEquals(2, got.get("unmatched_clusters").size(), got.toString());
    assertTrue(o.out().contains("class 1 -> cluster"), o.out());
    // never overwritten
    o =
        Cli.run(
            "evaluate",
            "--labels",
            labels.toString(),
            "--pred",
            pred.toString(),
            "--json",
            json.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("exists"), o.err());
  }

  @Test
  void classNamesAndFewerClustersFromCsvColumns() throws Exception {
    JsonNode c = fixture("named_classes_fewer_clusters");
    int[] p = ints(c.get("pred"));
    FloatMatrix x = matrix(c.get("features"));
    StringBuilder labels = new StringBuilder("id,species\n");
    StringBuilder preds = new StringBuilder("index,true_label,kmeans\n");
    StringBuilder feats = new StringBuilder("f0,f1\n");
    for (int i = 0; i < p.length; i++) {
      labels.append(i).append(',').append(c.get("truth_names").get(i).asText()).append('\n');
      preds.append(i).append(",,").append(p[i]).append('\n');
      feats.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append('\n');
    }
    Path l = Cli.write(tmp, "l.csv", labels.toString());
    Path pr = Cli.write(tmp, "assignments.csv", preds.toString());
    Path f = Cli.write(tmp, "f.csv", feats.toString());
    Path json = tmp.resolve("o.json");
    Cli.Outcome o =
        Cli.run(
            "evaluate",
            "--labels",
            l + ":species",
            "--pred",
            pr.toString(),
            "--features",
            f.toString(),
            "--json",
            json.toString());
    assertEquals(0, o.code(), o.all());
    JsonNode got = new ObjectMapper().readTree(json.toFile()).get("kmeans");
    assertMetrics(c.get("expected"), got.get("metrics"));
    assertTrue(o.out().contains("-> no cluster"), o.out());

    o = Cli.run("evaluate", "--labels", l.toString(), "--pred", pr.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("name the label column"), o.err());
  }

  @Test
  void spreadsheetCsvFilesAndTheirMistakes() throws Exception {
    // names without a header: "cat" recurs, so the first row is data, not a header
    Path names = Cli.write(tmp, "names.csv", "cat\ndog\ncat\ndog\nbird\nbird\n");
    // a byte-order mark in front of the header, as "CSV UTF-8" files have
    Path pred = Cli.write(tmp, "pred.csv", "\uFEFFindex,km\n0,5\n1,7\n2,5\n3,7\n4,1\n5,1\n");
    Cli.Outcome o = Cli.run("evaluate", "--labels", names.toString(), "--pred", pred.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("class cat -> cluster 5: 2 / 2"), o.out());
    assertTrue(o.out().contains("class bird -> cluster 1: 2 / 2"), o.out());
    assertTrue(!o.out().contains("index"), "the index column is not scored: " + o.out());

    // an assignments.csv of a folder whose file names hold a line break, a comma and quotes
    // (quoted as RFC 4180, CRLF line ends): one record per image, not per line
    Path assignments =
        Cli.write(
            tmp,
            "assignments.csv",
            "index,file,true_label,kmeans\r\n0,\"a\nb.png\",cat,5\r\n1,\"c,\"\"d\"\".png\",dog,3\r\n"
                + "2,e.png,cat,5\r\n3,\"f\r\ng.png\",dog,3\r\n4,h.png,bird,1\r\n5,i.png,bird,1\r\n");
    o = Cli.run("evaluate", "--labels", assignments.toString(), "--pred", assignments.toString());
    assertEquals(0, o.code(), o.all());
    assertTrue(o.out().contains("class cat -> cluster 5: 2 / 2"), o.out());
    assertTrue(o.out().contains("class bird -> cluster 1: 2 / 2"), o.out());
    // a quote never closed would swallow the rest of the file: refused, naming where it opened
    Path open = Cli.write(tmp, "open.csv", "label,file\ncat,a.png\ndog,\"b.png\ncat,c.png\n");
    o = Cli.run("evaluate", "--labels", open.toString(), "--pred", pred.toString());
    assertEquals(1, o.code(), o.all());
    assertTrue(o.err().contains("open.csv: the quote opened in record 3"), o.err());

    // an empty label inside a one-column file is an error, not a skipped line
    Path hole = Cli.write(tmp, "hole.csv", "label\ncat\n\ndog\ncat\ndog\nbird\n");
    o = Cli.run("evaluate", "--labels", hole.toString(), "--pred", pred.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("row 2 is empty; every sample needs a label"), o.err());

    // files that cannot be read say why
    o = Cli.run("evaluate", "--labels", tmp.resolve("missing.csv").toString(), "--pred", pred + "");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("missing.csv: no such file (check the path)"), o.err());
    Path latin1 = tmp.resolve("latin1.csv");
    java.nio.file.Files.write(latin1, "label\ncaf\u00e9\n".getBytes("ISO-8859-1"));
    o = Cli.run("evaluate", "--labels", latin1.toString(), "--pred", pred.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("latin1.csv: it is not UTF-8 text"), o.err());
    Path headerOnly = Cli.write(tmp, "header.csv", "label\n");
    o = Cli.run("evaluate", "--labels", headerOnly.toString(), "--pred", pred.toString());
    assertEquals(1, o.code());
    assertTrue(o.err().contains("header.csv has a header row [label] but no rows"), o.err());
    Path short5 = Cli.write(tmp, "short.csv", "label\n1\n2\n1\n2\n3\n");
    o = Cli.run("evaluate", "--labels", short5.toString(), "--pred", pred.toString());
    assertEquals(1, o.code());
    assertTrue(
        o.err().contains("--labels " + short5 + " has 5 labels but --pred " + pred), o.err());
    assertTrue(o.err().contains("in the same order"), o.err());
  }
}
