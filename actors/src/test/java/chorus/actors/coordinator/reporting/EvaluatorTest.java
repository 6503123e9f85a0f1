package chorus.actors.coordinator.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.actors.ActorFixtures;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.objective.Objective;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Background evaluation: the newest waiting snapshot wins, Flush waits for the last, and the loss is TestElbo's. */
class EvaluatorTest {

    private static final Dataset TEST = ModelFixtures.dataset("test", 6, 9);
    private static final Objective OBJECTIVE = ActorFixtures.mvae(1);

    private static ActorTestKit testKit;

    private final TestProbe<Reporter.Command> reporter = testKit.createTestProbe();
    private final TestProbe<Evaluator.Flushed> flushed = testKit.createTestProbe();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void newestSnapshotReplacesTheOneWaitingBehindARunningEvaluation() {
        ActorRef<Evaluator.Command> evaluator = evaluator(ModelFixtures.model(91, DataType.FLOAT));
        List<WorkerState> states = states(ModelFixtures.model(92, DataType.FLOAT));
        for (long step = 1; step <= 3; step++) {
            evaluator.tell(new Evaluator.Evaluate(step, states)); // 2 and 3 arrive while 1 is held by the hook
        }
        release.countDown();
        assertEquals(1, reporter.expectMessageClass(Reporter.Evaluated.class).step());
        assertEquals(3, reporter.expectMessageClass(Reporter.Evaluated.class).step());
        reporter.expectNoMessage(ActorFixtures.QUIET);
    }

    @Test
    void flushRepliesOnlyAfterTheLastEvaluation() {
        ActorRef<Evaluator.Command> evaluator = evaluator(ModelFixtures.model(91, DataType.FLOAT));
        List<WorkerState> states = states(ModelFixtures.model(92, DataType.FLOAT));
        evaluator.tell(new Evaluator.Evaluate(1, states));
        evaluator.tell(new Evaluator.Evaluate(2, states));
        evaluator.tell(new Evaluator.Flush(flushed.ref()));
        flushed.expectNoMessage(ActorFixtures.QUIET);
        release.countDown();
        flushed.expectMessage(Evaluator.Flushed.INSTANCE);
        reporter.expectMessageClass(Reporter.Evaluated.class, Duration.ofMillis(50)); // already there: sent before Flushed
        assertEquals(2, reporter.expectMessageClass(Reporter.Evaluated.class, Duration.ofMillis(50)).step());
    }

    @Test
    void flushWithNothingToEvaluateRepliesAtOnce() {
        evaluator(ModelFixtures.model(91, DataType.FLOAT)).tell(new Evaluator.Flush(flushed.ref()));
        flushed.expectMessage(Evaluator.Flushed.INSTANCE);
    }

    @Test
    void testLossIsTestElboOfAModelWithTheSnapshotsParameters() {
        MultimodalVae own = ModelFixtures.model(91, DataType.FLOAT);
        MultimodalVae trained = ModelFixtures.model(92, DataType.FLOAT);
        double before = TestElbo.evaluate(own, OBJECTIVE, TEST, 4, 0).loss();
        release.countDown();
        evaluator(own).tell(new Evaluator.Evaluate(5, states(trained)));
        TestElbo.Result got = reporter.expectMessageClass(Reporter.Evaluated.class).result();
        TestElbo.Result expected = TestElbo.evaluate(trained, OBJECTIVE, TEST, 4, 0);
        assertEquals(expected.rows(), got.rows());
        assertEquals(expected.loss(), got.loss(), 1e-6 * Math.abs(expected.loss()));
        assertNotEquals(before, got.loss(), 1e-3 * Math.abs(before));
    }

    @Test
    void theHooksMetricsReachTheReporter() {
        release.countDown();
        evaluator(ModelFixtures.model(91, DataType.FLOAT)).tell(new Evaluator.Evaluate(4, states(ModelFixtures.model(92, DataType.FLOAT))));
        assertEquals(java.util.Map.of("probe", 4.0), reporter.expectMessageClass(Reporter.Evaluated.class).metrics());
    }

    /** An evaluator whose hook holds every evaluation until {@link #release} opens. */
    private ActorRef<Evaluator.Command> evaluator(MultimodalVae model) {
        Evaluator.Hook hook = (step, m, elbo) -> {
            release.await();
            return java.util.Map.of("probe", (double) step);
        };
        return testKit.spawn(Evaluator.create(model, new Evaluator.Settings(TEST, OBJECTIVE, 4, 0, hook), reporter.ref()));
    }

    private static List<WorkerState> states(MultimodalVae m) {
        List<WorkerState> out = new ArrayList<>();
        for (int j = 0; j < m.modalities().size(); j++) {
            out.add(new WorkerState(WorkerId.decoder(j), m.decoders().get(j).params(), m.decoders().get(j).updaterState()));
            out.add(new WorkerState(WorkerId.encoder(j), m.encoders().get(j).params(), m.encoders().get(j).updaterState()));
        }
        return out;
    }
}
