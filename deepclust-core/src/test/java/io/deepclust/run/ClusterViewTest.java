package io.deepclust.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepclust.data.ImageDataset;
import io.deepclust.recipe.RecipeLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-cluster view: clusters.csv lists each cluster's size, majority class, purity and the
 * images shown; figures/clusters.png has a row per cluster of nearest and random members; the
 * report shows it.
 */
class ClusterViewTest {
  @TempDir Path tmp;

  @Test
  void eachClusterItsSizeMajorityPurityAndImages() throws Exception {
    ImageDataset images = SyntheticImages.of(30, 8, 1);
    RecipeRun.Result r =
        SyntheticRunTest.run(
            RecipeLoader.parse(
                "synthetic", SyntheticRunTest.RECIPE, List.of("report.figures=[clusters]")),
            images,
            tmp.resolve("run"));
    List<String> csv = Files.readAllLines(r.folder().resolve(ClusterView.CSV));
    assertEquals("cluster,size,majority_class,majority_name,purity,nearest,sample", csv.get(0));
    int total = 0;
    int previous = Integer.MAX_VALUE;
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",", -1);
      int size = Integer.parseInt(f[1]);
      assertTrue(size <= previous, "largest first: " + csv);
      previous = size;
      total += size;
      assertTrue(List.of("top", "middle", "bottom").contains(f[3]), line);
      double purity = Double.parseDouble(f[4]);
      assertTrue(purity > 0 && purity <= 1, line);
      assertEquals(Math.min(8, size), f[5].split(";").length, line);
      assertEquals(Math.min(8, size), f[6].split(";").length, line);
    }
    assertEquals(90, total);
    BufferedImage png = ImageIO.read(r.folder().resolve("figures/clusters.png").toFile());
    int rows = csv.size() - 1;
    // rows of 8x8 images at scale 2 with 2 px padding
    assertEquals(rows * 16 + (rows + 1) * 2, png.getHeight());
    String report = Files.readString(r.folder().resolve("report.html"));
    assertTrue(report.contains("the 8 images nearest its centre"), "caption in the report");
  }
}
