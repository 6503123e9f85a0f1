package chorus.tools.report;

import chorus.tools.plots.TrainingCurves;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One self-contained HTML page for a run directory (images embedded as data URIs): a config summary and the
 * resolved config, provenance, curves.png, the newest step's sample grids and traversal, embeddings.png, the
 * newest evaluation record of metrics.jsonl and, when {@code evaluate --json RUN_DIR/evaluation.json} wrote
 * it, the full coherence, synergy, latent-accuracy and Fréchet tables. A part whose file is missing is one
 * line saying what writes it; curves.png is redrawn from metrics.jsonl first when it is missing or older.
 */
public final class HtmlReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP_PNG = Pattern.compile("step-(\\d+)-(.+)\\.png");
    /** The summary's keys under chorus, in order. */
    private static final List<String> SUMMARY = List.of("data.dataset", "data.batch-size", "model.combination",
            "model.latent", "model.private-latent", "model.include-prior", "model.learning-rate", "model.kl-anneal-steps",
            "model.seed", "train.max-steps", "train.epochs", "train.eval-every", "train.eval-limit", "train.eval-metrics");

    private final Path dir;
    private final StringBuilder html = new StringBuilder();

    private HtmlReport(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code dir/report.html} and returns its path. */
    public static Path write(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.conf"))) {
            throw new IllegalArgumentException("run directory " + dir + ": no config.conf, expected a directory written by"
                    + " chorus train");
        }
        redrawCurves(dir);
        HtmlReport r = new HtmlReport(dir);
        r.page();
        Path out = dir.resolve("report.html");
        try {
            Files.writeString(out, r.html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("report " + out + ": cannot write (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** curves.png from metrics.jsonl when it is missing or older (a run trained before curves existed, or still running). */
    private static void redrawCurves(Path dir) {
        Path metrics = dir.resolve("metrics.jsonl");
        Path curves = dir.resolve("curves.png");
        try {
            if (Files.isRegularFile(metrics) && (!Files.isRegularFile(curves)
                    || Files.getLastModifiedTime(curves).compareTo(Files.getLastModifiedTime(metrics)) < 0)) {
                TrainingCurves.write(metrics, List.of(), curves);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot read the times of " + metrics + " and " + curves, e);
        }
    }

    private void page() {
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chorus run ").append(esc(name))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}"
                        + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}"
                        + "figure{display:inline-block;margin:.5em;vertical-align:top}figcaption{font-size:90%;color:#555}"
                        + "table.kv td{text-align:left}pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:85%}.missing{color:#a33}</style></head>\n<body>\n");
        html.append("<h1>Chorus run ").append(esc(name)).append("</h1>\n<p>").append(esc(dir.toAbsolutePath().normalize().toString()))
                .append("</p>\n<nav>Config · Provenance · Curves · Samples · Traversals · Embeddings · Metrics</nav>\n");
        config();
        provenance();
        section("curves", "Training curves");
        image(dir.resolve("curves.png"), "loss, KL terms, beta and evaluation metrics over steps",
                "no curves.png yet: chorus train draws it at each evaluation");
        html.append("</section>\n");
        samples();
        section("embeddings", "Embeddings");
        image(dir.resolve("embeddings.png"), "PCA of the posterior means E[z | x_m] per modality and of p(z) samples",
                "no embeddings.png yet: chorus train draws it at each evaluation (or evaluate --embeddings RUN_DIR/embeddings.png)");
        html.append("</section>\n");
        metrics();
        html.append("<script>window.addEventListener('load',()=>{const i=[...document.images];"
                + "document.body.dataset.images=i.length;document.body.dataset.loaded=i.filter(x=>x.complete&&x.naturalWidth>0).length;});"
                + "</script>\n</body></html>\n");
    }

    private void config() {
        section("config", "Configuration");
        Config c = ConfigFactory.parseFile(dir.resolve("config.conf").toFile()).resolve();
        html.append("<table class=\"kv\">\n");
        for (String key : SUMMARY) {
            String path = "chorus." + key;
            if (c.hasPath(path)) {
                html.append("<tr><td>").append(esc(key)).append("</td><td>")
                        .append(esc(c.getValue(path).render(ConfigRenderOptions.concise()))).append("</td></tr>\n");
            }
        }
        if (c.hasPath("chorus.model.modalities")) {
            html.append("<tr><td>model.modalities</td><td>").append(esc(c.getConfig("chorus.model.modalities").root()
                    .render(ConfigRenderOptions.concise()))).append("</td></tr>\n");
        }
        html.append("</table>\n<details><summary>resolved config.conf</summary><pre>").append(esc(read(dir.resolve("config.conf"))))
                .append("</pre></details>\n</section>\n");
    }

    private void provenance() {
        section("provenance", "Provenance");
        Path p = dir.resolve("provenance.txt");
        if (!Files.isRegularFile(p)) {
            missing("no provenance.txt");
        } else {
            html.append("<table class=\"kv\">\n");
            for (String line : read(p).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    html.append("<tr><td>").append(esc(line.substring(0, eq).strip())).append("</td><td>")
                            .append(esc(line.substring(eq + 1).strip())).append("</td></tr>\n");
                }
            }
            html.append("</table>\n");
        }
        html.append("</section>\n");
    }

    /** The newest step's grids under samples/ (the traversal in its own section). */
    private void samples() {
        List<Path> pngs = list(dir.resolve("samples"));
        long newest = pngs.stream().mapToLong(HtmlReport::step).max().orElse(-1);
        List<Path> latest = pngs.stream().filter(p -> step(p) == newest).toList();
        section("samples", "Sample grids" + (newest >= 0 ? " (step " + newest + ")" : ""));
        List<Path> grids = latest.stream().filter(p -> !kind(p).equals("traversal")).toList();
        if (grids.isEmpty()) {
            missing("no sample grids yet: chorus train writes samples/step-N-*.png at each evaluation");
        }
        grids.forEach(p -> image(p, kind(p), ""));
        html.append("</section>\n");
        section("traversals", "Latent traversals" + (newest >= 0 ? " (step " + newest + ")" : ""));
        List<Path> traversals = latest.stream().filter(p -> kind(p).equals("traversal")).toList();
        if (traversals.isEmpty()) {
            missing("no traversal yet: chorus train writes samples/step-N-traversal.png at each evaluation (or chorus traverse)");
        }
        traversals.forEach(p -> image(p, "the 8 most active units swept over ±3 prior SDs around z = 0", ""));
        html.append("</section>\n");
    }

    private void metrics() {
        section("metrics", "Metrics");
        Optional<JsonNode> eval = lastEval();
        if (eval.isEmpty()) {
            missing("no evaluation in metrics.jsonl yet");
        } else {
            JsonNode e = eval.get();
            html.append("<h3>Newest evaluation during training (step ").append(e.path("step").asLong()).append(", ")
                    .append(e.path("rows").asLong()).append(" test rows)</h3>\n<table><tr><th>name</th><th>value</th></tr>\n");
            row("test loss (negative ELBO)", e.path("loss"));
            fields(e.path("terms"), this::row);
            fields(e.path("metrics"), this::row);
            html.append("</table>\n");
        }
        Path json = dir.resolve("evaluation.json");
        if (!Files.isRegularFile(json)) {
            missing("no evaluation.json: chorus evaluate CHECKPOINT --json " + dir.resolve("evaluation.json")
                    + " adds the full coherence, latent-accuracy and Frechet tables here");
        } else {
            EvaluationTables.append(html, parse(json), json.getFileName().toString());
        }
        html.append("</section>\n");
    }

    private void row(String name, JsonNode v) {
        html.append("<tr><td>").append(esc(name)).append("</td><td>").append(String.format("%.4f", v.asDouble())).append("</td></tr>\n");
    }

    private Optional<JsonNode> lastEval() {
        Path p = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        JsonNode last = null;
        for (String line : read(p).split("\n")) {
            if (line.contains("\"type\":\"eval\"")) {
                try {
                    last = JSON.readTree(line);
                } catch (IOException torn) {
                    // a line being written; the previous evaluation stands
                }
            }
        }
        return Optional.ofNullable(last);
    }

    private void image(Path png, String caption, String ifMissing) {
        if (!Files.isRegularFile(png)) {
            missing(ifMissing);
            return;
        }
        try {
            html.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"><figcaption>")
                    .append(esc(png.getFileName() + ": " + caption)).append("</figcaption></figure>\n");
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot read " + png + " (" + e.getMessage() + ")", e);
        }
    }

    private void section(String id, String title) {
        html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n");
    }

    private void missing(String why) {
        html.append("<p class=\"missing\">").append(esc(why)).append("</p>\n");
    }

    private static void fields(JsonNode object, java.util.function.BiConsumer<String, JsonNode> each) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            var f = it.next();
            each.accept(f.getKey(), f.getValue());
        }
    }

    private static List<Path> list(Path samples) {
        if (!Files.isDirectory(samples)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(samples)) {
            return s.filter(p -> STEP_PNG.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot list " + samples + " (" + e.getMessage() + ")", e);
        }
    }

    private static long step(Path p) {
        Matcher m = STEP_PNG.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String kind(Path p) {
        Matcher m = STEP_PNG.matcher(p.getFileName().toString());
        return m.matches() ? m.group(2) : "";
    }

    private static JsonNode parse(Path json) {
        try {
            return JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("report: " + json + " is not JSON (" + e.getMessage() + ")", e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot read " + p + " (" + e.getMessage() + ")", e);
        }
    }

    /** Text escaped for HTML. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
