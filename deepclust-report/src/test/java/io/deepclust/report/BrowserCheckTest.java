package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BrowserCheck} in a real headless Chromium: a real report passes, and a page with a missing
 * image, a console error and an uncaught exception fails with each named. Skipped (JUnit
 * assumption) on machines without Chromium ({@link BrowserCheck#findChromium()}).
 */
class BrowserCheckTest {
  @TempDir Path tmp;

  @Test
  void aReportPassesAndABrokenPageFailsWithEachProblemNamed() throws Exception {
    var chromium = BrowserCheck.findChromium();
    assumeTrue(chromium.isPresent(), "no Chromium on this machine: the browser check is skipped");
    Path run = SampleRuns.recipeRun(tmp.resolve("run"), "cae", Map.of(), false);
    Path report = HtmlReport.write(run);
    Path bad =
        Files.writeString(
            tmp.resolve("bad.html"),
            "<!DOCTYPE html><html><head><title>bad</title></head><body>"
                + "<img src=\"missing.png\" alt=\"gone\"/>"
                + "<script>console.error('boom ' + 42); null.x;</script></body></html>");
    try (BrowserCheck browser = new BrowserCheck(chromium.get())) {
      BrowserCheck.PageResult ok = browser.check(report);
      assertTrue(ok.ok(), ok.problems().toString());
      assertEquals(1, ok.images(), "the loss curve");
      BrowserCheck.PageResult r = browser.check(bad);
      assertFalse(r.ok());
      String all = String.join("\n", r.problems());
      assertTrue(all.contains("console.error: boom 42"), all);
      assertTrue(all.contains("uncaught exception: TypeError"), all);
      assertTrue(all.contains("image did not load: missing.png"), all);
      assertEquals(1, r.images());
    }
  }
}
