package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chorus report}: the page of a real (tiny) run, checked as text and as headless chromium renders it. */
class ReportCommandTest {

    private static final List<String> SECTIONS = List.of("config", "provenance", "curves", "samples", "traversals",
            "embeddings", "metrics");

    @TempDir
    static Path tmp;

    private static Path run;
    private static String page;

    @BeforeAll
    static void reportOfATinyRun() throws Exception {
        Path data = TinyRun.fashionMnist(tmp.resolve("fashion"));
        run = tmp.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--max-steps", "6", "--run-dir", run.toString()));
        for (Map.Entry<String, String> e : TinyRun.overrides(data).entrySet()) {
            args.add("-D" + e.getKey() + "=" + e.getValue());
        }
        args.addAll(List.of("-Dchorus.train.eval-every=6", "-Dchorus.train.eval-limit=40", "-Dchorus.train.eval-metrics=[coherence]",
                "-Dchorus.train.eval-classifier-dir=" + tmp.resolve("classifiers")));
        CliRun trained = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, trained.code(), trained.err());
        CliRun evaluated = CliRun.of("evaluate", run.resolve("checkpoints/step-6.ckpt").toString(), "--limit", "40",
                "--train-limit", "100", "--classifier-dir", tmp.resolve("classifiers").toString(), "--json",
                run.resolve("evaluation.json").toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        CliRun report = CliRun.of("report", run.toString());
        assertEquals(0, report.code(), report.err());
        page = Files.readString(run.resolve("report.html"));
    }

    @Test
    void thePageHasEverySectionWithItsImagesEmbedded() {
        for (String id : SECTIONS) {
            assertTrue(page.contains("<section id=\"" + id + "\">"), id);
        }
        for (String png : List.of("curves.png", "embeddings.png", "step-6-prior.png", "step-6-traversal.png")) {
            assertTrue(page.contains("<figcaption>" + png), png);
        }
        assertTrue(!page.contains("class=\"missing\""), "nothing missing:\n" + page.replaceAll("base64,[^\"]+", ""));
        assertTrue(page.contains("<th>S \\ generated</th><th>image</th><th>label</th>"), "the coherence table from evaluation.json");
        assertTrue(page.contains("<td>coherence[label-&gt;image]</td>"), "the newest eval record's metrics");
    }

    @Test
    void aRunWithoutCurvesGetsThemFromItsMetricsAndMissingPartsSayWhatWritesThem() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        Files.copy(run.resolve("config.conf"), bare.resolve("config.conf"));
        Files.copy(run.resolve("metrics.jsonl"), bare.resolve("metrics.jsonl"));
        assertEquals(0, CliRun.of("report", bare.toString()).code());
        assertTrue(Files.size(bare.resolve("curves.png")) > 1000);
        String html = Files.readString(bare.resolve("report.html"));
        assertTrue(html.contains("no sample grids yet: chorus train writes samples/step-N-*.png at each evaluation"));
        assertTrue(html.contains("no evaluation.json: chorus evaluate CHECKPOINT --json"));
    }

    @Test
    void aDirectoryThatIsNoRunIsOneLine() {
        CliRun.of("report", tmp.toString()).assertUserError("run directory " + tmp + ": no config.conf");
    }

    @Test
    void headlessChromiumRendersEverySectionAndLoadsEveryImage() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "chromium is not installed: `apt-get install chromium` (as root, .ci/run does it) to render the report");
        String dom = chromium(chromium, "--dump-dom", "--virtual-time-budget=5000");
        Matcher m = Pattern.compile("data-images=\"(\\d+)\" data-loaded=\"(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the page's load script ran:\n" + dom.replaceAll("base64,[^\"]+", "").substring(0, 400));
        assertTrue(Integer.parseInt(m.group(1)) >= 6, "images " + m.group(1));
        assertEquals(m.group(1), m.group(2), "every image decoded");
        for (String id : SECTIONS) {
            assertTrue(dom.contains("<section id=\"" + id + "\">"), id);
        }
        Path shot = run.resolve("report.png");
        chromium(chromium, "--screenshot=" + shot, "--window-size=1280,4000");
        assertTrue(Files.size(shot) > 50_000, "a screenshot with content: " + Files.size(shot) + " bytes");
    }

    /** Runs headless chromium on the report with {@code args}; returns what it printed. */
    private static String chromium(Path chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + tmp.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        cmd.add(run.resolve("report.html").toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        return out;
    }
}
