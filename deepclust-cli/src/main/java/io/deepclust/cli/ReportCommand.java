package io.deepclust.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deepclust.recipe.Recipe;
import io.deepclust.recipe.RecipeException;
import io.deepclust.recipe.RecipeLoader;
import io.deepclust.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code deepclust report <run folder>}: (re)writes the run's self-contained report.html. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write (or rewrite) report.html in a run folder from what the run left there: metrics,"
          + " training log, figures, configuration. A recipe run's report shows the paper's"
          + " published values beside the measured ones."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "A run folder (runs/<date>-<name>).")
  Path runDir;

  @Override
  public Integer call() {
    Path file = HtmlReport.write(runDir, paperValues(), null);
    System.out.println("wrote " + file);
    return 0;
  }

  /** The shipped recipe's paper values when the run came from one, else none. */
  private Map<String, Map<String, Double>> paperValues() {
    Path config = runDir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      return Map.of();
    }
    try {
      JsonNode name = new ObjectMapper().readTree(config.toFile()).path("recipe").path("name");
      if (!name.isTextual() || !RecipeLoader.shippedNames().contains(name.asText())) {
        return Map.of();
      }
      Recipe r = RecipeLoader.load(name.asText(), java.util.List.of());
      return r.paperMetrics().isEmpty() ? Map.of() : Map.of(r.name(), r.paperMetrics());
    } catch (IOException | RecipeException e) {
      return Map.of(); // a report without paper values beats no report
    }
  }
}
