package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.BatchIterator;
import chorus.tools.run.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model variant trained by {@code chorus train} on {@link TinyRun}'s data: a straight run of 12 steps
 * and a run stopped at 6 and resumed to 12, both evaluating and checkpointing every 6 steps. The
 * variant's command tests share it.
 */
record VariantRun(Path data, Path straight, Path resumed, CliRun first) {

    private static final Pattern LOSS = Pattern.compile("\"type\":\"(train|eval)\".*?\"step\":(\\d+).*?\"loss\":([^,}]+)");

    /**
     * Writes TinyRun's data under {@code dir} and trains both runs there with TinyRun's overrides, less the
     * keys {@code removed}, plus {@code changes}.
     */
    static VariantRun train(Path dir, Map<String, String> changes, String... removed) {
        Path data = TinyRun.fashionMnist(dir.resolve("fashion-mnist"));
        Map<String, String> overrides = new java.util.LinkedHashMap<>(TinyRun.overrides(data));
        List.of(removed).forEach(overrides::remove);
        overrides.putAll(changes);
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        CliRun first = CliRun.of(args(overrides, "--max-steps", "12", "--run-dir", straight.toString()));
        assertEquals(0, first.code(), first.err());
        CliRun half = CliRun.of(args(overrides, "--max-steps", "6", "--run-dir", resumed.toString()));
        assertEquals(0, half.code(), half.err());
        CliRun again = CliRun.of("train", "--resume", resumed.toString(), "--max-steps", "12");
        assertEquals(0, again.code(), again.err());
        return new VariantRun(data, straight, resumed, first);
    }

    private static String[] args(Map<String, String> overrides, String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        overrides.forEach((k, v) -> args.add("-D" + k + "=" + v));
        args.addAll(List.of("-Dchorus.train.report-every=3", "-Dchorus.train.eval-every=6", "-Dchorus.train.eval-limit=40",
                "-Dchorus.train.checkpoint-every=6"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The straight run's last checkpoint. */
    Path checkpoint() {
        return straight.resolve("checkpoints/step-12.ckpt");
    }

    /** The straight run's networks in a checkpoint whose config is TinyRun's plain per-modality model. */
    Path underThePlainConfig(Path file) {
        Checkpoint.of(12, BatchIterator.Cursor.START, TinyRun.config(data), Checkpoint.read(checkpoint()).networks()).write(file);
        return file;
    }

    /** Both runs end on the same data cursor, parameters and optimizer state, bit for bit. */
    void assertResumedExactly() {
        Checkpoint a = Checkpoint.read(checkpoint());
        Checkpoint b = Checkpoint.read(resumed.resolve("checkpoints/step-12.ckpt"));
        assertEquals(a.cursor(), b.cursor());
        assertEquals(a.networks().size(), b.networks().size());
        for (int i = 0; i < a.networks().size(); i++) {
            assertEquals(a.networks().get(i).params(), b.networks().get(i).params(), a.networks().get(i).name());
            assertEquals(a.networks().get(i).updaterState(), b.networks().get(i).updaterState(), a.networks().get(i).name());
        }
    }

    /** The losses a run logged, as "train@step" / "eval@step" = loss, in file order. */
    static Map<String, Double> losses(Path run) {
        try {
            Map<String, Double> out = new java.util.LinkedHashMap<>();
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                Matcher m = LOSS.matcher(line);
                assertTrue(m.find(), line);
                out.put(m.group(1) + "@" + m.group(2), Double.parseDouble(m.group(3)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every logged loss is finite and the resumed run logged the straight run's losses exactly. */
    void assertLossesFiniteAndReproduced() {
        Map<String, Double> a = losses(straight);
        assertTrue(a.containsKey("train@12") && a.containsKey("eval@12"), a.toString());
        a.forEach((k, v) -> assertTrue(Double.isFinite(v), k + " = " + v));
        assertEquals(a, losses(resumed));
    }
}
