package io.deepclust.viz;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapTest {
  @TempDir Path dir;

  @Test
  void confusionMatrixPngHasRequestedSize() throws Exception {
    int[][] counts = new int[10][12];
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 12; j++) {
        counts[i][j] = i == j ? 900 + i : (i * 7 + j * 3) % 40;
      }
    }
    var opts =
        Heatmap.Options.defaults().withTitle("MNIST: classes vs clusters").withSize(820, 700);
    PlotTestSupport.decodePng(Heatmap.png(counts, null, null, opts), 820, 700);
    Path file = dir.resolve("confusion.png");
    List<String> names = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Heatmap.write(file, counts, names, null, Heatmap.Options.defaults());
    PlotTestSupport.decodePng(Files.readAllBytes(file), 800, 700);
  }

  @Test
  void rejectsBadTables() {
    var opts = Heatmap.Options.defaults();
    assertThrows(
        IllegalArgumentException.class,
        () -> Heatmap.png(new int[][] {{1, 2}, {3}}, null, null, opts));
    assertThrows(
        IllegalArgumentException.class, () -> Heatmap.png(new int[][] {{1, -2}}, null, null, opts));
    assertThrows(
        IllegalArgumentException.class,
        () -> Heatmap.png(new int[][] {{1, 2}}, List.of("a", "b"), null, opts));
    assertThrows(
        IllegalArgumentException.class,
        () -> Heatmap.write(dir.resolve("c.svg"), new int[][] {{1}}, null, null, opts));
  }
}
