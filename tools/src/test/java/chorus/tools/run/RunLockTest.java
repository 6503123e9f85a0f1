package chorus.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race between a run that discards its directory and another that takes its lock: the discarding run deletes
 * the lock file; a process that opened that file before and locks it after must not believe it holds the directory.
 */
class RunLockTest {

    @TempDir
    Path tmp;

    /** Deletes the lock file and makes a new one, as a discarding run and a third run starting meanwhile would. */
    private static Runnable replaceLockFile(Path dir) {
        return () -> {
            try {
                Files.delete(dir.resolve(RunLock.FILE));
                Files.writeString(dir.resolve(RunLock.FILE), "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Test
    void aLockFileReplacedBetweenOpeningAndLockingIsNotTheOneLocked() {
        Path dir = tmp;
        boolean[] replaced = {false};
        try (RunLock first = RunLock.take(dir, () -> {
            if (!replaced[0]) {
                replaced[0] = true;
                replaceLockFile(dir).run();
            }
        })) {
            // had it kept the lock on the deleted file, a second writer would lock the new file and both would write
            RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunLock.take(dir));
            assertTrue(e.getMessage().contains("is in use by process " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertTrue(replaced[0]);
    }

    @Test
    void aLockFileReplacedEveryTimeIsOneLineAfterAFewAttempts() {
        RunDirectoryException e = assertThrows(RunDirectoryException.class, () -> RunLock.take(tmp, replaceLockFile(tmp)));
        assertTrue(e.getMessage().startsWith("run directory " + tmp + ": its lock file") && !e.getMessage().contains("\n"),
                e.getMessage());
    }

    @Test
    void discardLeavesADirectoryItCreatedWhenAnotherRunWroteThereMeanwhile() throws IOException {
        Path dir = tmp.resolve("run");
        RunDirectory discarding = RunDirectory.create(dir, chorus.data.config.ChorusConfig.load(null, Map.of()), 1);
        Files.writeString(dir.resolve("other.txt"), "another run's"); // e.g. the lock file of a run started meanwhile
        discarding.discard();
        assertEquals(List.of(dir.resolve("other.txt")), Files.list(dir).toList(), "its own files gone, the other's kept");
        RunLock.take(dir).close(); // and the directory is free
    }
}
