package chorus.actors.workers;

import static chorus.actors.ActorFixtures.DTYPE;
import static chorus.actors.ActorFixtures.QUIET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.actors.ActorFixtures;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.posterior.GaussianGrad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Encoder[image] on a real tiny network: its replies, in-order commits, abort, and restart after a failure. */
class EncoderWorkerTest {

    private static ActorTestKit testKit;

    private final TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe();
    private final TestProbe<WorkerState> states = testKit.createTestProbe();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void encodeRepliesOneExpertOverTheBatchWithZeroRowsWhereTheImageIsAbsent() {
        WorkerProtocol.Expert e = encode(worker(FaultInjection.NONE), 0, 0); // someMissing: no image in rows 2, 4
        assertArrayEquals(new long[] {5, ModelFixtures.LATENT}, e.expert().mu().shape());
        for (int absent : new int[] {2, 4}) {
            assertEquals(0.0, e.expert().mu().getRow(absent).norm1Number().doubleValue()
                    + e.expert().logvar().getRow(absent).norm1Number().doubleValue(), "row " + absent);
        }
        assertNotEquals(0.0, e.expert().mu().getRow(0).norm1Number().doubleValue());
        replies.expectNoMessage(QUIET);
    }

    @Test
    void computedGradientChangesNothingBeforeTheCommit() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        INDArray before = params(w);
        encode(w, 0, 0);
        assertEquals(WorkerId.encoder(0), backprop(w, 0, 0).worker());
        assertEquals(before, params(w));
    }

    @Test
    void commitAppliesTheUpdateAndRepliesApplied() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        INDArray before = params(w);
        encode(w, 0, 0);
        backprop(w, 0, 0);
        w.tell(new WorkerProtocol.Commit(0, 0, replies.ref()));
        WorkerProtocol.Applied a = replies.expectMessageClass(WorkerProtocol.Applied.class);
        assertEquals(WorkerId.encoder(0), a.worker());
        assertEquals(0, a.staleness());
        assertNotEquals(before, params(w));
    }

    @Test
    void commitOfALaterStepAppliesNothingUntilTheEarlierStepIsCommitted() {
        ActorRef<EncoderWorker.Command> w = twoComputedSteps();
        INDArray before = params(w);
        w.tell(new WorkerProtocol.Commit(2, 2, replies.ref()));
        replies.expectNoMessage(QUIET);
        assertEquals(before, params(w));
    }

    @Test
    void queuedCommitsApplyInStepOrderAndTheSecondIsOneUpdateStale() {
        ActorRef<EncoderWorker.Command> w = twoComputedSteps();
        w.tell(new WorkerProtocol.Commit(2, 2, replies.ref()));
        w.tell(new WorkerProtocol.Commit(1, 1, replies.ref()));
        WorkerProtocol.Applied first = replies.expectMessageClass(WorkerProtocol.Applied.class);
        WorkerProtocol.Applied second = replies.expectMessageClass(WorkerProtocol.Applied.class);
        assertEquals(1, first.step());
        assertEquals(0, first.staleness());
        assertEquals(2, second.step());
        assertEquals(1, second.staleness());
    }

    @Test
    void abortedStepNoLongerHoldsBackTheLaterCommit() {
        ActorRef<EncoderWorker.Command> w = twoComputedSteps();
        w.tell(new WorkerProtocol.Abort(1));
        w.tell(new WorkerProtocol.Commit(2, 2, replies.ref()));
        WorkerProtocol.Applied a = replies.expectMessageClass(WorkerProtocol.Applied.class);
        assertEquals(2, a.step());
        assertEquals(0, a.staleness());
    }

    @Test
    void commitQueuedBeforeAnAbortWaitsForTheAbortedStepsRetry() {
        ActorRef<EncoderWorker.Command> w = twoComputedSteps();
        w.tell(new WorkerProtocol.Commit(2, 2, replies.ref()));
        w.tell(new WorkerProtocol.Abort(1));
        replies.expectNoMessage(QUIET);
        encode(w, 1, 1);
        backprop(w, 1, 1);
        w.tell(new WorkerProtocol.Commit(1, 1, replies.ref()));
        assertEquals(1, replies.expectMessageClass(WorkerProtocol.Applied.class).step());
        assertEquals(2, replies.expectMessageClass(WorkerProtocol.Applied.class).step());
    }

    @Test
    void injectedFailureRepliesARetryableFailedNamingTheWorkerAndStep() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.once(WorkerId.encoder(0), "backward", 1));
        encode(w, 1, 0);
        w.tell(new EncoderWorker.Backprop(1, 0, ActorFixtures.expertGrad(5), replies.ref()));
        WorkerProtocol.Failed f = replies.expectMessageClass(WorkerProtocol.Failed.class);
        assertEquals(WorkerId.encoder(0), f.worker());
        assertTrue(f.retryable());
        assertTrue(f.message().contains("encoder of modality 'image'") && f.message().contains("step 1"), f.message());
    }

    @Test
    void restartedWorkerKeepsItsCommittedParametersAndHandlesTheNextStep() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.once(WorkerId.encoder(0), "backward", 1));
        commitStep(w, 0);
        INDArray committed = params(w);
        encode(w, 1, 0);
        w.tell(new EncoderWorker.Backprop(1, 0, ActorFixtures.expertGrad(5), replies.ref()));
        replies.expectMessageClass(WorkerProtocol.Failed.class);
        assertEquals(committed, params(w));
        w.tell(new WorkerProtocol.Abort(1));
        commitStep(w, 1);
        assertNotEquals(committed, params(w));
    }

    @Test
    void nonFiniteGradientRepliesAFailedThatIsNotRetryable() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        encode(w, 0, 0);
        INDArray nan = Nd4j.valueArrayOf(new long[] {5, ModelFixtures.LATENT}, Double.NaN, DTYPE);
        w.tell(new EncoderWorker.Backprop(0, 0, new GaussianGrad(nan, nan.dup()), replies.ref()));
        WorkerProtocol.Failed f = replies.expectMessageClass(WorkerProtocol.Failed.class);
        assertFalse(f.retryable());
        assertTrue(f.message().contains("NaN"), f.message());
    }

    @Test
    void loadReplacesTheParametersAndOptimizerState() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        var other = ModelFixtures.model(99, DTYPE).encoders().get(0);
        INDArray adam = other.updaterState().addi(0.25);
        assertNull(load(w, other.params(), adam).error());
        w.tell(new WorkerProtocol.Snapshot(states.ref()));
        WorkerState s = states.receiveMessage();
        assertEquals(other.params(), s.params());
        assertEquals(adam, s.updaterState());
    }

    @Test
    void loadOfAnotherArchitectureIsRefusedNamingTheWorkerAndChangesNothing() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        INDArray before = params(w);
        WorkerProtocol.Loaded l = load(w, Nd4j.ones(DTYPE, 1, 3), Nd4j.ones(DTYPE, 1, 6));
        assertEquals(WorkerId.encoder(0), l.worker());
        assertTrue(l.error().contains("encoder of modality 'image'") && l.error().contains("different architecture"), l.error());
        assertEquals(before, params(w));
    }

    @Test
    void loadWhileAStepIsInFlightIsRefused() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        INDArray before = params(w);
        encode(w, 0, 0);
        String error = load(w, before.add(1), Nd4j.zeros(DTYPE, 1, 2 * before.length())).error();
        assertTrue(error != null && error.contains("in flight"), error);
        assertEquals(before, params(w));
    }

    @Test
    void aWorkerThatDoesNotReportGradientsRepliesWithoutOneAndAppliesTheSameUpdate() {
        ActorRef<EncoderWorker.Command> reporting = worker(FaultInjection.NONE);
        ActorRef<EncoderWorker.Command> remote = worker(FaultInjection.NONE, false);
        commitStep(reporting, 0);
        encode(remote, 0, 0);
        assertNull(backprop(remote, 0, 0).grad());
        remote.tell(new WorkerProtocol.Commit(0, 0, replies.ref()));
        replies.expectMessageClass(WorkerProtocol.Applied.class);
        assertEquals(params(reporting), params(remote));
    }

    private ActorRef<EncoderWorker.Command> worker(FaultInjection faults) {
        return worker(faults, true);
    }

    private ActorRef<EncoderWorker.Command> worker(FaultInjection faults, boolean reportGradients) {
        return testKit.spawn(EncoderWorker.create(0, "image", ModelFixtures.model(61, DTYPE).encoders().get(0),
                Placement.Device.CPU, new WorkerHooks(faults, reportGradients)));
    }

    /** Steps 1 and 2 encoded at the same parameters and their gradients computed, neither committed. */
    private ActorRef<EncoderWorker.Command> twoComputedSteps() {
        ActorRef<EncoderWorker.Command> w = worker(FaultInjection.NONE);
        encode(w, 1, 0);
        encode(w, 2, 0);
        backprop(w, 1, 0);
        backprop(w, 2, 0);
        return w;
    }

    private WorkerProtocol.Expert encode(ActorRef<EncoderWorker.Command> w, long step, int attempt) {
        Batch b = ActorFixtures.batch(step, ModelFixtures.someMissing());
        w.tell(new EncoderWorker.Encode(step, attempt, b.tensors().get(0), b.presence().getColumn(0).dup(), replies.ref()));
        WorkerProtocol.Expert e = replies.expectMessageClass(WorkerProtocol.Expert.class);
        assertEquals(step, e.step());
        return e;
    }

    private WorkerProtocol.Computed backprop(ActorRef<EncoderWorker.Command> w, long step, int attempt) {
        w.tell(new EncoderWorker.Backprop(step, attempt, ActorFixtures.expertGrad(5), replies.ref()));
        WorkerProtocol.Computed c = replies.expectMessageClass(WorkerProtocol.Computed.class);
        assertEquals(step, c.step());
        return c;
    }

    private void commitStep(ActorRef<EncoderWorker.Command> w, long step) {
        encode(w, step, 0);
        backprop(w, step, 0);
        w.tell(new WorkerProtocol.Commit(step, (int) step, replies.ref()));
        assertEquals(step, replies.expectMessageClass(WorkerProtocol.Applied.class).step());
    }

    private WorkerProtocol.Loaded load(ActorRef<EncoderWorker.Command> w, INDArray params, INDArray updaterState) {
        TestProbe<WorkerProtocol.Loaded> loaded = testKit.createTestProbe();
        w.tell(new WorkerProtocol.Load(params, updaterState, loaded.ref()));
        return loaded.receiveMessage();
    }

    private INDArray params(ActorRef<EncoderWorker.Command> w) {
        w.tell(new WorkerProtocol.Snapshot(states.ref()));
        return states.receiveMessage().params();
    }
}
