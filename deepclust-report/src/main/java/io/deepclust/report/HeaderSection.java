package io.deepclust.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page's header (title, description, paper, facts about the run, setting chips, software) and
 * the notice that names missing or unreadable files. Reads the recipe by its YAML snake_case names.
 */
final class HeaderSection {
  private HeaderSection() {}

  static void render(RunContents run, String title, StringBuilder out) {
    RunConfig cfg = run.config();
    JsonNode recipe = cfg.recipe();
    out.append("<header class=\"hero\">\n<div class=\"eyebrow\">deepclust \u00b7 ")
        .append(cfg.isBaseline() ? "baseline report" : "run report")
        .append("</div>\n<h1>")
        .append(Html.esc(title))
        .append("</h1>\n");
    String description = RunConfig.text(recipe, "description");
    String paperRef = run.record().paper();
    if (paperRef.isEmpty()) {
      paperRef = RunConfig.text(recipe, "paper");
    }
    if (!description.isEmpty() || !paperRef.isEmpty()) {
      out.append("<p class=\"lede\">").append(Html.esc(description));
      if (!paperRef.isEmpty()) {
        out.append(description.isEmpty() ? "" : " ")
            .append("<span class=\"paper-ref\">Paper: ")
            .append(Html.esc(paperRef))
            .append("</span>");
      }
      out.append("</p>\n");
    }

    JsonNode prov = cfg.provenance();
    Map<String, String> facts = new LinkedHashMap<>();
    fact(facts, "Command", command(cfg));
    fact(facts, "Dataset", dataset(recipe.path("data")));
    fact(facts, "Seed", RunConfig.text(recipe, "seed"));
    fact(facts, "Date", run.date());
    fact(facts, "Git commit", RunConfig.text(prov, "git_commit"));
    Double total = run.record().seconds().get("total");
    fact(facts, "Wall time", total == null ? "" : Html.duration(total));
    fact(facts, "Model", RunConfig.text(recipe.path("model"), "architecture"));
    fact(facts, "Machine", machine(prov));
    fact(facts, "Engine", scalars(cfg.engine()));
    out.append("<dl class=\"facts\">\n");
    facts.forEach(
        (k, v) ->
            out.append("<div><dt>")
                .append(Html.esc(k))
                .append("</dt><dd")
                .append(MONO.contains(k) ? " class=\"mono\"" : "")
                .append(">")
                .append(Html.esc(v))
                .append("</dd></div>\n"));
    out.append("</dl>\n");

    List<String> chips = chips(recipe, run.record());
    if (!chips.isEmpty() || !cfg.overrides().isEmpty()) {
      out.append("<ul class=\"chips\">");
      for (String c : chips) {
        out.append("<li>").append(Html.esc(c)).append("</li>");
      }
      for (String o : cfg.overrides()) {
        out.append("<li class=\"override\" title=\"command-line override\">")
            .append(Html.esc(o))
            .append("</li>");
      }
      out.append("</ul>\n");
    }
    String software = software(prov);
    if (!software.isEmpty()) {
      out.append("<p class=\"software\">").append(Html.esc(software)).append("</p>\n");
    }
    out.append("</header>\n");
  }

  /** The notice naming missing or unreadable files, when there are any. */
  static void problems(RunContents run, StringBuilder out) {
    if (run.problems().isEmpty()) {
      return;
    }
    out.append("<div class=\"notice\" role=\"note\"><strong>Incomplete run folder.</strong><ul>");
    for (String p : run.problems()) {
      out.append("<li>").append(Html.esc(p)).append("</li>");
    }
    out.append("</ul></div>\n");
  }

  /**
   * What wrote the folder: the command when it was not {@code run} (e.g. {@code baseline}), else
   * {@code run} and the recipe's name; the overrides are listed below the facts.
   */
  static String command(RunConfig cfg) {
    if (!cfg.command().isEmpty() || !cfg.recipe().isObject()) {
      return cfg.command();
    }
    return cfg.name().isEmpty() ? "run" : "run, recipe " + cfg.name();
  }

  private static final List<String> MONO = List.of("Seed", "Git commit", "Model");

  private static void fact(Map<String, String> facts, String label, String value) {
    if (value != null && !value.isBlank()) {
      facts.put(label, value);
    }
  }

