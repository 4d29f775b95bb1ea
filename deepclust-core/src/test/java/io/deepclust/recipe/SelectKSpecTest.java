package io.deepclust.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deepclust.cluster.SelectK;
import io.deepclust.data.DataLocator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster: {type: select_k, ...}}: loading, errors that name the field, a real run. */
class SelectKSpecTest {
  @TempDir Path tmp;

  private static final String RECIPE =
      "name: s\n"
          + "embedding: {source: pixels}\n"
          + "methods: [{name: auto, cluster: {type: select_k, cluster: {type: gmm,"
          + " covariance_type: diag}, k_min: 4, k_max: 12}}]\n";

  private static Recipe load(String... overrides) {
    return RecipeLoader.parse("s.yaml", RECIPE, List.of(overrides));
  }

  @Test
  void loadsWithDefaultsAndSurvivesTheResolvedRecipe() {
    SelectKSpec s = assertInstanceOf(SelectKSpec.class, load().methods().get(0).cluster());
    assertEquals("bic", s.criterion());
    assertEquals(10_000, s.silhouetteSample());
    assertEquals(12, s.k());
    assertEquals("diag", ((GmmSpec) s.cluster()).covarianceType());
    assertInstanceOf(SelectK.class, s.build(new ComponentContext(1)));
    // config.json records the inner k as k_max; loading it again is the same recipe
    JsonNode json = RecipeLoader.toJson(load());
    assertEquals(12, json.at("/methods/0/cluster/cluster/k").asInt());
    Recipe again = RecipeLoader.parse("config.json", json.toString(), List.of());
    assertEquals(load().methods().get(0).cluster(), again.methods().get(0).cluster());
    // repeating it with another range: the recorded inner k follows the new k_max
    Recipe narrower =
        RecipeLoader.parse("config.json", json.toString(), List.of("methods.0.cluster.k_max=8"));
    assertEquals(8, ((SelectKSpec) narrower.methods().get(0).cluster()).cluster().k());

    SelectKSpec km =
        (SelectKSpec)
            load("methods.0.cluster={type: select_k, cluster: {type: kmeans, n_init: 3},"
                    + " k_min: 2, k_max: 3, silhouette_sample: 0}")
                .methods()
                .get(0)
                .cluster();
    assertEquals("silhouette", km.criterion());
    assertEquals(3, ((KMeansSpec) km.cluster()).nInit());
  }

  @Test
  void badValuesNameTheField() {
    RecipeException e =
        assertThrows(
            RecipeException.class, () -> load("methods.0.cluster.cluster={type: gmm, k: 10}"));
    assertTrue(
        e.getMessage().contains("'methods.0.cluster.cluster.k': select_k fits every k"),
        e.getMessage());
    for (String[] c :
        new String[][] {
          {"methods.0.cluster.k_min=1", "k_min", "use at least 2"},
          {"methods.0.cluster.k_max=3", "k_max", "is below k_min 4"},
          {"methods.0.cluster.k_max=100", "k_max", "at most 50 values"},
          {"methods.0.cluster.criterion=aic", "criterion", "not one of bic, silhouette"},
          {
            "methods.0.cluster={type: select_k, cluster: {type: kmeans}, k_min: 2, k_max: 3,"
                + " criterion: bic}",
            "criterion",
            "bic needs a Gaussian mixture"
          },
          {"methods.0.cluster.cluster={type: head}", "cluster", "sizes a kmeans or gmm"},
        }) {
      RecipeException x = assertThrows(RecipeException.class, () -> load(c[0]));
      assertTrue(
          x.getMessage().contains(c[1]) && x.getMessage().contains(c[2]),
          c[0] + " -> " + x.getMessage());
    }
  }

  @Test
  void aRealRunLogsEveryKsScoreAndRecordsTheChosenK() throws Exception {
    DataLocator locator = RunArtifacts.mnistOrSkip();
    Path out = tmp.resolve("auto");
    RunArtifacts.run(
        "kmeans-baselines",
        List.of(
            "data.subset=1500",
            "methods=[{name: auto, reduce: {type: pca, components: 10},"
                + " cluster: {type: select_k, cluster: {type: gmm}, k_min: 6, k_max: 14}}]",
            "evaluation.silhouette_sample=500",
            "report.figures=[confusion]"),
        locator,
        out);
    String line =
        RunArtifacts.lines(out.resolve("run.log")).stream()
            .filter(l -> l.contains("auto: k chosen by bic: k=6 "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no k-selection line in run.log"));
    assertTrue(line.contains("k=14 "), line);
    int chosen = Integer.parseInt(line.replaceAll(".*k=(\\d+) [^,]* \\(chosen\\).*", "$1"));
    JsonNode row = RunArtifacts.row(RunArtifacts.json(out.resolve("metrics.json")), "auto");
    assertTrue(chosen >= 6 && chosen <= 14, line);
    assertEquals(chosen, row.get("n_clusters").asInt(), row.toString());
    assertTrue(row.get("nmi").asDouble() > 0.3, row.toString());
  }
}
