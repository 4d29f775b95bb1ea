package io.deepclust.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deepclust.linalg.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {
  @TempDir Path tmp;

  /** The header NumPy 1.24 np.save writes for np.zeros((3, 2), '<f4'), as printed by Python. */
  private static final String F4_3x2 =
      "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"
          + " ".repeat(58)
          + "\n";

  private static final String I4_5 =
      "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }"
          + " ".repeat(60)
          + "\n";

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void headerBytesMatchNumpyExactly() throws IOException {
    assertEquals(128, latin1(F4_3x2).length);
    Path f = tmp.resolve("a.npy");
    FloatMatrix m = new FloatMatrix(3, 2, new float[] {1f, -2.5f, 3f, 0f, 1e-7f, Float.MAX_VALUE});
    NpyWriter.write(f, m);
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(128 + 24, bytes.length);
    assertArrayEquals(latin1(F4_3x2), Arrays.copyOf(bytes, 128));
    ByteBuffer b = ByteBuffer.wrap(bytes, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : m.data()) {
      assertEquals(v, b.getFloat());
    }

    Path g = tmp.resolve("labels.npy");
    NpyWriter.write(g, new int[] {0, 1, 2, -3, 9});
    byte[] ib = Files.readAllBytes(g);
    assertArrayEquals(latin1(I4_5), Arrays.copyOf(ib, 128));
    assertEquals(128 + 20, ib.length);
    assertEquals(-3, ByteBuffer.wrap(ib, 128 + 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  @Test
  void headerIsAlignedForAnyShape() {
    for (long[] shape : List.of(new long[] {70000, 10}, new long[] {1, 1}, new long[] {0})) {
      byte[] h = NpyWriter.header("<f4", shape);
      assertEquals(0, h.length % 64);
      assertEquals('\n', h[h.length - 1]);
    }
  }

  @Test
  void numpyReadsItBack() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy").start();
    assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "no numpy");

    FloatMatrix m = new FloatMatrix(4, 3, new float[12]);
    for (int i = 0; i < 12; i++) {
      m.data()[i] = i * 0.25f - 1f;
    }
    Path f = tmp.resolve("e.npy");
    Path l = tmp.resolve("l.npy");
    NpyWriter.write(f, m);
    NpyWriter.write(l, new int[] {3, 1, 4});
    String script =
        "import numpy as np, sys\n"
            + "a = np.load(sys.argv[1]); b = np.load(sys.argv[2])\n"
            + "print(a.dtype, a.shape, float(a.sum()), a[3, 2], b.dtype, b.tolist())\n";
    Process p =
        new ProcessBuilder(python.toString(), "-c", script, f.toString(), l.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    // sum of i/4 - 1 for i < 12 = 16.5 - 12 = 4.5
    assertEquals("float32 (4, 3) 4.5 1.75 int32 [3, 1, 4]", out);
  }

  @Test
  void csvHasHeaderRowsAndLabels() throws IOException {
    Path f = tmp.resolve("e.csv");
    EmbeddingCsv.write(
        f, new FloatMatrix(2, 2, new float[] {0.5f, -1f, 1e-8f, 2f}), new int[] {7, 8});
    assertEquals(List.of("e0,e1,label", "0.5,-1.0,7", "1.0E-8,2.0,8"), Files.readAllLines(f));
    EmbeddingCsv.write(f, new FloatMatrix(1, 1, new float[] {3f}));
    assertEquals(List.of("e0", "3.0"), Files.readAllLines(f));
  }
}
