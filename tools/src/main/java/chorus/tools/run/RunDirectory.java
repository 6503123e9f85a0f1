package chorus.tools.run;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import chorus.data.config.ChorusConfig;
import chorus.tools.Provenance;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A run's directory: {@code config.conf} (the resolved config), {@code provenance.txt} (with the run's
 * identity, which every checkpoint carries too), {@code train.log}, {@code metrics.jsonl},
 * {@code checkpoints/step-<N>.ckpt}, {@code samples/} and {@code chorus.lock}. An open RunDirectory holds
 * the lock: one writer at a time. Creating one is the last step of a run's start-up, and a run that ends
 * without a checkpoint {@link #discard}s what it wrote, so a failed start leaves nothing behind.
 */
public final class RunDirectory implements AutoCloseable {

    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d+)\\.ckpt");
    private static final Pattern TEMPORARY = Pattern.compile("\\.step-\\d+\\.ckpt\\..*\\.tmp"); // AtomicFile's, in checkpoints/
    private static final Pattern METRICS_TEMPORARY = Pattern.compile("\\.metrics\\.jsonl\\..*\\.tmp");
    private static final List<String> FILES = List.of("config.conf", "provenance.txt", "train.log", "metrics.jsonl");

    private final Path dir;
    private final String run;      // the run's identity, or null for a directory written before runs had one
    private final boolean created; // whether this run created the directory (then discard removes it)
    private final RunLock lock;

    private RunDirectory(Path dir, String run, boolean created, RunLock lock) {
        this.dir = dir;
        this.run = run;
        this.created = created;
        this.lock = lock;
    }

    /** {@code runs/<experiment>-<yyyyMMdd-HHmmss>} under {@code parent}. */
    public static Path fresh(Path parent, String experiment) {
        return parent.resolve(experiment + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Refuses, before any work, a directory that {@link #create} would refuse: one that cannot be made (a file
     * in its path, a read-only parent) or that already holds a run with a checkpoint.
     */
    public static void checkNew(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && (!Files.isDirectory(existing) || !Files.isWritable(existing))) {
            throw new RunDirectoryException("run directory " + dir + " cannot be created: " + existing + " is "
                    + (Files.isDirectory(existing) ? "not writable" : "not a directory") + "; choose another --run-dir");
        }
        if (Files.exists(dir.resolve("config.conf")) && hasCheckpoint(dir)) {
            throw heldRun(dir);
        }
    }

    /**
     * Creates (or reuses) the run directory, takes its lock and writes the resolved config and provenance. A
     * directory with a config but no checkpoint is a run that died before it saved anything: its files are
     * replaced.
     */
    public static RunDirectory create(Path dir, Config resolved, long seed) {
        checkNew(dir);
        boolean created = !Files.exists(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RunDirectoryException("run directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
        RunLock lock = RunLock.take(dir);
        try {
            if (hasCheckpoint(dir)) { // written since checkNew by a process that has gone
                throw heldRun(dir);
            }
            String run = dir.toAbsolutePath().getFileName() + "-" + String.format("%08x", new SecureRandom().nextInt());
            RunDirectory r = new RunDirectory(dir, run, created, lock);
            if (Files.exists(dir.resolve("config.conf"))) { // a run that died before its first checkpoint
                r.removeFiles();
            }
            Files.createDirectories(dir.resolve("checkpoints"));
            Files.createDirectories(dir.resolve("samples"));
            String config = resolved.withOnlyPath(ChorusConfig.ROOT).root().render(
                    ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
            Files.writeString(dir.resolve("config.conf"), config, StandardCharsets.UTF_8);
            StringBuilder prov = new StringBuilder("run = " + run + "\n");
            for (Map.Entry<String, String> e : Provenance.all().entrySet()) {
                prov.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            }
            prov.append("seed = ").append(seed).append('\n');
            Files.writeString(dir.resolve("provenance.txt"), prov.toString(), StandardCharsets.UTF_8);
            return r;
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof RunDirectoryException rde) {
                throw rde;
            }
            throw new RunDirectoryException("run directory " + dir + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * An existing run directory (for --resume), locked, with the temporary files of checkpoint writes that
     * were killed removed; one line if it is not a run directory or another process uses it.
     */
    public static RunDirectory existing(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.conf")) || !Files.isDirectory(dir.resolve("checkpoints"))) {
            throw new CheckpointException("run directory " + dir + ": no config.conf and checkpoints/ here; expected a"
                    + " directory made by `chorus train`");
        }
        RunLock lock = RunLock.take(dir);
        try {
            RunDirectory r = new RunDirectory(dir, RunFiles.property(dir.resolve("provenance.txt"), "run"), false, lock);
            RunFiles.deleteMatching(dir.resolve("checkpoints"), TEMPORARY);
            RunFiles.deleteMatching(dir, METRICS_TEMPORARY);
            return r;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The run's identity ({@code <directory>-<random>}, in provenance.txt and every checkpoint), or null if it has none. */
    public String run() {
        return run;
    }

    /** Refuses a checkpoint written by another run (copied in), naming both runs. */
    public void checkOwns(Checkpoint checkpoint, Path file) {
        String theirs = checkpoint.provenance().get("run");
        if (run != null && theirs != null && !run.equals(theirs)) {
            throw new RunDirectoryException("checkpoint " + file + " belongs to run " + theirs + ", but run directory "
                    + dir + " holds run " + run + "; resume " + theirs + " from its own directory, or remove the file");
        }
    }

    /** Drops the metrics records of steps after {@code step} (a resumed run logs them again). */
    public void truncateMetrics(long step) {
        RunFiles.truncateMetrics(metrics(), step);
    }

    /**
     * Removes what this run wrote — it ended before its first checkpoint, so there is nothing to resume — and
     * the directory itself if this run created it; releases the lock. The lock file is deleted while the lock is
     * still held (released first, another run could lock it just before it is deleted, and a third then lock a new
     * one beside it); a run that takes the directory over meanwhile keeps it.
     */
    public void discard() {
        try {
            try {
                removeFiles();
            } finally {
                lock.deleteAndClose();
            }
            if (created) {
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException takenOver) {
                    // another run created its lock file here after this one's was deleted: the directory is its now
                }
            }
        } catch (IOException e) {
            throw new RunDirectoryException("run directory " + dir + ": cannot remove what the failed run wrote ("
                    + e.getMessage() + ")", e);
        }
    }

    private void removeFiles() throws IOException {
        for (String f : FILES) {
            Files.deleteIfExists(dir.resolve(f));
        }
        RunFiles.deleteTree(dir.resolve("samples"));
        RunFiles.deleteTree(dir.resolve("checkpoints"));
    }

    /** Releases the lock. */
    @Override
    public void close() {
        lock.close();
    }

    private static boolean hasCheckpoint(Path dir) {
        return Files.isDirectory(dir.resolve("checkpoints")) && !checkpoints(dir).isEmpty();
    }

    private static RunDirectoryException heldRun(Path dir) {
        return new RunDirectoryException("run directory " + dir + " already holds a run; continue it with --resume " + dir
                + " or choose another --run-dir");
    }

    public Path path() {
        return dir;
    }

    public Path metrics() {
        return dir.resolve("metrics.jsonl");
    }

    public Path samples() {
        return dir.resolve("samples");
    }

    public Path checkpoint(long step) {
        return dir.resolve("checkpoints").resolve("step-" + step + ".ckpt");
    }

    /** The checkpoint with the highest step, if any. */
    public Optional<Path> latestCheckpoint() {
        return checkpoints().stream().reduce((a, b) -> b);
    }

    /** Checkpoint files by ascending step. */
    public List<Path> checkpoints() {
        return checkpoints(dir);
    }

    private static List<Path> checkpoints(Path dir) {
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            List<Path> out = new ArrayList<>(files.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
                    .toList());
            out.sort(Comparator.comparingLong(RunDirectory::stepOf));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.resolve("checkpoints") + ": " + e.getMessage(), e);
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void prune(int keep) {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keep; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old checkpoint " + all.get(i) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Sends every log event (from now on) to {@code train.log} too; returns a handle that detaches it. */
    public AutoCloseable attachLog() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName("run-" + dir);
        file.setFile(dir.resolve("train.log").toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(file);
        return () -> {
            root.detachAppender(file);
            file.stop();
        };
    }

    private static long stepOf(Path p) {
        Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
