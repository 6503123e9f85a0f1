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
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A run's directory: {@code config.conf} (the resolved config), {@code provenance.txt}, {@code train.log},
 * {@code metrics.jsonl}, {@code checkpoints/step-<N>.ckpt} and {@code samples/}.
 */
public final class RunDirectory {

    private static final Pattern CHECKPOINT = Pattern.compile("step-(\\d+)\\.ckpt");

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** {@code runs/<experiment>-<yyyyMMdd-HHmmss>} under {@code parent}. */
    public static Path fresh(Path parent, String experiment) {
        return parent.resolve(experiment + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Creates (or reuses an empty) run directory and writes the resolved config and provenance into it. */
    public static RunDirectory create(Path dir, Config resolved, long seed) {
        try {
            if (Files.exists(dir.resolve("config.conf"))) {
                throw new CheckpointException("run directory " + dir + " already holds a run; continue it with"
                        + " --resume " + dir + " or choose another --run-dir");
            }
            Files.createDirectories(dir.resolve("checkpoints"));
            Files.createDirectories(dir.resolve("samples"));
            String config = resolved.withOnlyPath(ChorusConfig.ROOT).root().render(
                    ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
            Files.writeString(dir.resolve("config.conf"), config, StandardCharsets.UTF_8);
            StringBuilder prov = new StringBuilder();
            for (Map.Entry<String, String> e : Provenance.all().entrySet()) {
                prov.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            }
            prov.append("seed = ").append(seed).append('\n');
            Files.writeString(dir.resolve("provenance.txt"), prov.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
        }
        return new RunDirectory(dir);
    }

    /** An existing run directory (for --resume); one line if it is not one. */
    public static RunDirectory existing(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.conf")) || !Files.isDirectory(dir.resolve("checkpoints"))) {
            throw new CheckpointException("run directory " + dir + ": no config.conf and checkpoints/ here; expected a"
                    + " directory made by `chorus train`");
        }
        return new RunDirectory(dir);
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
