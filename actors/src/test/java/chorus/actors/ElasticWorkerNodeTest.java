package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.cluster.typed.Cluster;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chorus.actors.cluster.ClusterSettings;
import chorus.actors.cluster.SharedConfig;
import chorus.actors.cluster.WorkerNode;
import chorus.actors.coordinator.TrainPlan;
import chorus.actors.coordinator.Trainer;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.workers.FaultInjection;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.BatchIterator;
import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.objective.KlAnnealing;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.LoggerFactory;

/**
 * Issue 16's elastic worker nodes: a coordinator and a worker node hosting the image modality run as two actor
 * systems in this JVM; the test terminates the worker node in the middle of step 5 (from a hook on a coordinator
 * worker, so the step is mid-flight) and either starts a new one, after which the run must end on exactly the
 * parameters and Adam state of an uninterrupted run, or starts none, after which the run must stop past the rejoin
 * timeout with one line and no checkpoint after the last good one.
 */
class ElasticWorkerNodeTest {

    private static final String SYSTEM = "chorus-elastic-test";
    private static final SharedConfig SHARED = SharedConfig.of(ConfigFactory.parseString(
            "chorus.model { latent = 2, learning-rate = 1e-3, seed = 61 }"));
    private static final KlAnnealing ANNEAL = new KlAnnealing(4, 0.0);
    private static final TrainPlan PLAN = new TrainPlan(0, 8, 1, 0, ANNEAL, 0, 3); // checkpoints after 3, 6 and 8
    private static final String PAUSE_LOG = "chorus.actors.coordinator.Rejoining"; // the trainer's child that logs it
    private static final int KILLED_AT = 5; // steps 3 and 4 are applied everywhere since the checkpoint after 3

    @TempDir
    Path dir;

