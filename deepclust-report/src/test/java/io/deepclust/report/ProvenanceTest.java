package io.deepclust.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The source revision in config.json comes from the build's stamp, so that a jar copied out of the
 * checkout still names the commit it was built from.
 */
class ProvenanceTest {

  @Test
  void theBuildStampsTheCommitItWasBuiltFrom() {
    String stamped = Provenance.stampedCommit();
    // the build runs `git describe --always --dirty`: null only when built without git
    org.junit.jupiter.api.Assumptions.assumeTrue(
        stamped != null, "built outside a git checkout: nothing stamped");
    assertTrue(stamped.matches("[0-9a-f]{12,40}(-dirty\\.[0-9a-f]{8})?"), stamped);
    assertEquals(stamped, Provenance.gitCommit());
    Map<String, Object> facts = Provenance.collect();
    assertNotNull(facts.get("git_commit"));
    assertEquals(stamped, facts.get("git_commit"));
  }
}