  private static String dataset(JsonNode data) {
    String name = RunConfig.text(data, "dataset");
    if (name.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(name);
    String split = RunConfig.text(data, "split").toLowerCase(Locale.ROOT);
    String evalSplit = RunConfig.text(data, "eval_split").toLowerCase(Locale.ROOT);
    if (!split.isEmpty()) {
      sb.append(" \u00b7 ").append(split);
      if (!evalSplit.isEmpty() && !evalSplit.equals(split)) {
        sb.append(" (clusters ").append(evalSplit).append(')');
      }
    }
    long subset = data.path("subset").asLong(0);
    if (subset > 0) {
      sb.append(" \u00b7 ").append(Html.num(subset)).append(" images");
    }
    return sb.toString();
  }

  private static String machine(JsonNode prov) {
    String os = RunConfig.text(prov, "os");
    String cpus = RunConfig.text(prov, "cpus");
    if (os.isEmpty() && cpus.isEmpty()) {
      return "";
    }
    return os + (cpus.isEmpty() ? "" : (os.isEmpty() ? "" : ", ") + cpus + " CPUs");
  }

  /** The scalar fields of {@code node} as "value" (names and versions) joined by dots. */
  private static String scalars(JsonNode node) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        String v = e.getValue().asText();
        parts.add(
            e.getValue().isTextual()
                ? v
                : Html.label(e.getKey()).toLowerCase(Locale.ROOT) + " " + v);
      }
    }
    return String.join(" \u00b7 ", parts);
  }

  private static String software(JsonNode prov) {
    List<String> parts = new ArrayList<>();
    addPart(parts, "deepclust", RunConfig.text(prov, "deepclust_version"));
    addPart(parts, "DJL", RunConfig.text(prov, "djl_version"));
    addPart(parts, "PyTorch", RunConfig.text(prov, "pytorch_version"));
    addPart(parts, "Java", RunConfig.text(prov, "java_version"));
    String heap = RunConfig.text(prov, "max_heap_mb");
    if (!heap.isEmpty()) {
      parts.add("heap " + heap + " MB");
    }
    return String.join(" \u00b7 ", parts);
  }

  private static void addPart(List<String> parts, String name, String version) {
    if (!version.isEmpty()) {
      parts.add(name + " " + version);
    }
  }

  /** One chip per setting a reader compares runs by. */
  private static List<String> chips(JsonNode r, RunRecord record) {
    List<String> chips = new ArrayList<>();
    JsonNode training = r.path("training");
    for (JsonNode p : training.path("phases")) {
      String loss = RunConfig.text(p, "loss");
      chips.add(
          RunConfig.text(p, "type")
              + " \u00d7 "
              + p.path("epochs").asInt(0)
              + " epochs"
              + (loss.isEmpty() ? "" : " (" + loss + ")"));
    }
    String batch = RunConfig.text(training, "batch_size");
    if (!batch.isEmpty()) {
      chips.add("batch " + batch);
    }
    JsonNode opt = training.path("optimizer");
    String lr = RunConfig.text(opt, "lr");
    if (!lr.isEmpty()) {
      String type = RunConfig.text(opt, "type");
      chips.add(type.isEmpty() ? "lr " + lr : type + " lr " + lr);
    }
    JsonNode reduce = r.path("reduce");
    String rt = RunConfig.text(reduce, "type");
    if (!rt.isEmpty() && !rt.equals("none")) {
      chips.add(rt.toUpperCase(Locale.ROOT) + "-" + RunConfig.text(reduce, "components"));
    }
    JsonNode cl = r.path("cluster");
    String k = RunConfig.text(cl, "k");
    if (!k.isEmpty()) {
      String type = RunConfig.text(cl, "type");
      chips.add(type.isEmpty() ? "k = " + k : type + " k = " + k);
    }
    String nInit = RunConfig.text(cl, "n_init");
    if (!nInit.isEmpty()) {
      chips.add(nInit + " restarts");
    }
    String sil = silhouette(r.path("evaluation").path("silhouette_sample"), record);
    if (!sil.isEmpty()) {
      chips.add(sil);
    }
    return chips;
  }

  /**
   * The silhouette's points as measured: each row's {@code silhouette_points} (the sample, or all
   * images when there are no more than the sample), else the configured sample capped by the
   * record's {@code images}; "" when neither is known.
   */
  static String silhouette(JsonNode configured, RunRecord record) {
    java.util.Set<Double> used = new java.util.TreeSet<>();
    for (RunRecord.Method m : record.methods()) {
      Double p = m.extra().get("silhouette_points");
      if (p != null && m.metrics().containsKey("silhouette")) {
        used.add(p);
      }
    }
    Double images = record.facts().get("images");
    long sample = configured.isNumber() ? configured.asLong() : -1;
    if (used.isEmpty()) {
      if (sample < 0) {
        return "";
      }
      if (sample == 0 || (images != null && images <= sample)) {
        return "exact silhouette";
      }
      return "silhouette on " + Html.num(sample) + " points";
    }
    boolean exact = sample == 0 || (images != null && used.size() == 1 && used.contains(images));
    List<String> counts = new ArrayList<>();
    used.forEach(p -> counts.add(Html.num(p)));
    return (exact ? "exact silhouette, " : "silhouette on ")
        + String.join(" / ", counts)
        + " points";
  }
}