    private final Dataset data = ModelFixtures.dataset("train", 40, 3); // 5 batches of 8 per epoch
    private final Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, new double[] {1, 3, 1}, 62);

    /** How a run ended: its summary, the checkpoint steps and the states of the last checkpoint. */
    private record Run(Trainer.Finished finished, List<Long> checkpoints, List<WorkerState> states) {
    }

    private static ClusterSettings cluster(String role, List<String> seeds, Duration rejoin) {
        return new ClusterSettings(true, role, "127.0.0.1", 0, seeds, ClusterSettings.Transport.TCP, 64L << 20,
                Duration.ofSeconds(30), rejoin, Map.of("gpu", List.of("image")), SHARED);
    }

    private static WorkerNode imageNode(List<String> seeds) {
        return WorkerNode.start(SYSTEM, ModelFixtures.model(61, DataType.FLOAT), cluster("gpu", seeds, Duration.ZERO),
                Placement.allCpu(3), ConfigFactory.empty());
    }

    private static String hostPort(Address at) {
        return at.host().get() + ":" + at.port().get();
    }

    private Run train(TrainingSystem system, TrainPlan plan, Path metrics) {
        List<Long> checkpoints = new ArrayList<>();
        List<WorkerState> last = new ArrayList<>();
        Reporter.Settings reporting = new Reporter.Settings(3, plan.endStep(), 5, system.modalities(), metrics, null);
        Trainer.Finished f = system.train(plan, BatchIterator.training(data, 8, 7), 2, reporting, null,
                (step, cursor, states) -> {
                    checkpoints.add(step);
                    last.clear();
                    last.addAll(states);
                }).toCompletableFuture().orTimeout(3, TimeUnit.MINUTES).join();
        return new Run(f, checkpoints, List.copyOf(last));
    }

    private Run uninterrupted() {
        try (TrainingSystem local = TrainingSystem.start(ModelFixtures.model(61, DataType.FLOAT), mvae,
                TrainingSystem.Options.local("elastic-local", DataType.FLOAT, 3))) {
            return train(local, PLAN, dir.resolve("uninterrupted.jsonl"));
        }
    }

    /**
     * Runs the plan with the image workers on a worker node that is terminated during step {@link #KILLED_AT}, then
     * calls {@code afterKill} with the coordinator's address (to start a replacement, or not).
     */
    private Run killedMidRun(TrainPlan plan, Duration rejoin, java.util.function.Consumer<String> afterKill)
            throws Exception {
        WorkerNode first = imageNode(List.of());
        String seed = hostPort(first.joined().toCompletableFuture().get(30, TimeUnit.SECONDS));
        CompletableFuture<Void> killed = new CompletableFuture<>();
        AtomicBoolean fired = new AtomicBoolean();
        FaultInjection killer = (worker, phase, step, attempt) -> {
            if (worker.equals(WorkerId.encoder(1)) && phase.equals("forward") && step == KILLED_AT
                    && fired.compareAndSet(false, true)) {
                first.close(); // the image workers are gone while this step runs
                killed.complete(null);
            }
        };
        TrainingSystem.Options options = TrainingSystem.Options.local(SYSTEM, DataType.FLOAT, 3)
                .withCluster(cluster(ClusterSettings.COORDINATOR, List.of(seed), rejoin))
                .withHooks(WorkerHooks.faults(killer));
        try (TrainingSystem coordinator = TrainingSystem.start(ModelFixtures.model(61, DataType.FLOAT), mvae, options)) {
            String at = hostPort(Cluster.get(coordinator.actorSystem()).selfMember().address());
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> train(coordinator, plan,
                    dir.resolve("killed.jsonl")));
            killed.get(2, TimeUnit.MINUTES);
            afterKill.accept(at);
            return run.get(3, TimeUnit.MINUTES);
        } finally {
            first.close();
        }
    }

    @Test
    void aWorkerNodeKilledMidRunAndReplacedEndsOnTheParametersOfTheUninterruptedRun() throws Exception {
        Run expected = uninterrupted();
        List<WorkerNode> replacements = new ArrayList<>();
        ListAppender<ILoggingEvent> log = listen();
        Run got;
        try {
            got = killedMidRun(PLAN, Duration.ofSeconds(60), coordinator -> replacements.add(imageNode(List.of(coordinator))));
        } finally {
            replacements.forEach(WorkerNode::close);
            ((Logger) LoggerFactory.getLogger(PAUSE_LOG)).detachAppender(log);
        }
        assertNull(got.finished().error());
        assertEquals(8, got.finished().endStep());
        assertEquals(expected.checkpoints(), got.checkpoints());
        for (int i = 0; i < expected.states().size(); i++) {
            WorkerState want = expected.states().get(i);
            WorkerState have = got.states().get(i);
            assertEquals(want.worker(), have.worker());
            assertArrayEquals(want.params().toDoubleVector(), have.params().toDoubleVector(), "parameters of " + want.worker());
            assertArrayEquals(want.updaterState().toDoubleVector(), have.updaterState().toDoubleVector(),
                    "Adam state of " + want.worker());
        }
        assertEquals(losses(dir.resolve("uninterrupted.jsonl")), losses(dir.resolve("killed.jsonl")),
                "each interval logged once, with the uninterrupted run's losses");
        String pause = log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains("pauses"))
                .findFirst().orElse(null);
        assertNotNull(pause, "the pause is logged");
        assertTrue(pause.contains("role 'gpu'") && pause.contains("[image]") && !pause.contains("\n"), pause);
    }

    @Test
    void pastTheRejoinTimeoutTheRunStopsWithOneLineAndItsLastCheckpoint() throws Exception {
        Run got = killedMidRun(PLAN, Duration.ofSeconds(2), coordinator -> { });
        String error = got.finished().error();
        assertNotNull(error);
        assertTrue(error.startsWith("worker node 'gpu' (hosting [image])") && !error.contains("\n"), error);
        assertTrue(error.contains("no worker node with role 'gpu' joined within 2 s (chorus.cluster.rejoin-timeout"), error);
        assertEquals(List.of(3L), got.checkpoints(), "no checkpoint after the loss");
        assertEquals(KILLED_AT, got.finished().endStep(), "steps 0 to 4 completed");
    }

    @Test
    void aRejoinTimeoutOfZeroStopsAtOnceAsBeforeWithoutPausing() throws Exception {
        ListAppender<ILoggingEvent> log = listen();
        Run got;
        try {
            got = killedMidRun(PLAN, Duration.ZERO, coordinator -> { });
        } finally {
            ((Logger) LoggerFactory.getLogger(PAUSE_LOG)).detachAppender(log);
        }
        String error = got.finished().error();
        assertNotNull(error);
        assertTrue(error.contains("worker node 'gpu' (hosting [image])") && error.contains("resume from the last checkpoint"),
                error);
        assertEquals(List.of(3L), got.checkpoints());
        assertTrue(log.list.isEmpty(), "no pause: " + log.list);
    }

    /**
     * Two steps in flight: every step in flight at the loss is dropped and the steps from the restore point are
     * redone, as in synchronous mode. (Not compared bit for bit: which updates an overlapping step's forward reads
     * depends on timing, so two asynchronous runs differ anyway.)
     */
    @Test
    void anAsynchronousRunKilledMidRunAndReplacedRedoesItsStepsAndFinishes() throws Exception {
        TrainPlan async = new TrainPlan(0, 8, 2, 1, ANNEAL, 0, 3);
        List<WorkerNode> replacements = new ArrayList<>();
        Run got;
        try {
            got = killedMidRun(async, Duration.ofSeconds(60), coordinator -> replacements.add(imageNode(List.of(coordinator))));
        } finally {
            replacements.forEach(WorkerNode::close);
        }
        assertNull(got.finished().error());
        assertEquals(8, got.finished().endStep());
        assertEquals(List.of(3L, 6L, 8L), got.checkpoints());
        assertEquals(List.of("3", "6", "8"), losses(dir.resolve("killed.jsonl")).stream().map(l -> l.split(" ")[0]).toList(),
                "each interval logged once");
    }

    private static ListAppender<ILoggingEvent> listen() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(PAUSE_LOG)).addAppender(log);
        return log;
    }

    /** Each metrics record's step and loss, in order. */
    private static List<String> losses(Path metrics) throws Exception {
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("\"step\":(\\d+),.*?\"loss\":([^,]+)");
        for (String line : Files.readAllLines(metrics)) {
            Matcher m = p.matcher(line);
            assertTrue(m.find(), line);
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }
}
