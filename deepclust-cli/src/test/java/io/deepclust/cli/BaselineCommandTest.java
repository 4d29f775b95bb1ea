package io.deepclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on a small real subset of MNIST (data found or fetched like a user's). */
class BaselineCommandTest {
  @TempDir Path tmp;

  @Test
  void baselineOnSubsetWritesAValidRunFolder() throws Exception {
    Path out = tmp.resolve("run");
    int code =
        Main.execute(
            "baseline",
            "--dataset",
            "mnist",
            "--subset",
            "1000",
            "--n-init",
            "3",
            "--out",
            out.toString());
    assertEquals(0, code);
    for (String f : List.of("config.json", "metrics.json", "assignments.csv", "run.log")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    for (String row : List.of("kmeans_raw", "kmeans_pca50")) {
      JsonNode m = row(metrics, row);
      assertTrue(m.get("nmi").asDouble() > 0.35 && m.get("nmi").asDouble() <= 1, row);
      assertTrue(m.get("ari").asDouble() > 0.2 && m.get("ari").asDouble() <= 1, row);
      assertTrue(m.get("acc").asDouble() > 0.4, row);
      double sil = m.get("silhouette").asDouble();
      assertTrue(sil > 0 && sil < 1, row);
      assertEquals(10, m.get("n_clusters").asInt());
    }
    List<String> rows = Files.readAllLines(out.resolve("assignments.csv"));
    assertEquals(1001, rows.size());
    assertEquals("index,true_label,kmeans_raw,kmeans_pca50", rows.get(0));
    JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
    assertEquals("kmeans-baselines", config.get("recipe").get("name").asText());
    assertEquals(0, config.get("recipe").get("seed").asInt());
    // a subset is not the paper's setting: no paper values beside the measured ones
    assertEquals(0, metrics.get("methods").get(0).get("paper").size());
  }

  @Test
  void sameSeedSameNumbers() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    String[] args = {"baseline", "--subset", "600", "--n-init", "2", "--seed", "7", "--out"};
    assertEquals(0, Main.execute(concat(args, a.toString())));
    assertEquals(0, Main.execute(concat(args, b.toString())));
    ObjectMapper json = new ObjectMapper();
    JsonNode ma = json.readTree(a.resolve("metrics.json").toFile());
    JsonNode mb = json.readTree(b.resolve("metrics.json").toFile());
    assertEquals(ma.get("methods"), mb.get("methods"));
    assertEquals(
        Files.readString(a.resolve("assignments.csv")),
        Files.readString(b.resolve("assignments.csv")));
  }

  @Test
  void badInputGetsAClearMessageAndExitCode() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Main.execute("baseline", "--dataset", "cifar", "--out", tmp.resolve("x").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(1, code);
    String msg = err.toString(StandardCharsets.UTF_8);
    assertTrue(msg.contains("unknown dataset 'cifar'"), msg);
    assertTrue(msg.contains("mnist"), msg);
  }

  static JsonNode row(JsonNode record, String name) {
    for (JsonNode m : record.get("methods")) {
      if (m.get("name").asText().equals(name)) {
        return m.get("metrics");
      }
    }
    throw new AssertionError("no row " + name + " in " + record);
  }

  private static String[] concat(String[] a, String last) {
    String[] r = java.util.Arrays.copyOf(a, a.length + 1);
    r[a.length] = last;
    return r;
  }
}
