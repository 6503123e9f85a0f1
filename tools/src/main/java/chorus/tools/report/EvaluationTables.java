package chorus.tools.report;

import static chorus.tools.report.HtmlReport.esc;

import chorus.tools.evaluation.MetricReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML tables of an {@code evaluate --json} file ({@link MetricReport#json} plus the test ELBO): the
 * judges, coherence (conditioning sets as rows, generated modalities as columns, a given modality's cell in
 * parentheses), joint coherence, synergy, latent accuracy, Fréchet distances and what was skipped.
 */
public final class EvaluationTables {

    private EvaluationTables() {
    }

    /** Appends the tables of {@code root} (read from {@code source}) to {@code html}. */
    static void append(StringBuilder html, JsonNode root, String source) {
        html.append("<h3>").append(esc(source)).append(": checkpoint step ").append(root.path("step").asLong()).append(", ")
                .append(esc(root.path("model").asText())).append(", ").append(esc(root.path("dataset").asText())).append("</h3>\n");
        JsonNode elbo = root.path("testElbo");
        if (!elbo.isMissingNode()) {
            html.append("<p>test loss (negative ELBO, beta = 1): ").append(String.format("%.3f", elbo.path("loss").asDouble()))
                    .append(" over ").append(elbo.path("rows").asLong()).append(" rows</p>\n");
        }
        for (JsonNode j : root.path("judges")) {
            html.append("<p>judge ").append(esc(j.path("judge").asText())).append("</p>\n");
        }
        coherence(html, root.path("coherence"));
        if (root.path("latentAccuracy").size() > 0) {
            html.append("<h4>Latent accuracy (linear probe on E[z | X_S])</h4>\n<table><tr><th>S</th><th>accuracy</th></tr>\n");
            for (JsonNode l : root.path("latentAccuracy")) {
                html.append("<tr><td>").append(esc(given(l.path("given")))).append("</td><td>")
                        .append(String.format("%.2f%%", 100 * l.path("accuracy").asDouble())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        if (root.path("frechet").size() > 0) {
            html.append("<h4>Fréchet distance of generated values (Chorus's classifier features, an FID analogue; lower is"
                    + " better)</h4>\n<table><tr><th>generated from</th><th>modality</th><th>d²</th></tr>\n");
            for (JsonNode f : root.path("frechet")) {
                html.append("<tr><td>").append(esc(f.path("given").asText())).append("</td><td>").append(esc(f.path("target").asText()))
                        .append("</td><td>").append(String.format("%.3f", f.path("distance").asDouble())).append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        for (JsonNode s : root.path("skipped")) {
            html.append("<p>").append(esc(s.asText())).append("</p>\n");
        }
    }

    private static void coherence(StringBuilder html, JsonNode c) {
        if (c.isMissingNode()) {
            return;
        }
        List<String> targets = new ArrayList<>();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (JsonNode cell : c.path("cells")) {
            String target = cell.path("target").asText();
            if (!targets.contains(target)) {
                targets.add(target);
            }
            String v = String.format("%.2f%%", 100 * cell.path("accuracy").asDouble());
            rows.computeIfAbsent(given(cell.path("given")), k -> new LinkedHashMap<>())
                    .put(target, cell.path("targetGiven").asBoolean() ? "(" + v + ")" : v);
        }
        html.append("<h4>Coherence (").append(c.path("rows").asLong())
                .append(" test rows; in parentheses: the modality is given)</h4>\n<table><tr><th>S \\ generated</th>");
        targets.forEach(t -> html.append("<th>").append(esc(t)).append("</th>"));
        html.append("</tr>\n");
        rows.forEach((s, cells) -> {
            html.append("<tr><td>").append(esc(s)).append("</td>");
            targets.forEach(t -> html.append("<td>").append(esc(cells.getOrDefault(t, ""))).append("</td>"));
            html.append("</tr>\n");
        });
        html.append("</table>\n");
        if (c.has("joint")) {
            html.append(String.format("<p>joint coherence of prior samples: %.2f%%</p>%n", 100 * c.path("joint").asDouble()));
        }
        html.append("<table><tr><th>given modalities</th><th>synergy (mean cross coherence)</th></tr>\n");
        c.path("synergy").fields().forEachRemaining(e -> html.append("<tr><td>").append(esc(e.getKey())).append("</td><td>")
                .append(String.format("%.2f%%", 100 * e.getValue().asDouble())).append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private static String given(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return String.join(",", names);
    }
}
