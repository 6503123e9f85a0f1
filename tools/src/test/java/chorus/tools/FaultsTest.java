package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.tools.run.Checkpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16's faults as a hostile user meets them: each run must end within seconds with a one-line error
 * naming what is wrong and a non-zero exit, leave the files that were there intact and nothing behind.
 * Filesystem faults come from files the test makes ({@code /dev/full} for a full disk, a regular file
 * where a directory should be: the tests run as root, so permissions would not stop a write).
 */
class FaultsTest {

    @TempDir
    static Path tmp;

    private static Path data;

    @BeforeAll
    static void tinyData() {
        data = TinyRun.fashionMnist(tmp.resolve("fashion"));
    }

    /** {@code chorus train} on the tiny data: a metrics line every 2 steps, a checkpoint every 4, no evaluation. */
    private static CliRun train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        for (Map.Entry<String, String> e : TinyRun.overrides(data).entrySet()) {
            args.add("-D" + e.getKey() + "=" + e.getValue());
        }
        args.addAll(List.of("-Dchorus.train.report-every=2", "-Dchorus.train.eval-every=0", "-Dchorus.train.checkpoint-every=4"));
        args.addAll(List.of(extra));
        return assertTimeoutPreemptively(Duration.ofSeconds(90), () -> CliRun.of(args.toArray(String[]::new)));
    }

    private static CliRun resume(Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString()));
        args.addAll(List.of(extra));
        return assertTimeoutPreemptively(Duration.ofSeconds(90), () -> CliRun.of(args.toArray(String[]::new)));
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static void assertNoStackTrace(CliRun r) {
        assertFalse((r.out() + r.err()).contains("\tat "), r.err());
    }

    // fault 1

    @Test
    void aMetricsFileThatCannotBeWrittenStopsTheRunWithinSecondsNamingIt() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("metrics-full"));
        Files.createSymbolicLink(run.resolve("metrics.jsonl"), Path.of("/dev/full")); // every write: no space left on device
        CliRun r = train("--max-steps", "40", "--run-dir", run.toString(), "-Dchorus.train.report-every=6");
        assertEquals(1, r.code(), r.err());
        assertEquals("chorus: training stopped: cannot write the metrics file " + run.resolve("metrics.jsonl")
                + ": No space left on device", lastLine(r.err()));
        assertEquals(4, Checkpoint.read(run.resolve("checkpoints/step-4.ckpt")).step(), "the checkpoint before is intact");
        assertFalse(Files.exists(run.resolve("checkpoints/step-8.ckpt")), "no checkpoint after the failure");
    }

    // fault 3

    @Test
    void aRunThatFailsInStartUpLeavesNoRunDirectory() {
        Path run = tmp.resolve("no-data");
        train("--max-steps", "4", "--run-dir", run.toString(), "-Dchorus.data.path=" + tmp.resolve("nowhere"))
                .assertUserError("");
        assertFalse(Files.exists(run), "nothing was trained: no run directory");
    }

    @Test
    void aFractionalBatchSizeIsOneLineAndLeavesNoRunDirectory() {
        Path run = tmp.resolve("fraction");
        train("--max-steps", "4", "--run-dir", run.toString(), "-Dchorus.data.batch-size=1.5")
                .assertUserError("chorus.data.batch-size = 1.5 (command line");
        assertFalse(Files.exists(run));
    }

    @Test
    void aRunDirectoryKilledBeforeItsFirstCheckpointIsReused() throws Exception {
        Path run = tmp.resolve("killed-early");
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve("config.conf"), "chorus {}");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"type\":\"train\",\"step\":2}\n");
        CliRun r = train("--max-steps", "4", "--run-dir", run.toString());
        assertEquals(0, r.code(), r.err());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertFalse(metrics.contains("{\"type\":\"train\",\"step\":2}"), "the dead start's metrics are gone: " + metrics);
        assertEquals(3, metrics.size(), metrics.toString()); // steps 2 and 4, the evaluation after step 4
        assertTrue(Files.exists(run.resolve("checkpoints/step-4.ckpt")));
    }

    // fault 5

    @Test
    void staleCheckpointTempFilesAreRemovedAtTheNextStart() throws Exception {
        Path run = tmp.resolve("stale-tmp");
        assertEquals(0, train("--max-steps", "4", "--run-dir", run.toString()).code());
        Path stale = Files.writeString(run.resolve("checkpoints/.step-8.ckpt.1f2e3d4c.tmp"), "half a checkpoint");
        CliRun r = resume(run, "--max-steps", "8");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(stale), "the temp file of a write killed by kill -9");
        assertEquals(8, Checkpoint.read(run.resolve("checkpoints/step-8.ckpt")).step());
    }

    @Test
    void aResumeDropsTheMetricsLoggedAfterItsCheckpoint() throws Exception {
        Path run = tmp.resolve("metrics-after");
        assertEquals(0, train("--max-steps", "8", "--run-dir", run.toString()).code());
        Files.delete(run.resolve("checkpoints/step-8.ckpt")); // killed after logging steps 5-8, before checkpointing them
        CliRun r = resume(run, "--max-steps", "8");
        assertEquals(0, r.code(), r.err());
        List<String> records = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Matcher m = Pattern.compile("\"type\":\"(\\w+)\",\"step\":(\\d+)").matcher(line);
            assertTrue(m.find(), line);
            records.add(m.group(1) + " " + m.group(2));
        }
        assertEquals(List.of("train 2", "train 4", "train 6", "train 8", "eval 8"), records); // the last step is evaluated
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstLivesAndAdmittedOnceItIsKilled() throws Exception {
        Path run = tmp.resolve("locked");
        assertEquals(0, train("--max-steps", "4", "--run-dir", run.toString()).code());
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        Process holder = LockHolder.start(run.resolve("chorus.lock"));
        try {
            resume(run, "--max-steps", "8").assertUserError("run directory " + run + " is in use by process " + holder.pid());
            assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")), "the refused run changed nothing");
        } finally {
            holder.destroyForcibly().waitFor(); // kill -9: the lock dies with its process
        }
        CliRun r = resume(run, "--max-steps", "8");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aCheckpointCopiedFromAnotherRunIsRefusedNamingBothRuns() throws Exception {
        Path a = tmp.resolve("run-a");
        Path b = tmp.resolve("run-b");
        assertEquals(0, train("--max-steps", "4", "--run-dir", a.toString()).code());
        assertEquals(0, train("--max-steps", "4", "--run-dir", b.toString()).code());
        Files.copy(a.resolve("checkpoints/step-4.ckpt"), b.resolve("checkpoints/step-5.ckpt"));
        CliRun r = resume(b, "--max-steps", "8");
        r.assertUserError("checkpoint " + b.resolve("checkpoints/step-5.ckpt") + " belongs to run run-a-");
        assertTrue(r.err().contains("run directory " + b + " holds run run-b-"), r.err());
        assertFalse(Files.exists(b.resolve("checkpoints/step-8.ckpt")));
    }

    // fault 6

    @Test
    void aRunDirThatCannotBeCreatedIsOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        train("--max-steps", "4", "--run-dir", file.resolve("run").toString()).assertUserError("run directory " + file.resolve("run"));
    }

    @Test
    void aNanStopIsOneLineAndCountsOnlyTheCompletedSteps() {
        Path run = tmp.resolve("nan");
        CliRun r = train("--max-steps", "40", "--run-dir", run.toString(), "-Dchorus.model.learning-rate=10");
        assertEquals(1, r.code(), r.err());
        assertNoStackTrace(r);
        Matcher failed = Pattern.compile("^chorus: training stopped: step (\\d+)").matcher(lastLine(r.err()));
        assertTrue(failed.find(), r.err());
        long step = Long.parseLong(failed.group(1));
        assertTrue(r.out().contains("trained steps 0 -> " + step + " "), "steps 0.." + (step - 1) + " completed: " + r.out());
    }

    /** A second process that holds a run directory's lock, as a running {@code chorus train} does. */
    private static final class LockHolder {

        static Process start(Path lock) throws Exception {
            Path source = tmp.resolve("Hold.java");
            Files.writeString(source, """
                    import java.nio.ByteBuffer;
                    import java.nio.channels.FileChannel;
                    import java.nio.file.Path;
                    import java.nio.file.StandardOpenOption;
                    public class Hold {
                        public static void main(String[] args) throws Exception {
                            FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                            boolean locked = ch.tryLock() != null;
                            ch.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()));
                            System.out.println(locked ? "locked" : "busy"); // once the pid is in the file
                            System.out.flush();
                            Thread.sleep(600_000);
                        }
                    }
                    """);
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, source.toString(), lock.toString()).redirectErrorStream(true).start();
            String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("locked", first);
            return p;
        }
    }
}
