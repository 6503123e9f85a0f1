package chorus.tools.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The lock a process holds on a run directory while it writes there ({@code chorus.lock}, holding its
 * process id): a second writer is refused, naming that process. It is an OS file lock, so it dies with its
 * process (kill -9 included) and a later run takes it over; the file itself stays while the run directory
 * is in use. A run that discards its directory deletes the file while it still holds the lock ({@link
 * #deleteAndClose}); a process that opened the file just before that and locks it just after would hold a lock on a
 * file no longer in the directory, beside a third process that locks the new one, so {@link #take} checks, once it
 * holds the lock, that the directory's lock file is still the file it locked, and tries again if not.
 */
final class RunLock implements AutoCloseable {

    /** The lock file's name inside a run directory. */
    static final String FILE = "chorus.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** How often {@link #take} opens the lock file again when it was replaced while being locked. */
    private static final int ATTEMPTS = 5;

    /** Takes the lock of run directory {@code dir} (which exists), or refuses naming the process that holds it. */
    static RunLock take(Path dir) {
        return take(dir, () -> { });
    }

    /** The same; {@code afterOpen} runs between opening the file and locking it (tests replace the file there). */
    static RunLock take(Path dir, Runnable afterOpen) {
        Path file = dir.resolve(FILE);
        for (int attempt = 1; ; attempt++) {
            RunLock lock = tryTake(dir, file, afterOpen);
            if (lock != null) {
                return lock;
            }
            if (attempt == ATTEMPTS) {
                throw new RunDirectoryException("run directory " + dir + ": its lock file " + file + " was replaced "
                        + ATTEMPTS + " times while being locked; another process is creating and discarding runs there");
            }
        }
    }

    /** The lock, or null when the file was replaced (removed by a discarding run) while it was being locked. */
    private static RunLock tryTake(Path dir, Path file, Runnable afterOpen) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Object opened = fileKey(file);
            afterOpen.run();
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                throw new RunDirectoryException("run directory " + dir + " is in use by process " + holder(file)
                        + " (it holds " + file + "); wait for that run to end, or stop it");
            }
            Object locked = fileKey(file);
            if (opened == null || !opened.equals(locked)) { // locked a file that is no longer the directory's
                lock.release();
                channel.close();
                return null;
            }
            channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RunDirectoryException("run directory " + dir + ": cannot take its lock " + file + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file's identity (device and inode on Linux) at {@code file} now, or null when there is none. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException gone) {
            return null;
        }
    }

    /** The process id written in the lock file, or "unknown" when it cannot be read. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock's failure is the error to report
            }
        }
    }

    /**
     * Deletes the lock file while still holding the lock, then releases it: a process that locks the old file after
     * that finds it is no longer the directory's ({@link #take} checks), and one that comes later creates a new one.
     */
    void deleteAndClose() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            close();
        }
    }

    /** Releases the lock (the file stays: see {@link #deleteAndClose} for removing it safely). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // the channel's close releases the lock too; nothing is left to undo
        }
    }
}
