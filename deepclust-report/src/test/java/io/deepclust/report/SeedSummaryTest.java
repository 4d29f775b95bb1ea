package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.report.RunRecord.ConfusedPair;
import io.deepclust.report.RunRecord.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedSummaryTest {
  @TempDir Path tmp;

  private static RunRecord record(double acc, List<ConfusedPair> pairs) {
    Method m = new Method("gmm", Map.of("acc", acc), Map.of(), Map.of(), null, null, pairs);
    Method unlabelled = new Method("other", Map.of("silhouette", 0.5), Map.of(), Map.of());
    return new RunRecord(1, "r", "", List.of(m, unlabelled), null, null, null, null);
  }

  private static ConfusedPair pair(int t, String tn, int p, String pn, int count, double share) {
    return new ConfusedPair(t, tn, p, pn, count, share);
  }

  @Test
  void confusionsInMoreSeedsComeFirstWithEachSeedsCount() {
    List<RunRecord> seeds =
        List.of(
            record(0.9, List.of(pair(4, "4", 9, "9", 120, 0.02), pair(1, "1", 2, "2", 150, 0.02))),
            record(0.91, List.of(pair(4, "4", 9, "9", 100, 0.01))),
            record(0.92, List.of(pair(7, "7", 9, "9", 300, 0.04), pair(4, "4", 9, "9", 80, 0.01))));
    Map<String, List<SeedSummary.Confusion>> c = SeedSummary.confusions(seeds);
    assertEquals(List.of("gmm"), new ArrayList<>(c.keySet()), "a method without pairs is left out");
    List<SeedSummary.Confusion> l = c.get("gmm");
    assertEquals(3, l.size());
    // 4 -> 9 in all three seeds beats 7 -> 9's 300 images in one; then by images
    assertEquals("4", l.get(0).trueName());
    assertEquals(Arrays.asList(120, 100, 80), l.get(0).counts());
    assertEquals(3, l.get(0).inSeeds());
    assertEquals((0.02 + 0.01 + 0.01) / 3, l.get(0).meanShare(), 1e-12);
    assertEquals("7", l.get(1).trueName());
    assertEquals(Arrays.asList(null, null, 300), l.get(1).counts());
    assertEquals("1", l.get(2).trueName());
  }

  @Test
  void summaryJsonAndPageCarryTheConfusions() throws Exception {
    List<Path> runs = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      Path run = tmp.resolve("seed-" + s);
      Files.createDirectories(run);
      new ObjectMapper()
          .writeValue(
              run.resolve(RunRecord.FILE).toFile(),
              Map.of(
                  "format_version",
                  1,
                  "recipe",
                  "r",
                  "methods",
                  List.of(
                      Map.of(
                          "name",
                          "gmm",
                          "metrics",
                          Map.of("acc", 0.9 + s / 100.0),
                          "confused_pairs",
                          List.of(
                              Map.of(
                                  "true_class",
                                  4,
                                  "true_name",
                                  "four",
                                  "predicted_class",
                                  9,
                                  "predicted_name",
                                  "nine",
                                  "count",
                                  50 + s,
                                  "share",
                                  0.01))))));
      runs.add(run);
    }
    SeedSummary.write(tmp, "r", List.of(0L, 1L), runs);
    JsonNode s = new ObjectMapper().readTree(tmp.resolve(SeedSummary.FILE).toFile());
    JsonNode p = s.at("/confused_pairs/gmm/0");
    assertEquals("four", p.get("true").asText());
    assertEquals("nine", p.get("taken_for").asText());
    assertEquals(2, p.get("in_seeds").asInt());
    assertEquals("[50,51]", p.get("images").toString());
    // which build made the summary, as config.json says for each run
    assertTrue(s.at("/provenance/git_commit").isTextual(), s.toString());
    assertTrue(s.at("/provenance/deepclust_version").isTextual(), s.toString());
    String page = Files.readString(tmp.resolve(SeedSummary.PAGE));
    assertTrue(page.contains("Most confused classes over the seeds"), page);
    assertTrue(page.contains("<td>four</td><td>nine</td><td>2 of 2</td><td>50</td><td>51</td>"));
  }

  @Test
  void noLabelsNoConfusionSection() throws Exception {
    String page =
        SeedSummary.page(
            "r",
            List.of(0L),
            List.of("seed-0"),
            SeedSummary.summarise(List.of(record(0.9, List.of()))),
            SeedSummary.confusions(List.of(record(0.9, List.of()))));
    assertFalse(page.contains("Most confused"));
    assertNull(SeedSummary.confusions(List.of(record(0.9, List.of()))).get("gmm"));
  }
}
