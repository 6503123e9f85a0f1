package chorus.tools.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replacing a file so that a reader (or a crash) sees the old contents or the new, whole: the new bytes go to
 * a hidden temporary file beside it, are synced, renamed over it, and the directory is synced; a failed write
 * removes its temporary file. Used for checkpoints, for cutting back the metrics of a resumed run, and for the
 * PNGs a run draws.
 */
public final class AtomicFile {

    /** What writes the new contents. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Replaces {@code file} with what {@code body} writes; an IOException leaves the old file as it was. */
    public static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = temporary(file);
        try {
            try (FileOutputStream raw = new FileOutputStream(tmp.toFile())) {
                body.write(raw);
                raw.getFD().sync(); // the bytes are on disk before the rename makes them the file
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            syncDirectory(dir);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed and says so; a stray temp file is named like a hidden file
                }
            }
        }
    }

    /**
     * A new, empty, hidden file beside {@code file}: {@code .<name>.<random hex>.tmp}. Unlike
     * {@link Files#createTempFile}, which makes it owner-only, it gets the umask's permissions, which the
     * renamed file keeps.
     */
    static Path temporary(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        while (true) {
            Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // best effort: the file itself is already synced
        }
    }
}
