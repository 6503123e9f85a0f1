package chorus.actors.coordinator.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chorus.actors.ActorFixtures;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerId;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.objective.TermValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The reporter's log lines, JSON-lines records and run totals, from hand-made step reports. */
class ReporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ActorTestKit testKit;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void writesOneTrainRecordPerIntervalWithTheMeansOfItsSteps() throws IOException {
        List<JsonNode> records = run(2, 4, List.of(stepped(0, 1.0, 1), stepped(1, 2.0, 1), stepped(2, 5.0, 1),
                stepped(3, 7.0, 1)));
        assertEquals(2, records.size());
        JsonNode first = records.get(0);
        assertEquals("train", first.get("type").asText());
        assertEquals(2, first.get("step").asLong());
        assertEquals(1.0, first.get("epoch").asDouble()); // 2 batches per epoch
        assertEquals(1.5, first.get("loss").asDouble(), 1e-12);
        assertEquals(0.75, first.get("terms").get("nll[image]").asDouble(), 1e-12);
        assertEquals(6.0, records.get(1).get("loss").asDouble(), 1e-12);
    }

    @Test
    void trainRecordHasThroughputAndTheWaitOfTheLoaderCombinerAndEachWorker() throws IOException {
        JsonNode record = run(1, 1, List.of(stepped(0, 1.0, 1))).get(0);
        assertTrue(record.get("images_per_s").asDouble() > 0, record.toString());
        List<String> keys = new ArrayList<>();
        record.get("waited_ms_per_step").fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.of("loader", "combiner", "encoder.image", "decoder.image", "encoder.features"), Set.copyOf(keys));
        assertEquals(2.0, record.get("waited_ms_per_step").get("loader").asDouble(), 1e-9);
    }

    @Test
    void logsOneLinePerInterval() throws IOException {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger log = (Logger) LoggerFactory.getLogger("chorus.train");
        log.addAppender(lines);
        try {
            run(2, 4, List.of(stepped(0, 1.0, 1), stepped(1, 2.0, 1), stepped(2, 5.0, 1), stepped(3, 7.0, 1)));
        } finally {
            log.detachAppender(lines);
        }
        assertEquals(2, lines.list.size());
        assertTrue(lines.list.get(0).getFormattedMessage().startsWith("step 2/4 epoch 1.00 | loss 1.5000"),
                lines.list.get(0).getFormattedMessage());
    }

    @Test
    void writesAnEvalRecordPerEvaluation() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        ActorRef<Reporter.Command> reporter = reporter(10, 100, file);
        reporter.tell(new Reporter.Evaluated(7, new TestElbo.Result(6, 3.25, List.of(new TermValue("kl[image]", 0.5))),
                2_000_000_000L));
        close(reporter);
        JsonNode eval = read(file).get(0);
        assertEquals("eval", eval.get("type").asText());
        assertEquals(7, eval.get("step").asLong());
        assertEquals(3.25, eval.get("loss").asDouble());
        assertEquals(0.5, eval.get("terms").get("kl[image]").asDouble());
    }

    @Test
    void anEvaluationsFurtherMetricsGoIntoItsRecord() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        ActorRef<Reporter.Command> reporter = reporter(10, 100, file);
        reporter.tell(new Reporter.Evaluated(7, new TestElbo.Result(6, 3.25, List.of()),
                java.util.Map.of("coherence[label->image]", 0.75), 1L));
        close(reporter);
        assertEquals(0.75, read(file).get(0).get("metrics").get("coherence[label->image]").asDouble());
    }

    @Test
    void aMetricsFileThatCannotBeWrittenIsToldToTheWatcherAndCloseStillReplies() {
        ActorRef<Reporter.Command> reporter = reporter(1, 100, Path.of("/dev/full")); // every write: no space left
        TestProbe<Reporter.MetricsFailed> watcher = testKit.createTestProbe();
        reporter.tell(new Reporter.Watch(watcher.ref()));
        reporter.tell(stepped(0, 1.0, 1));
        reporter.tell(stepped(1, 1.0, 1));
        assertEquals("cannot write the metrics file /dev/full: No space left on device", watcher.receiveMessage().message());
        assertEquals(2, close(reporter).steps());
        watcher.expectNoMessage(java.time.Duration.ofMillis(100)); // once, not per line
    }

    @Test
    void closeRepliesWithTheRunsTotals() {
        ActorRef<Reporter.Command> reporter = reporter(10, 100, null);
        reporter.tell(stepped(0, 1.0, 1));
        reporter.tell(new Reporter.Stepped(report(1, 1.0, 3, 2), 0.5, 4, 0));
        Reporter.Summary s = close(reporter);
        assertEquals(2, s.steps());
        assertEquals(8, s.rows());
        assertEquals(3, s.maxStaleness());
        assertEquals(1, s.retries());
    }

    @Test
    void closeWritesThePendingInterval() throws IOException {
        List<JsonNode> records = run(2, 10, List.of(stepped(0, 1.0, 1), stepped(1, 2.0, 1), stepped(2, 4.0, 1)));
        assertEquals(2, records.size());
        assertEquals(3, records.get(1).get("step").asLong());
        assertEquals(4.0, records.get(1).get("loss").asDouble(), 1e-12);
    }

    /** Reports {@code steps} with a line every {@code every} steps of {@code total}, closes, and reads the records. */
    private List<JsonNode> run(int every, long total, List<Reporter.Stepped> steps) throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        ActorRef<Reporter.Command> reporter = reporter(every, total, file);
        steps.forEach(reporter::tell);
        close(reporter);
        return read(file);
    }

    private static ActorRef<Reporter.Command> reporter(int every, long total, Path metrics) {
        return testKit.spawn(Reporter.create(new Reporter.Settings(every, total, 2, ActorFixtures.NAMES, metrics, null)));
    }

    private static Reporter.Summary close(ActorRef<Reporter.Command> reporter) {
        TestProbe<Reporter.Summary> probe = testKit.createTestProbe();
        reporter.tell(new Reporter.Close(probe.ref()));
        return probe.receiveMessage();
    }

    /** Step {@code step} with {@code loss}, 4 rows, 2 ms waiting for its batch. */
    private static Reporter.Stepped stepped(long step, double loss, int attempts) {
        return new Reporter.Stepped(report(step, loss, 0, attempts), 0.5, 4, 2_000_000);
    }

    /** A report whose workers are encoder[image], decoder[image] and encoder[features]. */
    private static StepReport report(long step, double loss, long staleness, int attempts) {
        Map<WorkerId, Long> workers = Map.of(WorkerId.encoder(0), staleness, WorkerId.decoder(0), 0L,
                WorkerId.encoder(2), 0L);
        return new StepReport(step, loss, List.of(new TermValue("nll[image]", loss / 2)), List.of(), List.of(),
                workers, Map.of(WorkerId.encoder(0), 1_000L, WorkerId.decoder(0), 1_000L, WorkerId.encoder(2), 1_000L),
                1_000, attempts, 5_000_000);
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
