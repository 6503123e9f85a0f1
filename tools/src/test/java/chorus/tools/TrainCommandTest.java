package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.tools.run.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chorus train}: the run directory, exact resume, and the resume errors. */
class TrainCommandTest {

    @TempDir
    static Path tmp;

    private static Path data;

    @BeforeAll
    static void tinyData() {
        data = TinyRun.fashionMnist(tmp.resolve("fashion"));
    }

    private static CliRun train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        for (Map.Entry<String, String> e : TinyRun.overrides(data).entrySet()) {
            args.add("-D" + e.getKey() + "=" + e.getValue());
        }
        args.addAll(List.of("-Dchorus.train.report-every=4", "-Dchorus.train.eval-every=6", "-Dchorus.train.eval-limit=40",
                "-Dchorus.train.checkpoint-every=6", "-Dchorus.model.kl-anneal-steps=8"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void trainFillsTheRunDirectory() throws Exception {
        Path run = tmp.resolve("run-a");
        CliRun r = train("--max-steps", "12", "--run-dir", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained steps 0 -> 12"), r.out());
        for (String f : List.of("config.conf", "provenance.txt", "train.log", "metrics.jsonl", "checkpoints/step-12.ckpt",
                "checkpoints/step-6.ckpt", "samples/step-12-prior.png", "samples/step-6-label-to-image.png")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(3, metrics.stream().filter(l -> l.contains("\"type\":\"train\"")).count(), metrics.toString());
        assertEquals(2, metrics.stream().filter(l -> l.contains("\"type\":\"eval\"")).count(), metrics.toString());
        assertTrue(Files.readString(run.resolve("train.log")).contains("step 12/12"));
    }

    @Test
    void evalMetricsGoIntoTheEvalRecordsAndCurvesAreDrawn() throws Exception {
        Path run = tmp.resolve("run-metrics");
        CliRun r = train("--max-steps", "6", "--run-dir", run.toString(), "-Dchorus.train.eval-metrics=[coherence]",
                "-Dchorus.train.eval-classifier-dir=" + tmp.resolve("classifiers"));
        assertEquals(0, r.code(), r.err());
        String eval = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"type\":\"eval\""))
                .findFirst().orElseThrow();
        assertTrue(eval.contains("\"coherence[label->image]\":") && eval.contains("\"synergy[1]\":"), eval);
        assertTrue(Files.readString(run.resolve("train.log")).contains("coherence[image->label] "));
        assertTrue(Files.size(run.resolve("curves.png")) > 1000);
    }

    @Test
    void anUnknownEvalMetricIsOneLineListingTheKnownOnes() {
        train("--max-steps", "6", "--run-dir", tmp.resolve("run-bad").toString(), "-Dchorus.train.eval-metrics=[coherence,fid]")
                .assertUserError("chorus.train.eval-metrics: unknown metric 'fid', expected one of [coherence, latent-accuracy, frechet]");
        assertFalse(Files.exists(tmp.resolve("run-bad")));
    }

    @Test
    void stopAndResumeEndsOnTheParametersOfAStraightRun() {
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        assertEquals(0, train("--max-steps", "12", "--run-dir", straight.toString()).code());
        assertEquals(0, train("--max-steps", "6", "--run-dir", resumed.toString()).code());
        CliRun again = CliRun.of("train", "--resume", resumed.toString(), "--max-steps", "12");
        assertEquals(0, again.code(), again.err());
        Checkpoint a = Checkpoint.read(straight.resolve("checkpoints/step-12.ckpt"));
        Checkpoint b = Checkpoint.read(resumed.resolve("checkpoints/step-12.ckpt"));
        assertEquals(a.cursor(), b.cursor());
        for (int i = 0; i < a.networks().size(); i++) {
            assertEquals(a.networks().get(i).params(), b.networks().get(i).params(), a.networks().get(i).name());
            assertEquals(a.networks().get(i).updaterState(), b.networks().get(i).updaterState(), a.networks().get(i).name());
        }
    }

    @Test
    void resumingADirectoryWithoutCheckpointsIsOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty/checkpoints")).getParent();
        Files.writeString(empty.resolve("config.conf"), "chorus {}");
        CliRun.of("train", "--resume", empty.toString()).assertUserError("run directory " + empty + " has no checkpoint");
    }

    @Test
    void resumeWithAConfigIsRefused() {
        CliRun r = CliRun.of("train", "conf/x.conf", "--resume", tmp.toString());
        r.assertUserError("--resume continues");
        assertFalse(Files.exists(tmp.resolve("config.conf")));
    }
}
