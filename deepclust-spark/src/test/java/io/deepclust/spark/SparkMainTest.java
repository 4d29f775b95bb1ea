package io.deepclust.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage errors name the bad option and need no Spark. */
class SparkMainTest {
  private static String run(int expect, String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = SparkMain.execute(args);
    } finally {
      System.setErr(err);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(expect, code, out);
    return out;
  }

  @Test
  void unknownOptionIsNamed() {
    String e = run(2, "embed", "--bundel", "x", "--input", "images:/x", "--out", "o");
    assertTrue(e.contains("--bundel"), e);
  }

  @Test
  void missingOptionIsNamed() {
    String e = run(2, "predict", "--embeddings", "e");
    assertTrue(e.contains("--bundle") && e.contains("--out"), e);
  }

  @Test
  void badValueIsNamed() {
    String e = run(2, "cluster", "--embeddings", "e", "--bundle", "b", "--k", "1", "--out", "o");
    assertTrue(e.contains("--k 1"), e);
    e =
        run(
            2,
            "cluster",
            "--embeddings",
            "e",
            "--bundle",
            "b",
            "--k",
            "5",
            "--out",
            "o",
            "--algorithm",
            "dbscan");
    assertTrue(e.contains("--algorithm dbscan"), e);
  }

  @Test
  void noSubcommandIsAUsageError() {
    String e = run(2);
    assertTrue(e.contains("subcommand"), e);
  }
}
