package chorus.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.config.ChorusConfig;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory's lock, its identity, the dead start it reuses, the metrics it cuts back and what it discards. */
class RunDirectoryTest {

    private static final Config DEFAULTS = ChorusConfig.load(null, Map.of());

    @TempDir
    Path tmp;

    @Test
    void aSecondWriterInTheSameProcessIsRefusedUntilTheFirstCloses() {
        Path dir = tmp.resolve("run");
        try (RunDirectory first = RunDirectory.create(dir, DEFAULTS, 1)) {
            RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunDirectory.existing(dir));
            assertTrue(e.getMessage().startsWith("run directory " + dir + " is in use by process "
                    + ProcessHandle.current().pid()), e.getMessage());
        }
        RunDirectory.existing(dir).close();
    }

    @Test
    void aRunIsNamedAfterItsDirectoryAndKnownAgainOnResume() {
        Path dir = tmp.resolve("fashion-1");
        String run;
        try (RunDirectory r = RunDirectory.create(dir, DEFAULTS, 1)) {
            run = r.run();
        }
        assertTrue(run.matches("fashion-1-[0-9a-f]{8}"), run);
        try (RunDirectory again = RunDirectory.existing(dir)) {
            assertEquals(run, again.run());
        }
    }

    @Test
    void discardRemovesTheDirectoryItCreatedButNotOneThatWasThere() throws IOException {
        Path made = tmp.resolve("made");
        RunDirectory.create(made, DEFAULTS, 1).discard();
        assertFalse(Files.exists(made));
        Path there = Files.createDirectories(tmp.resolve("there"));
        Files.writeString(there.resolve("notes.txt"), "the user's");
        RunDirectory.create(there, DEFAULTS, 1).discard();
        assertEquals(List.of(there.resolve("notes.txt")), Files.list(there).toList());
    }

    @Test
    void aDirectoryBelowAFileIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunDirectory.checkNew(file.resolve("run")));
        assertEquals("run directory " + file.resolve("run") + " cannot be created: " + file + " is not a directory;"
                + " choose another --run-dir", e.getMessage());
    }

    @Test
    void truncatingTheMetricsKeepsRecordsUpToTheStepAndDropsALineCutShort() throws IOException {
        Path dir = tmp.resolve("metrics");
        try (RunDirectory r = RunDirectory.create(dir, DEFAULTS, 1)) {
            Files.writeString(r.metrics(), "{\"type\":\"train\",\"step\":2}\n{\"type\":\"eval\",\"step\":4}\n"
                    + "{\"type\":\"train\",\"step\":6}\n{\"type\":\"train\",\"st");
            r.truncateMetrics(4);
            assertEquals(List.of("{\"type\":\"train\",\"step\":2}", "{\"type\":\"eval\",\"step\":4}"),
                    Files.readAllLines(r.metrics()));
        }
    }
}
