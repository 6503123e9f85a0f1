package chorus.actors.coordinator.reporting;

import chorus.models.evaluation.likelihood.TestElbo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The metrics file: one JSON object per line ({@code "type": "train"} per reporting interval,
 * {@code "eval"} per evaluation), appended and flushed per record so a crash loses at most one line and
 * a resumed run continues the same file.
 */
final class MetricsFile implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final BufferedWriter out;

    private MetricsFile(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
    }

    static MetricsFile open(Path path) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            return new MetricsFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The record of one evaluation; {@code metrics} (sorted by name) under "metrics" when there are any. */
    static ObjectNode evaluation(long step, TestElbo.Result r, java.util.Map<String, Double> metrics, long nanos) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", "eval").put("step", step).put("rows", r.rows()).put("loss", r.loss()).put("seconds", nanos / 1e9);
        ObjectNode terms = json.putObject("terms");
        r.terms().forEach(t -> terms.put(t.name(), t.value()));
        if (!metrics.isEmpty()) {
            ObjectNode m = json.putObject("metrics");
            new java.util.TreeMap<>(metrics).forEach(m::put);
        }
        return json;
    }

    void write(ObjectNode record) {
        try {
            out.write(JSON.writeValueAsString(record));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Closes the file after a failed write, ignoring the close's own failure (the write's already says why). */
    void abandon() {
        try {
            out.close();
        } catch (IOException e) {
            // the buffered line cannot be written either
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metrics file " + path + ": " + e.getMessage(), e);
        }
    }
}
