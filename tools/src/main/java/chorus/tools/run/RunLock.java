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

/**
 * The lock a process holds on a run directory while it writes there ({@code chorus.lock}, holding its
 * process id): a second writer is refused, naming that process. It is an OS file lock, so it dies with its
 * process (kill -9 included) and a later run takes it over; the file itself stays.
 */
final class RunLock implements AutoCloseable {

    /** The lock file's name inside a run directory. */
    static final String FILE = "chorus.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of run directory {@code dir} (which exists), or refuses naming the process that holds it. */
    static RunLock take(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
            channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RunDirectoryException("run directory " + dir + ": cannot take its lock " + file + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
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

    /** Releases the lock (the file stays: deleting it could let two processes lock two different files). */
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
